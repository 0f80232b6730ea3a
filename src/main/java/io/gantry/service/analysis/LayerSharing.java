package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;

/**
 * One layer of one image and the other images that use the same chain (see {@link ChainIds}).
 *
 * @param index      position in the image, 0 = base layer
 * @param layer      the layer
 * @param chainId    chain ID of layers 0..index of this image
 * @param sharedWith IDs of the other images whose layer stacks contain this chain, sorted
 */
public record LayerSharing(int index, ImageLayer layer, Digest chainId, List<Digest> sharedWith) {

    public LayerSharing {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(chainId, "chainId");
        sharedWith = List.copyOf(sharedWith);
    }

    /** Whether another image references this chain: Docker counts its size in SHARED. */
    public boolean shared() {
        return !sharedWith.isEmpty();
    }
}
