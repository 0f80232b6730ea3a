package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a local image as its endpoint keeps it, for every view of an image's layers (the
 * Layers table, {@code gantry layers}, file analysis, reclaim planning and Docker's rules in
 * {@code engine.rules}: the one layer type). Each endpoint pairs its history with its layers once,
 * in {@link ImageStore#layers}.
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

    /** A layer stored as the blob {@code blob}. */
    public ImageLayer(Digest diffId, Digest blob, long size, String createdBy) {
        this(diffId, Optional.of(blob), size, createdBy);
    }

    /** An uncompressed layer (its blob is its diff ID) with no history line; handy in tests and tools. */
    public static ImageLayer uncompressed(Digest diffId, long size) {
        return new ImageLayer(diffId, diffId, size, "");
    }

    /**
     * The digest the layer's bytes go under: its blob, or where the endpoint keeps none (an engine)
     * its diff ID, since the endpoint's export carries the layer uncompressed.
     */
    public Digest blobOrDiffId() {
        return blob.orElse(diffId);
    }
}
