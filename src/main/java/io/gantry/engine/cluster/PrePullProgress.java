package io.gantry.engine.cluster;

import io.gantry.core.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a pre-pull stands on each node it is for: the nodes the pre-puller selects (by their labels),
 * each holding the image once its kubelet lists it in {@code node.status.images} or its pre-puller
 * pod's pull is done; failing when that pod's pull fails and the node does not list the image. What
 * {@code gantry kube prepull --wait} follows until every node holds the image.
 *
 * @param nodes one row per selected node, by name
 */
public record PrePullProgress(List<NodeProgress> nodes) {

    public PrePullProgress {
        nodes = List.copyOf(nodes);
    }

    /** Where one node is. */
    public enum State {
        /** The node holds the image. */
        HAS_IT("has the image"),
        /** Not yet: its pod is pulling, waiting, or not made yet. */
        PENDING("not yet"),
        /** Its pod's pull fails ({@code ErrImagePull}, {@code ImagePullBackOff}…). */
        FAILED("the pull fails");

        private final String label;

        State(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * One node: its state, how Gantry knows ({@code "node status"}, the pod's words, or why not yet)
     * and its pre-puller pod, if there is one.
     */
    public record NodeProgress(String node, State state, String detail, Optional<String> pod) {
        public NodeProgress {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(pod, "pod");
        }
    }

    /** The progress of {@code prePuller} from its pods' {@code status} and the cluster's {@code nodes}. */
    public static PrePullProgress of(PrePuller prePuller, PrePullStatus status, List<ClusterNode> nodes) {
        ImageReference image = ImageReference.parse(prePuller.image());
        Map<String, PrePullStatus.NodePull> pods = status.pods().stream()
                .collect(Collectors.toMap(PrePullStatus.NodePull::node, Function.identity(), (a, b) -> a));
        List<ClusterNode> selected = nodes.stream().filter(n -> prePuller.selects(n.labels())).toList();
        Map<String, KubeletPullRules.Presence> presence = ImageWhereabouts.find(image, selected, List.of()).nodes()
                .stream().collect(Collectors.toMap(h -> h.node().name(), ImageWhereabouts.NodeHolding::presence,
                        (a, b) -> a));
        List<NodeProgress> rows = new ArrayList<>();
        for (ClusterNode node : selected) {
            Optional<PrePullStatus.NodePull> pod = Optional.ofNullable(pods.get(node.name()));
            Optional<String> podName = pod.map(PrePullStatus.NodePull::pod);
            if (presence.get(node.name()) == KubeletPullRules.Presence.PRESENT) {
                rows.add(new NodeProgress(node.name(), State.HAS_IT, node.imagesFromCri().isPresent()
                        ? "its CRI lists it" : "listed in the node's status", podName));
            } else if (pod.isPresent() && pod.get().state() == PrePullStatus.State.PULLED) {
                rows.add(new NodeProgress(node.name(), State.HAS_IT, "pulled by pod " + pod.get().pod(), podName));
            } else if (pod.isPresent() && pod.get().state() == PrePullStatus.State.FAILED) {
                rows.add(new NodeProgress(node.name(), State.FAILED, pod.get().detail(), podName));
            } else {
                rows.add(new NodeProgress(node.name(), State.PENDING, pod.map(p -> p.detail().isBlank()
                        ? "pod " + p.pod() + " is pulling" : p.detail()).orElse("no pre-puller pod on it yet"), podName));
            }
        }
        return new PrePullProgress(rows);
    }

    /** How many selected nodes hold the image. */
    public long holding() {
        return nodes.stream().filter(n -> n.state() == State.HAS_IT).count();
    }

    /** Whether every selected node holds the image (and there is at least one). */
    public boolean done() {
        return !nodes.isEmpty() && holding() == nodes.size();
    }

    /** The nodes whose pull fails. */
    public List<NodeProgress> failed() {
        return nodes.stream().filter(n -> n.state() == State.FAILED).toList();
    }
}
