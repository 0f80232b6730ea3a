package io.gantry.ui.cluster;

import io.gantry.engine.cluster.Cluster.ImageGcThresholds;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.NodeImageFs;
import java.util.Objects;
import java.util.Optional;

/**
 * A node of the chosen cluster as the window shows it: the node, its image filesystem as its
 * kubelet measures it, and the image GC thresholds in force there.
 *
 * @param node             the node as its kubelet reports it
 * @param imageFs          the image filesystem's use; empty while it is read or when it is not known
 * @param thresholds       the kubelet's image GC thresholds: its own, or the defaults
 * @param ownThresholds    whether {@code thresholds} were read from the kubelet's configuration
 * @param reading          whether the image filesystem is still being read
 * @param unknownReason    why the image filesystem is not known (empty while reading or when it is)
 */
public record NodeRow(ClusterNode node, Optional<NodeImageFs> imageFs, ImageGcThresholds thresholds,
                      boolean ownThresholds, boolean reading, String unknownReason) {

    public NodeRow {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(imageFs, "imageFs");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(unknownReason, "unknownReason");
    }

    /** A node whose image filesystem is being read, with the default thresholds meanwhile. */
    static NodeRow reading(ClusterNode node) {
        return new NodeRow(node, Optional.empty(), ImageGcThresholds.DEFAULTS, false, true, "");
    }

    /** The bytes of the images the node reports (at most the 50 largest: a lower bound when its list is full). */
    public long reportedImagesBytes() {
        return node.images().stream().mapToLong(ClusterNode.NodeImage::sizeBytes).sum();
    }

    /** Whether the kubelet's image GC is due on this node now (known use at or above the high threshold). */
    public boolean gcDue() {
        return imageFs.map(fs -> fs.gcDue(thresholds)).orElse(false);
    }
}
