package io.gantry.cli;

import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ImageStore;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.NodeImageCache.NodeImage;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry --endpoint ID node}: a Kubernetes node's image cache as the kubelet sees it through
 * the CRI, with the image filesystem against the kubelet's default GC thresholds and the order in
 * which its garbage collection would remove images.
 */
@Command(name = "node", description = "A Kubernetes node's image cache through the CRI (containerd): pinned and "
        + "in-use images, the image filesystem against the kubelet's GC thresholds (85%/80%), what GC removes first.")
final class NodeCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.storeThatCan(catalog, Capability.NODE_IMAGES, "node");
            NodeImageCache cache = store.nodeImageCache();
            var out = spec.commandLine().getOut();
            List<NodeImage> order = cache.collectionOrder();
            if (output.json()) {
                CliJson.print(out, java.util.Map.of("mountpoint", cache.mountpoint(), "usedBytes", cache.usedBytes(),
                        "capacityBytes", cache.capacityBytes().isPresent() ? cache.capacityBytes().getAsLong() : -1,
                        "highThresholdPercent", NodeImageCache.HIGH_PERCENT,
                        "lowThresholdPercent", NodeImageCache.LOW_PERCENT, "bytesToFree", cache.bytesToFree(),
                        "images", cache.images(), "collectionOrder", order.stream().map(NodeImage::id).toList()));
                return 0;
            }
            String capacity = cache.capacityBytes().isPresent()
                    ? " of " + ImageTable.humanSize(cache.capacityBytes().getAsLong()) + " (" + cache.usedPercent()
                    .getAsLong() + "%)" : " (capacity unknown: the mount point is not visible here)";
            out.println("Image filesystem: " + cache.mountpoint() + ", " + ImageTable.humanSize(cache.usedBytes())
                    + " used" + capacity);
            out.println("Kubelet image GC: starts above " + NodeImageCache.HIGH_PERCENT + "%, frees down to "
                    + NodeImageCache.LOW_PERCENT + "%: " + (cache.aboveHighThreshold()
                    ? "due, would free " + ImageTable.humanSize(cache.bytesToFree()) : "not due"));
            out.println();
            Table table = new Table("IMAGE", "IMAGE ID", "SIZE", "PINNED", "IN USE BY", "GC ORDER");
            for (NodeImage image : cache.images()) {
                int rank = order.indexOf(image);
                String name = image.repoTags().isEmpty() ? (image.repoDigests().isEmpty() ? "<none>"
                        : image.repoDigests().get(0)) : String.join(", ", image.repoTags());
                String id = image.id().startsWith("sha256:") && image.id().length() >= 19 ? image.id().substring(7, 19)
                        : image.id();
                table.row(name, id, ImageTable.humanSize(image.size()), image.pinned() ? "yes" : "no",
                        image.usedBy().isEmpty() ? "-" : String.join(", ", image.usedBy()),
                        rank < 0 ? "kept" : String.valueOf(rank + 1));
            }
            table.print(out);
        }
        return 0;
    }
}
