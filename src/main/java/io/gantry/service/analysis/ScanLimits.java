package io.gantry.service.analysis;

/**
 * Bounds on reading one layer, so a hostile or broken archive cannot exhaust time, memory or disk.
 *
 * @param maxUncompressedBytes stop after this many decompressed bytes (a compression bomb: 10 GB of
 *                             zeros gzip to 10 MB); the layer then fails with {@link ScanFailure.Problem#LIMIT_EXCEEDED}
 * @param maxEntries           stop after this many tar entries (memory grows with entries, not bytes)
 * @param maxHeaderBytes       largest GNU long-name or PAX extended header accepted; those are the
 *                             only parts of an entry the tar reader holds in memory
 */
public record ScanLimits(long maxUncompressedBytes, int maxEntries, int maxHeaderBytes) {

    /**
     * 16 GiB, 4 million entries, 1 MiB headers: above the layers of real images (big CUDA and ML
     * layers run to several GB), far below harm. Memory and disk stay bounded whatever the limit;
     * the byte limit bounds the time a bomb can waste, so a user who analyses untrusted images may
     * lower it.
     */
    public static final ScanLimits DEFAULT = new ScanLimits(16L << 30, 4_000_000, 1 << 20);

    public ScanLimits {
        if (maxUncompressedBytes <= 0 || maxEntries <= 0 || maxHeaderBytes < 512) {
            throw new IllegalArgumentException("scan limits must be positive (headers at least 512 bytes)");
        }
    }

    public ScanLimits withMaxUncompressedBytes(long bytes) {
        return new ScanLimits(bytes, maxEntries, maxHeaderBytes);
    }

    public ScanLimits withMaxEntries(int entries) {
        return new ScanLimits(maxUncompressedBytes, entries, maxHeaderBytes);
    }
}
