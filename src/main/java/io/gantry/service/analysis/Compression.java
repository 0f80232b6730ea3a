package io.gantry.service.analysis;

/** How a layer blob is compressed, detected from its first bytes (magic numbers), not its media type. */
public enum Compression {
    NONE,
    GZIP,
    ZSTD;

    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] BZIP2_MAGIC = {'B', 'Z', 'h'};
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    /**
     * Recognizes the compression from the first bytes of a blob ({@code length} of them valid).
     * Anything that is not gzip or zstd is taken as a plain tar; the tar reader then says whether it is one.
     *
     * @throws UnsupportedOperationException for bzip2 and xz, which are valid compressions of
     *         old Docker layers but not of OCI ones, so Gantry names them rather than guessing
     */
    public static Compression detect(byte[] head, int length) {
        if (startsWith(head, length, GZIP_MAGIC)) {
            return GZIP;
        }
        if (startsWith(head, length, ZSTD_MAGIC)) {
            return ZSTD;
        }
        if (startsWith(head, length, BZIP2_MAGIC)) {
            throw new UnsupportedOperationException("bzip2-compressed layer");
        }
        if (startsWith(head, length, XZ_MAGIC)) {
            throw new UnsupportedOperationException("xz-compressed layer");
        }
        return NONE;
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
