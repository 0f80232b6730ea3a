package io.gantry.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * What removing one container came to ({@link ImageStore#removeContainers}).
 *
 * @param id      the container's ID as asked
 * @param name    its name, where the endpoint knew it (else the short ID)
 * @param refusal the endpoint's own words when it did not remove it (a running container, one
 *                that is gone); empty when it was removed
 */
public record ContainerRemoval(String id, String name, Optional<String> refusal) {

    public ContainerRemoval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(refusal, "refusal");
    }

    public boolean removed() {
        return refusal.isEmpty();
    }
}
