package io.gantry.engine;

import io.gantry.core.Digest;
import io.gantry.core.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest list (an OCI image index or Docker manifest list) an endpoint keeps locally, as
 * {@code podman manifest create} and {@code podman manifest add} make them: a name pointing at
 * one manifest per platform, not an image of its own.
 *
 * @param id        the endpoint's ID for it (Podman keeps a list as a storage image with an ID)
 * @param names     every {@code repository:tag} naming it
 * @param digest    the digest of the list as it stands now, where the endpoint says
 * @param mediaType the list's media type (OCI index or Docker manifest list)
 * @param created   when it was created
 * @param entries   its manifests, in the list's order
 */
public record ManifestList(Digest id, List<String> names, Optional<Digest> digest, String mediaType, Instant created,
                           List<Entry> entries) {

    public ManifestList {
        Objects.requireNonNull(id, "id");
        names = List.copyOf(names);
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(created, "created");
        entries = List.copyOf(entries);
    }

    /**
     * One manifest of the list.
     *
     * @param digest    the manifest's digest
     * @param mediaType its media type
     * @param size      its size in bytes
     * @param platform  the platform the list says it is for; empty when the list does not say
     */
    public record Entry(Digest digest, String mediaType, long size, Optional<Platform> platform) {

        public Entry {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(platform, "platform");
        }
    }
}
