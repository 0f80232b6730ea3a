package io.gantry.engine;

import io.gantry.core.Digest;
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
 * @param platform      {@code os/architecture[/variant]}, e.g. "linux/amd64" (a string until the
 *                      core {@code Platform} type lands)
 * @param size          bytes of all its layers
 * @param config        how a container of it runs
 * @param diffIds       its layers' uncompressed digests, base layer first ({@code RootFS.Layers})
 * @param storageDriver the engine's storage driver ("overlay2", "vfs"); empty for the embedded store
 * @param storageData   the driver's data for this image, e.g. overlay2's {@code LowerDir},
 *                      {@code UpperDir}, {@code MergedDir}, {@code WorkDir}; vfs has only {@code Dir}
 * @param author        the image's author field
 * @param comment       the image's comment field
 */
public record ImageDetails(Digest id, List<String> repoTags, List<String> repoDigests, Optional<Digest> parent,
                           Instant created, String platform, long size, Config config, List<Digest> diffIds,
                           String storageDriver, Map<String, String> storageData, String author, String comment) {

    /**
     * The run configuration inside the image config ({@code Config} in the OCI image spec).
     *
     * @param env          {@code KEY=value} entries
     * @param entrypoint   the entrypoint, empty when unset
     * @param cmd          the default command, empty when unset
     * @param workingDir   the working directory, empty when unset
     * @param user         the user, empty when unset
     * @param labels       the labels
     * @param exposedPorts ports as the config names them ("80/tcp"), sorted
     * @param volumes      volume paths, sorted
     * @param stopSignal   the stop signal, empty when unset
     */
    public record Config(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir, String user,
                         Map<String, String> labels, List<String> exposedPorts, List<String> volumes,
                         String stopSignal) {
        public Config {
            env = List.copyOf(env);
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            Objects.requireNonNull(workingDir, "workingDir");
            Objects.requireNonNull(user, "user");
            labels = Map.copyOf(labels);
            exposedPorts = List.copyOf(exposedPorts);
            volumes = List.copyOf(volumes);
            Objects.requireNonNull(stopSignal, "stopSignal");
        }

        /** A config with nothing set. */
        public static Config empty() {
            return new Config(List.of(), List.of(), List.of(), "", "", Map.of(), List.of(), List.of(), "");
        }
    }

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
