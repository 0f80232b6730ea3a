package io.gantry.service;

import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code docker system df} for one endpoint: images and containers, total, active, size and what
 * is reclaimable, computed as the docker CLI computes them. SIZE counts each layer once however
 * many images share it (the endpoint's {@link ImageStore#diskUsage()}, else each layer's size once
 * by chain ID);
 * RECLAIMABLE is SIZE minus the unique bytes of images some container uses.
 *
 * @param images          every image, with shared and unique sizes ({@code -v})
 * @param containers      every container
 * @param imagesSize      bytes the images take, shared layers once
 * @param activeImages    images at least one container uses
 * @param reclaimable     bytes a prune of unused images could free
 * @param sizesCompressed whether the sizes are of compressed blobs (the embedded store)
 * @param containerSizes  each container's writable layer by container ID ({@code SizeRw}); empty
 *                        where the endpoint cannot tell (then the containers' sizes are unknown)
 */
public record DiskUsage(List<ImageSummary> images, List<ContainerRef> containers, long imagesSize,
                        long activeImages, long reclaimable, boolean sizesCompressed,
                        Optional<Map<String, Long>> containerSizes) {

    public static DiskUsage of(ImageStore store) {
        ImageStore.Listing listing = store.listWithDiskUsage();
        List<ImageSummary> images = listing.images();
        List<ContainerRef> containers = store.containers();
        long size = listing.diskUsage().orElseGet(() -> layersOnce(store));
        long used = images.stream().filter(i -> i.containers() > 0).mapToLong(ImageSummary::uniqueSize).sum();
        Optional<Map<String, Long>> sizes = store.capabilities().containers() ? store.containerSizes()
                : Optional.of(Map.of());
        return new DiskUsage(images, containers, size, images.stream().filter(i -> i.containers() > 0).count(),
                Math.max(0, size - used), DockerImageView.sizesCompressed(store), sizes);
    }

    /** The containers' writable layers together, as docker system df's Containers SIZE; empty when unknown. */
    public OptionalLong containersSize() {
        return containerSizes.map(m -> OptionalLong.of(containers.stream()
                .mapToLong(c -> m.getOrDefault(c.id(), 0L)).sum())).orElse(OptionalLong.empty());
    }

    /** The writable layers of containers that are not running: what removing them would free. */
    public OptionalLong containersReclaimable() {
        return containerSizes.map(m -> OptionalLong.of(containers.stream().filter(c -> !c.running())
                .mapToLong(c -> m.getOrDefault(c.id(), 0L)).sum())).orElse(OptionalLong.empty());
    }

    /** {@code 12.3MB (45%)} as the docker CLI prints a RECLAIMABLE cell: no percentage when the total is 0. */
    public static String reclaimableCell(long reclaimable, long total) {
        return total > 0 ? humanSize(reclaimable) + " (" + reclaimable * 100 / total + "%)" : humanSize(reclaimable);
    }

    /** Every layer's size once, by chain ID (the same layer on the same stack is stored once). */
    private static long layersOnce(ImageStore store) {
        java.util.Map<io.gantry.core.Digest, Long> sizes = new java.util.HashMap<>();
        for (var image : LayerRows.allImages(store)) {
            List<io.gantry.core.Digest> chainIds = image.chainIds();
            for (int i = 0; i < chainIds.size(); i++) {
                sizes.putIfAbsent(chainIds.get(i), image.layers().get(i).size());
            }
        }
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Running (or paused, restarting) containers, docker's ACTIVE. */
    public long runningContainers() {
        return containers.stream().filter(ContainerRef::running).count();
    }

    /** go-units' {@code HumanSize} as {@code docker system df} prints it: decimal, 4 significant digits. */
    public static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        java.math.BigDecimal rounded = new java.math.BigDecimal(size).round(new java.math.MathContext(4)).stripTrailingZeros();
        return rounded.toPlainString() + units[unit];
    }
}
