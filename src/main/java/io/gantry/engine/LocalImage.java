package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One local image with what Docker's image rules and the layer analysis need of it: its names,
 * its parent and its layers. {@link ImageStore#localImages()} gives every image of an endpoint so.
 *
 * @param id          the image ID (config digest)
 * @param repoTags    every {@code repository:tag} naming it; empty for a dangling image
 * @param repoDigests every {@code repository@digest} that names it (a delete untags them); none on
 *                    Podman, whose digests are derived from content, not names
 * @param parent      the local parent image (builds and commits), if the endpoint keeps one
 * @param layers      its layers, base first, as {@link ImageStore#layers} gives them
 * @param copies      the blob sets the endpoint keeps this image as, with the names that keep each,
 *                    when there are several ({@link ImageCopy}: the embedded store can hold one image
 *                    under several manifests); empty when it is kept once, as everywhere else
 */
public record LocalImage(Digest id, List<String> repoTags, List<String> repoDigests, Optional<Digest> parent,
                         List<ImageLayer> layers, List<ImageCopy> copies) {

    public LocalImage {
        Objects.requireNonNull(id, "id");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        Objects.requireNonNull(parent, "parent");
        layers = List.copyOf(layers);
        copies = List.copyOf(copies);
    }

    /** An image whose layers the endpoint keeps once. */
    public LocalImage(Digest id, List<String> repoTags, List<String> repoDigests, Optional<Digest> parent,
                      List<ImageLayer> layers) {
        this(id, repoTags, repoDigests, parent, layers, List.of());
    }

    /** {@link #layers()}, then the other copies' blobs, each once: every layer blob a delete of the image can free. */
    public List<ImageLayer> storedLayers() {
        return ImageCopy.union(layers, copies);
    }
}
