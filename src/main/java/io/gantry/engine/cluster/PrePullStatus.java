package io.gantry.engine.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How far a pre-puller ({@link PrePuller}) has got: how many nodes its DaemonSet should run on
 * (its {@code desiredNumberScheduled}) and, for each of its pods, the node and the state of the
 * pull, read from the init container's status.
 *
 * @param desiredNodes the nodes the DaemonSet selects, as the controller counts them
 * @param pods         one row per pod of the DaemonSet
 */
public record PrePullStatus(int desiredNodes, List<NodePull> pods) {

    public PrePullStatus {
        pods = List.copyOf(pods);
    }

    /** Where a node's pull is. */
    public enum State {
        /** The kubelet has the image (the init container has an image ID). */
        PULLED,
        /** Not yet: the pod is waiting for the pull or for a slot. */
        PULLING,
        /** The pull fails ({@code ErrImagePull}, {@code ImagePullBackOff}…); {@code gantry kube why POD} explains it. */
        FAILED
    }

    /** One pod: its node ({@code "-"} before it is scheduled), the state and the kubelet's words. */
    public record NodePull(String node, String pod, State state, String detail) {
        public NodePull {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The pods whose pull is done. */
    public long pulled() {
        return pods.stream().filter(p -> p.state() == State.PULLED).count();
    }
}
