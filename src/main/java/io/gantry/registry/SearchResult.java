package io.gantry.registry;

import java.util.Objects;

/**
 * One repository found by a search, with the columns {@code docker search} shows.
 *
 * @param name        the repository name to pull: {@code ubuntu} or {@code user/repo} on Docker
 *                    Hub, {@code host:port/repo} from a registry's catalog
 * @param description the repository's description (empty when unknown)
 * @param stars       its star count (0 when unknown)
 * @param official    whether it is a Docker official image
 * @param automated   whether it is an automated build (a retired Hub feature)
 */
public record SearchResult(String name, String description, int stars, boolean official, boolean automated) {

    public SearchResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
