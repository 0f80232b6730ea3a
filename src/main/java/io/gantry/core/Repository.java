package io.gantry.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A repository in a registry, without tag or digest, e.g. {@code docker.io/library/ubuntu}: what
 * tag listing, blob transfer and push address (go-containerregistry's {@code name.Repository}).
 *
 * @param registry the registry as users name it ({@code docker.io}, {@code localhost:5000})
 * @param path     the repository path, e.g. {@code library/ubuntu}
 */
public record Repository(String registry, String path) {

    /** Validates like {@link ImageReference}. */
    public Repository {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(path, "path");
        new ImageReference(registry, path, Optional.of(ImageReference.DEFAULT_TAG), Optional.empty());
    }

    /**
     * Parses a repository name with Docker's normalization ({@code ubuntu} →
     * {@code docker.io/library/ubuntu}); a tag or digest in the text is ignored.
     */
    public static Repository parse(String text) {
        return ImageReference.parse(text).repo();
    }

    /** This repository at {@code tag}. */
    public ImageReference tag(String tag) {
        return ImageReference.of(registry, path, tag);
    }

    /** This repository at {@code digest}. */
    public ImageReference digest(Digest digest) {
        return ImageReference.of(registry, path, digest);
    }

    /** The host (and port) that serves the registry API: {@code registry-1.docker.io} for Docker Hub. */
    public String registryApiHost() {
        return registry.equals(ImageReference.DOCKER_HUB) ? ImageReference.DOCKER_HUB_API_HOST : registry;
    }

    /** {@code registry/path}. */
    @Override
    public String toString() {
        return registry + "/" + path;
    }
}
