package io.gantry.engine.cluster;

/**
 * A node's image filesystem as its kubelet measures it (the summary API's
 * {@code node.runtime.imageFs}), and the kubelet's image garbage collection rule on it
 * ({@code pkg/kubelet/images/image_gc_manager.go}): the usage is {@code 100 - available * 100 /
 * capacity} percent (the whole filesystem's, not only the images'); at or above the high threshold
 * the kubelet removes unused images until {@code capacity * (100 - low) / 100} bytes are available.
 *
 * @param capacityBytes  the filesystem's size
 * @param availableBytes what is free on it
 * @param imagesBytes    what the images take of it, as the runtime counts it
 */
public record NodeImageFs(long capacityBytes, long availableBytes, long imagesBytes) {

    public NodeImageFs {
        if (capacityBytes <= 0 || availableBytes < 0 || imagesBytes < 0) {
            throw new IllegalArgumentException("capacity must be positive, available and images not negative");
        }
        availableBytes = Math.min(availableBytes, capacityBytes);
    }

    /** The share of the filesystem in use, in percent, as the kubelet computes it. */
    public int usagePercent() {
        return (int) (100 - availableBytes * 100 / capacityBytes);
    }

    /** Whether the kubelet's image GC runs now under {@code thresholds}. */
    public boolean gcDue(Cluster.ImageGcThresholds thresholds) {
        return usagePercent() >= thresholds.highPercent();
    }

    /** The bytes a collection would try to free to get down to the low threshold; 0 while it is not due. */
    public long bytesToFree(Cluster.ImageGcThresholds thresholds) {
        if (!gcDue(thresholds)) {
            return 0;
        }
        return Math.max(0, capacityBytes * (100 - thresholds.lowPercent()) / 100 - availableBytes);
    }
}
