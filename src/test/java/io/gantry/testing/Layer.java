package io.gantry.testing;

import java.util.List;

/**
 * A built layer: its tar, the same tar gzip-compressed, and their digests. The diff ID (digest of
 * the tar) goes into an image config's {@code rootfs.diff_ids}; the digest of the gzip is what a
 * manifest and a registry address it by.
 *
 * <p>Images of one family hold the same {@code Layer} objects, so they share blobs byte for byte.
 * Layers are kept in memory; a "big" layer of a few hundred megabytes is fine, gigabytes are not.
 */
public final class Layer {

    private final List<LayerEntry> entries;
    private final byte[] tar;
    private final byte[] gzip;
    private final String diffId;
    private final String digest;

    Layer(List<LayerEntry> entries, byte[] tar, byte[] gzip) {
        this.entries = List.copyOf(entries);
        this.tar = tar;
        this.gzip = gzip;
        this.diffId = Sha256.digest(tar);
        this.digest = Sha256.digest(gzip);
    }

    /** What the tar holds, in tar order (parent directories included). */
    public List<LayerEntry> entries() {
        return entries;
    }

    /** The uncompressed tar; shared, treat as read-only. */
    public byte[] tar() {
        return tar;
    }

    /** The gzip-compressed tar; shared, treat as read-only. */
    public byte[] compressed() {
        return gzip;
    }

    /** {@code sha256} of the uncompressed tar. */
    public String diffId() {
        return diffId;
    }

    /** {@code sha256} of the compressed tar: the blob digest in manifests and registries. */
    public String digest() {
        return digest;
    }

    /** Size of the compressed blob, as a manifest states it. */
    public long size() {
        return gzip.length;
    }

    /** Size of the uncompressed tar. */
    public long uncompressedSize() {
        return tar.length;
    }

    /** This layer as a registry blob with the layer media type of {@code format}. */
    public Blob blob(ManifestFormat format) {
        return new Blob(format.layerMediaType(), digest, gzip);
    }

    @Override
    public String toString() {
        return "Layer[" + digest + ", " + entries.size() + " entries, " + gzip.length + " bytes]";
    }
}
