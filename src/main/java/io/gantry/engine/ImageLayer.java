package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a local image as its endpoint keeps it, for every view of an image's layers (the
 * Layers table, {@code gantry layers}, file analysis, reclaim planning). Each endpoint pairs its
 * history with its layers once, in {@link ImageStore#layers}.
 *
 * @param diffId    digest of the uncompressed layer tar (the config's {@code rootfs.diff_ids} entry)
 * @param blob      digest of the blob the endpoint stores (compressed or not); empty where it keeps
 *                  none (an engine unpacks layers, its export carries them uncompressed)
 * @param size      bytes as the endpoint counts them: the blob's size in the embedded store, the
 *                  unpacked size of the layer's own diff in an engine (what {@code docker system df
 *                  -v} adds up)
 * @param createdBy the history step that made the layer ({@code RUN apk add …}); empty when unknown
 */
public record ImageLayer(Digest diffId, Optional<Digest> blob, long size, String createdBy) {

    public ImageLayer {
        Objects.requireNonNull(diffId, "diffId");
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(createdBy, "createdBy");
        if (size < 0) {
            throw new IllegalArgumentException("layer size must not be negative: " + size);
        }
    }
}
