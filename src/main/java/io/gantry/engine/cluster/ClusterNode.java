package io.gantry.engine.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node as its kubelet reports it: readiness, disk pressure, and the images it holds
 * ({@code node.status.images}: the kubelet lists at most {@value #REPORTED_IMAGES_CAP} by default,
 * the largest first, so an image missing from a full list may still be on the node), and its labels
 * (for a pre-puller's node selector).
 */
public record ClusterNode(String name, boolean ready, boolean diskPressure, Optional<String> kubeletVersion,
                          Optional<String> containerRuntime, List<NodeImage> images, Map<String, String> labels) {

    /** The kubelet's default {@code --node-status-max-images}. */
    public static final int REPORTED_IMAGES_CAP = 50;

    public ClusterNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kubeletVersion, "kubeletVersion");
        Objects.requireNonNull(containerRuntime, "containerRuntime");
        images = List.copyOf(images);
        labels = Map.copyOf(labels);
    }

    /** A node without labels. */
    public ClusterNode(String name, boolean ready, boolean diskPressure, Optional<String> kubeletVersion,
                       Optional<String> containerRuntime, List<NodeImage> images) {
        this(name, ready, diskPressure, kubeletVersion, containerRuntime, images, Map.of());
    }

    /** Whether the node reports as many images as the kubelet's default cap: it may hold more. */
    public boolean imageListMayBeCut() {
        return images.size() >= REPORTED_IMAGES_CAP;
    }

    /** One entry of {@code node.status.images}: the image's names (tags and digests) and its size. */
    public record NodeImage(List<String> names, long sizeBytes) {
        public NodeImage {
            names = List.copyOf(names);
        }
    }
}
