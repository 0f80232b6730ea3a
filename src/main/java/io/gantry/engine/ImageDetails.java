package io.gantry.engine;

import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One image in full, as {@code docker image inspect} shows it.
 *
 * @param id            the image ID (config digest)
 * @param repoTags      every {@code repository:tag} naming it
 * @param repoDigests   every {@code repository@digest} it was pulled or pushed as
 * @param parent        the local parent image (set by builds and commits), if any
 * @param created       when it was built
 * @param platform      the image's platform, e.g. linux/amd64; empty when the endpoint names none
 * @param size          bytes of all its layers
 * @param config        how a container of it runs (the OCI config's {@code config} object)
 * @param diffIds       its layers' uncompressed digests, base layer first ({@code RootFS.Layers})
 * @param storageDriver the engine's storage driver ("overlay2", "vfs"); empty for the embedded store
 * @param storageData   the driver's data for this image, e.g. overlay2's {@code LowerDir},
 *                      {@code UpperDir}, {@code MergedDir}, {@code WorkDir}; vfs has only {@code Dir}
 * @param author        the image's author field
 * @param comment       the image's comment field
 */
public record ImageDetails(Digest id, List<String> repoTags, List<String> repoDigests, Optional<Digest> parent,
                           Instant created, Optional<Platform> platform, long size, ImageConfig.RunConfig config,
                           List<Digest> diffIds,
                           String storageDriver, Map<String, String> storageData, String author, String comment) {

    public ImageDetails {
        Objects.requireNonNull(id, "id");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(config, "config");
        diffIds = List.copyOf(diffIds);
        Objects.requireNonNull(storageDriver, "storageDriver");
        storageData = Map.copyOf(storageData);
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(comment, "comment");
    }
}
