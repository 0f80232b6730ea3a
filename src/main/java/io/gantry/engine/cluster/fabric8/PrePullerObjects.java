package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gantry.engine.cluster.PrePullStatus;
import io.gantry.engine.cluster.PrePullStatus.NodePull;
import io.gantry.engine.cluster.PrePullStatus.State;
import io.gantry.engine.cluster.PrePuller;
import io.gantry.engine.cluster.PullFailures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link PrePuller} as fabric8's DaemonSet, and its pods' statuses as {@link PrePullStatus}. The
 * DaemonSet is read from the pre-puller's own YAML, so what is applied is exactly what the preview
 * showed.
 */
final class PrePullerObjects {

    /** Waiting reasons that come after the image is on the node: the container was made from it. */
    private static final java.util.Set<String> AFTER_THE_PULL = java.util.Set.of("CrashLoopBackOff", "RunContainerError",
            "CreateContainerError", "StartError");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PrePullerObjects() {
    }

    static DaemonSet daemonSet(PrePuller prePuller) {
        return SERIALIZATION.unmarshal(prePuller.yaml(), DaemonSet.class);
    }

    static PrePullStatus status(DaemonSet daemonSet, List<Pod> pods) {
        int desired = daemonSet.getStatus() == null || daemonSet.getStatus().getDesiredNumberScheduled() == null ? 0
                : daemonSet.getStatus().getDesiredNumberScheduled();
        List<NodePull> rows = new ArrayList<>();
        for (Pod pod : pods) {
            String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "-" : pod.getSpec().getNodeName();
            rows.add(nodePull(node, pod));
        }
        rows.sort(Comparator.comparing(NodePull::node).thenComparing(NodePull::pod));
        return new PrePullStatus(desired, rows);
    }

    private static NodePull nodePull(String node, Pod pod) {
        String name = pod.getMetadata().getName();
        ContainerStatus init = pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null ? null
                : pod.getStatus().getInitContainerStatuses().stream()
                .filter(s -> PrePuller.INIT_CONTAINER.equals(s.getName())).findFirst().orElse(null);
        if (init == null) {
            return new NodePull(node, name, State.PULLING, node.equals("-") ? "not scheduled yet" : "waiting for the pod to start");
        }
        if (init.getImageID() != null && !init.getImageID().isEmpty()) {
            return new NodePull(node, name, State.PULLED, init.getImageID());
        }
        var waiting = init.getState() == null ? null : init.getState().getWaiting();
        boolean ran = init.getState() != null && (init.getState().getTerminated() != null || init.getState().getRunning() != null);
        if (ran || waiting != null && AFTER_THE_PULL.contains(waiting.getReason())) {
            return new NodePull(node, name, State.PULLED, "the kubelet made a container from it");
        }
        if (waiting != null && waiting.getReason() != null && PullFailures.PULL_REASONS.contains(waiting.getReason())) {
            return new NodePull(node, name, State.FAILED, waiting.getReason()
                    + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
        }
        return new NodePull(node, name, State.PULLING, waiting != null && waiting.getReason() != null
                ? waiting.getReason() : "pulling");
    }
}
