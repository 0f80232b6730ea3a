package io.gantry.engine.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node as its kubelet reports it: readiness, disk pressure, and the images it holds
 * ({@code node.status.images}: the kubelet lists at most {@value #REPORTED_IMAGES_CAP} by default,
 * the largest first, so an image missing from a full list may still be on the node), and its labels
 * (for a pre-puller's node selector). Where Gantry reaches the node's own CRI, its images are the
 * CRI's instead ({@link #withCriImages}): every image, with its digests, and no cap.
 *
 * @param imagesFromCri the name of the CRI endpoint the images came from; empty when they are the
 *                      kubelet's {@code node.status.images}
 */
public record ClusterNode(String name, boolean ready, boolean diskPressure, Optional<String> kubeletVersion,
                          Optional<String> containerRuntime, List<NodeImage> images, Map<String, String> labels,
                          Optional<String> imagesFromCri) {

    /** The kubelet's default {@code --node-status-max-images}. */
    public static final int REPORTED_IMAGES_CAP = 50;

    public ClusterNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kubeletVersion, "kubeletVersion");
        Objects.requireNonNull(containerRuntime, "containerRuntime");
        images = List.copyOf(images);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(imagesFromCri, "imagesFromCri");
    }

    /** A node as the API server reports it: its images are {@code node.status.images}. */
    public ClusterNode(String name, boolean ready, boolean diskPressure, Optional<String> kubeletVersion,
                       Optional<String> containerRuntime, List<NodeImage> images, Map<String, String> labels) {
        this(name, ready, diskPressure, kubeletVersion, containerRuntime, images, labels, Optional.empty());
    }

    /** A node without labels. */
    public ClusterNode(String name, boolean ready, boolean diskPressure, Optional<String> kubeletVersion,
                       Optional<String> containerRuntime, List<NodeImage> images) {
        this(name, ready, diskPressure, kubeletVersion, containerRuntime, images, Map.of());
    }

    /**
     * Whether the node reports as many images as the kubelet's default cap, so it may hold more; never
     * for images read from the node's CRI, which lists them all.
     */
    public boolean imageListMayBeCut() {
        return imagesFromCri.isEmpty() && images.size() >= REPORTED_IMAGES_CAP;
    }

    /** The same node with {@code images} as the CRI endpoint {@code endpoint} lists them. */
    public ClusterNode withCriImages(String endpoint, List<NodeImage> criImages) {
        return new ClusterNode(name, ready, diskPressure, kubeletVersion, containerRuntime, criImages, labels,
                Optional.of(endpoint));
    }

    /** Where the images came from, in words: {@code CRI (NAME)} or {@code node.status.images}. */
    public String imagesSource() {
        return imagesFromCri.map(cri -> "CRI (" + cri + ")").orElse("node.status.images");
    }

    /** One entry of {@code node.status.images}: the image's names (tags and digests) and its size. */
    public record NodeImage(List<String> names, long sizeBytes) {
        public NodeImage {
            names = List.copyOf(names);
        }
    }
}
