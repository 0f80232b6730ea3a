package io.gantry.engine.rules;

import io.gantry.core.Digest;
import io.gantry.engine.ImageLayer;
import java.util.List;
import java.util.Objects;

/**
 * One layer of an image, as the analysis needs it; stores translate their own manifest and config
 * types into this at the boundary.
 *
 * @param diffId     digest of the uncompressed layer tar (the config's {@code rootfs.diff_ids} entry)
 * @param blobDigest digest of the layer as stored or transferred (compressed or not); equals
 *                   {@code diffId} for an uncompressed layer
 * @param size       the layer's size as the store reports it: for an engine the unpacked size of the
 *                   layer's own diff ({@code DiffSize}, what {@code docker system df -v} adds up),
 *                   for the embedded store the blob size
 * @param createdBy  the history line that made the layer ({@code RUN apk add …}); empty when unknown
 */
public record LayerRef(Digest diffId, Digest blobDigest, long size, String createdBy) {

    public LayerRef {
        Objects.requireNonNull(diffId, "diffId");
        Objects.requireNonNull(blobDigest, "blobDigest");
        Objects.requireNonNull(createdBy, "createdBy");
        if (size < 0) {
            throw new IllegalArgumentException("layer size must not be negative: " + size);
        }
    }

    /**
     * The analysis's view of an endpoint's layer: where the endpoint keeps no blob (an engine), the
     * layer travels uncompressed (its export), so its blob digest is its diff ID.
     */
    public static LayerRef of(ImageLayer layer) {
        return new LayerRef(layer.diffId(), layer.blob().orElse(layer.diffId()), layer.size(), layer.createdBy());
    }

    /** The analysis's view of an image's layers, base first. */
    public static List<LayerRef> of(List<ImageLayer> layers) {
        return layers.stream().map(LayerRef::of).toList();
    }

    /** An uncompressed layer (blob digest = diff ID) with no history line; handy in tests and tools. */
    public static LayerRef uncompressed(Digest diffId, long size) {
        return new LayerRef(diffId, diffId, size, "");
    }
}
