package io.gantry.engine.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node as its kubelet reports it: readiness, disk pressure, and the images it holds
 * ({@code node.status.images}: the kubelet lists at most {@value #REPORTED_IMAGES_CAP} by default,
 * the largest first, so an image missing from a full list may still be on the node).
 */
public record ClusterNode(String name, boolean ready, boolean diskPressure, Optional<String> kubeletVersion,
                          Optional<String> containerRuntime, List<NodeImage> images) {

    /** The kubelet's default {@code --node-status-max-images}. */
    public static final int REPORTED_IMAGES_CAP = 50;

    public ClusterNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kubeletVersion, "kubeletVersion");
        Objects.requireNonNull(containerRuntime, "containerRuntime");
        images = List.copyOf(images);
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
