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
 * @param otherCopies layers the endpoint also keeps for this image as other blobs: the embedded
 *                    store can hold one image under several manifests (pulled gzipped from a
 *                    registry under one name, copied uncompressed from Docker under another), and
 *                    deleting the image frees those blobs too; each blob once, none of {@code
 *                    layers}; empty elsewhere
 */
public record LocalImage(Digest id, List<String> repoTags, List<String> repoDigests, Optional<Digest> parent,
                         List<ImageLayer> layers, List<ImageLayer> otherCopies) {

    public LocalImage {
        Objects.requireNonNull(id, "id");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        Objects.requireNonNull(parent, "parent");
        layers = List.copyOf(layers);
        otherCopies = List.copyOf(otherCopies);
    }

    /** An image whose layers the endpoint keeps once. */
    public LocalImage(Digest id, List<String> repoTags, List<String> repoDigests, Optional<Digest> parent,
                      List<ImageLayer> layers) {
        this(id, repoTags, repoDigests, parent, layers, List.of());
    }

    /** {@link #layers()}, then {@link #otherCopies()}: every layer blob a delete of the image can free. */
    public List<ImageLayer> storedLayers() {
        if (otherCopies.isEmpty()) {
            return layers;
        }
        List<ImageLayer> all = new java.util.ArrayList<>(layers);
        all.addAll(otherCopies);
        return all;
    }
}
