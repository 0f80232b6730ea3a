package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;

/**
 * An image as the layer analysis sees it: its ID, the tags naming it, and its layers bottom first.
 *
 * @param imageId the image ID (config digest)
 * @param tags    {@code repository:tag} names; empty for a dangling image
 * @param layers  the layers in the order they are applied, base layer first
 */
public record ImageLayers(Digest imageId, List<String> tags, List<ImageLayer> layers) {

    public ImageLayers {
        Objects.requireNonNull(imageId, "imageId");
        tags = List.copyOf(tags);
        layers = List.copyOf(layers);
    }

    /** The chain ID of every layer, in the same order as {@link #layers()}. */
    public List<Digest> chainIds() {
        return ChainIds.of(layers.stream().map(ImageLayer::diffId).toList());
    }

    /** Sum of the layer sizes: what {@code docker images} shows as SIZE. */
    public long size() {
        return layers.stream().mapToLong(ImageLayer::size).sum();
    }

    /** The first tag, or {@code <none>:<none>} for a dangling image; for labels in trees and charts. */
    public String displayName() {
        return tags.isEmpty() ? "<none>:<none>" : tags.get(0);
    }
}
