package io.gantry.testing;

/**
 * Bytes with the media type and digest they are addressed by in a registry: a layer, a config, a
 * manifest or an index. The array is shared, not copied: treat it as read-only.
 *
 * @param mediaType e.g. {@code application/vnd.oci.image.manifest.v1+json}
 * @param digest {@code sha256:<hex>} of {@code bytes}
 * @param bytes the exact content
 */
public record Blob(String mediaType, String digest, byte[] bytes) {

    /** A blob whose digest is computed from its bytes. */
    public static Blob of(String mediaType, byte[] bytes) {
        return new Blob(mediaType, Sha256.digest(bytes), bytes);
    }

    public long size() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "Blob[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
    }
}
