package io.gantry.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A single-platform image manifest, Docker v2 schema 2 or OCI: the image config and the layers in
 * order, bottom first.
 *
 * @param mediaType   {@link MediaTypes#DOCKER_MANIFEST} or {@link MediaTypes#OCI_MANIFEST}
 * @param config      the image config blob
 * @param layers      the layer blobs, base layer first
 * @param annotations free-form metadata (OCI only; empty when none)
 */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations)
        implements ManifestContent {

    public Manifest {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(config, "config");
        if (!MediaTypes.isImageManifest(mediaType)) {
            throw new IllegalArgumentException("not an image manifest media type: " + mediaType);
        }
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }

    public static Manifest of(String mediaType, Descriptor config, List<Descriptor> layers) {
        return new Manifest(mediaType, config, layers, Map.of());
    }

    /** The sum of the layers' (compressed) sizes, as a registry transfers them. */
    public long layersSize() {
        return layers.stream().mapToLong(Descriptor::size).sum();
    }

    /**
     * The layer blobs' sizes, each blob once: what the image's layers take in a blob store, where
     * a blob listed twice (Docker's empty layer) is kept once. A store's SIZE, so UNIQUE is what a
     * delete frees.
     */
    public long storedLayersSize() {
        return layers.stream().collect(java.util.stream.Collectors.toMap(Descriptor::digest, Descriptor::size,
                (a, b) -> a)).values().stream().mapToLong(Long::longValue).sum();
    }
}
