package io.gantry.engine.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod (or a pod template from a manifest): where it runs, its service account and pull secrets,
 * and every image it needs, containers and image volumes alike.
 */
public record ClusterPod(String namespace, String name, Optional<String> nodeName, Optional<String> phase,
                         String serviceAccount, List<String> imagePullSecrets, List<PodImage> images) {

    public ClusterPod {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        imagePullSecrets = List.copyOf(imagePullSecrets);
        images = List.copyOf(images);
    }

    /** What in a pod needs an image. */
    public enum Kind {
        INIT_CONTAINER("init container"), CONTAINER("container"), EPHEMERAL_CONTAINER("ephemeral container"),
        IMAGE_VOLUME("image volume");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * One image a pod needs: the container's (or volume's) name, the image as written, the pull
     * policy as stored (empty when the author left it out and no API server defaulted it), and, for
     * a container the kubelet has tried to start, the reason it is waiting ({@code ErrImagePull},
     * {@code ImagePullBackOff}, {@code ErrImageNeverPull}…) and the kubelet's message with it.
     */
    public record PodImage(Kind kind, String name, String image, Optional<PullPolicy> policy,
                           Optional<String> waitingReason, Optional<String> waitingMessage) {
        public PodImage {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(waitingReason, "waitingReason");
            Objects.requireNonNull(waitingMessage, "waitingMessage");
        }

        /** The container's name, with what it is unless a regular container: {@code migrate (init container)}. */
        public String label() {
            return kind == Kind.CONTAINER ? name : name + " (" + kind + ")";
        }

        /** An image with no waiting message (a manifest's, or a container that is not waiting). */
        public PodImage(Kind kind, String name, String image, Optional<PullPolicy> policy, Optional<String> waitingReason) {
            this(kind, name, image, policy, waitingReason, Optional.empty());
        }
    }
}
