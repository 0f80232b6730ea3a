package io.gantry.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A Kubernetes node's image cache as the kubelet sees it through the CRI ({@code ImageService}
 * {@code ListImages} and {@code ImageFsInfo}), with the kubelet's default image garbage collection
 * thresholds: collection starts when the image filesystem is more than {@link #HIGH_PERCENT}% full
 * and frees down to {@link #LOW_PERCENT}%, never an image in use or pinned, least recently used
 * first.
 *
 * @param mountpoint    the image filesystem's mount point, as the runtime reports it
 * @param usedBytes     what the runtime counts as used on it
 * @param capacityBytes the filesystem's size, when Gantry can see the mount point (the kubelet asks
 *                      cAdvisor); empty otherwise
 * @param images        every image, as the CRI lists it
 */
public record NodeImageCache(String mountpoint, long usedBytes, OptionalLong capacityBytes, List<NodeImage> images) {

    /** The kubelet's default {@code imageGCHighThresholdPercent}. */
    public static final int HIGH_PERCENT = 85;
    /** The kubelet's default {@code imageGCLowThresholdPercent}. */
    public static final int LOW_PERCENT = 80;

    public NodeImageCache {
        Objects.requireNonNull(mountpoint, "mountpoint");
        Objects.requireNonNull(capacityBytes, "capacityBytes");
        images = List.copyOf(images);
    }

    /**
     * One image of the node.
     *
     * @param id          the image ID the CRI gives ({@code sha256:<config digest>})
     * @param repoTags    its tags
     * @param repoDigests its digests
     * @param size        its size as the CRI counts it
     * @param pinned      whether the runtime exempts it from garbage collection
     * @param usedBy      the containers (pod sandboxes included) that use it
     * @param firstSeen   when the runtime first had it (the image record's creation): Gantry's stand-in
     *                    for the kubelet's "last used", which only the kubelet knows
     */
    public record NodeImage(String id, List<String> repoTags, List<String> repoDigests, long size, boolean pinned,
                            List<String> usedBy, Instant firstSeen) {
        public NodeImage {
            Objects.requireNonNull(id, "id");
            repoTags = List.copyOf(repoTags);
            repoDigests = List.copyOf(repoDigests);
            usedBy = List.copyOf(usedBy);
            Objects.requireNonNull(firstSeen, "firstSeen");
        }

        /** Whether the kubelet's garbage collection may remove it: not in use, not pinned. */
        public boolean collectable() {
            return !pinned && usedBy.isEmpty();
        }
    }

    /** The share of the filesystem in use, in percent; empty without a capacity. */
    public OptionalLong usedPercent() {
        return capacityBytes.isPresent() && capacityBytes.getAsLong() > 0
                ? OptionalLong.of(usedBytes * 100 / capacityBytes.getAsLong()) : OptionalLong.empty();
    }

    /** Whether the kubelet would collect images now (more than {@link #HIGH_PERCENT}% in use). */
    public boolean aboveHighThreshold() {
        return usedPercent().isPresent() && usedPercent().getAsLong() > HIGH_PERCENT;
    }

    /** The bytes a collection would free to get down to {@link #LOW_PERCENT}%; 0 below the high threshold. */
    public long bytesToFree() {
        if (!aboveHighThreshold()) {
            return 0;
        }
        return Math.max(0, usedBytes - capacityBytes.getAsLong() * LOW_PERCENT / 100);
    }

    /**
     * The order in which the kubelet's garbage collection would remove images: the collectable
     * ones, least recently seen first (then the larger first). All of them, whether or not a
     * collection is due; {@link #bytesToFree()} says how far down the list one would go.
     */
    public List<NodeImage> collectionOrder() {
        List<NodeImage> order = new ArrayList<>(images.stream().filter(NodeImage::collectable).toList());
        order.sort(Comparator.comparing(NodeImage::firstSeen).thenComparing(Comparator.comparingLong(NodeImage::size)
                .reversed()));
        return order;
    }

    /** The images a collection due now would remove (the head of {@link #collectionOrder()}). */
    public List<NodeImage> wouldCollectNow() {
        long needed = bytesToFree();
        List<NodeImage> chosen = new ArrayList<>();
        for (NodeImage image : collectionOrder()) {
            if (needed <= 0) {
                break;
            }
            chosen.add(image);
            needed -= image.size();
        }
        return chosen;
    }
}
