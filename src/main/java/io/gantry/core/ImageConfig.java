package io.gantry.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image's config blob (OCI image-spec {@code config}, Docker's container image JSON): the
 * platform, when and how it was built, how a container from it runs, and the uncompressed
 * digests of its layers.
 *
 * @param platform the platform the image is built for (from {@code os}, {@code architecture},
 *                 {@code variant}, {@code os.version})
 * @param created  when the image was built, if recorded
 * @param author   who built it, if recorded
 * @param run      how a container from this image runs (the JSON {@code config} object)
 * @param history  one entry per build step, including steps that added no layer
 * @param diffIds  the digests of the uncompressed layer tars ({@code rootfs.diff_ids}), base first
 */
public record ImageConfig(Platform platform, Optional<Instant> created, Optional<String> author, RunConfig run,
                          List<History> history, List<Digest> diffIds) {

    public ImageConfig {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(run, "run");
        history = List.copyOf(history);
        diffIds = List.copyOf(diffIds);
    }

    /** A config with only a platform and layers, as a minimal image has. */
    public static ImageConfig of(Platform platform, List<Digest> diffIds) {
        return new ImageConfig(platform, Optional.empty(), Optional.empty(), RunConfig.EMPTY, List.of(), diffIds);
    }

    public List<String> env() {
        return run.env();
    }

    public List<String> entrypoint() {
        return run.entrypoint();
    }

    public List<String> cmd() {
        return run.cmd();
    }

    public Map<String, String> labels() {
        return run.labels();
    }

    public List<String> exposedPorts() {
        return run.exposedPorts();
    }

    /**
     * How a container runs (the config's {@code config} object). Absent values are empty lists,
     * maps or optionals.
     *
     * @param env          {@code KEY=value} entries
     * @param entrypoint   the entrypoint argv
     * @param cmd          the default arguments
     * @param workingDir   the working directory
     * @param user         the user (name or uid[:gid])
     * @param labels       image labels
     * @param exposedPorts ports such as {@code 80/tcp}, sorted
     * @param volumes      volume mount points, sorted
     * @param stopSignal   the signal that stops the container, e.g. {@code SIGTERM}
     */
    public record RunConfig(List<String> env, List<String> entrypoint, List<String> cmd, Optional<String> workingDir,
                            Optional<String> user, Map<String, String> labels, List<String> exposedPorts,
                            List<String> volumes, Optional<String> stopSignal) {

        /** No settings at all. */
        public static final RunConfig EMPTY = new RunConfig(List.of(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Map.of(), List.of(), List.of(), Optional.empty());

        public RunConfig {
            env = List.copyOf(env);
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            Objects.requireNonNull(workingDir, "workingDir");
            Objects.requireNonNull(user, "user");
            labels = Map.copyOf(labels);
            exposedPorts = exposedPorts.stream().sorted().toList();
            volumes = volumes.stream().sorted().toList();
            Objects.requireNonNull(stopSignal, "stopSignal");
        }
    }

    /**
     * One build step, as {@code docker history} shows it.
     *
     * @param created    when the step ran
     * @param createdBy  the command, e.g. {@code /bin/sh -c #(nop) CMD ["sh"]}
     * @param comment    a comment
     * @param author     who ran it
     * @param emptyLayer true when the step added no layer (ENV, CMD, …)
     */
    public record History(Optional<Instant> created, Optional<String> createdBy, Optional<String> comment,
                          Optional<String> author, boolean emptyLayer) {

        public History {
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(createdBy, "createdBy");
            Objects.requireNonNull(comment, "comment");
            Objects.requireNonNull(author, "author");
        }
    }
}
