package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.cluster.PrePullProgress.State;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a pre-pull stands per node: the node's own image list first, then its pre-puller pod. */
class PrePullProgressTest {

    private static final String IMAGE = "registry.example.com/shop/web:2.0";
    private static final PrePuller PRE_PULLER = new PrePuller("shop", "prepull-web", IMAGE, Map.of("pool", "web"), List.of());

    private static ClusterNode node(String name, String pool, String... images) {
        return new ClusterNode(name, true, false, Optional.empty(), Optional.empty(),
                java.util.Arrays.stream(images).map(i -> new ClusterNode.NodeImage(List.of(i), 1)).toList(),
                Map.of("pool", pool));
    }

    @Test
    void eachSelectedNodeByItsStatusThenItsPod() {
        List<ClusterNode> nodes = List.of(node("a", "web", IMAGE), node("b", "web"), node("c", "web"), node("d", "web"),
                node("gpu", "gpu"));
        PrePullStatus status = new PrePullStatus(4, List.of(
                new PrePullStatus.NodePull("a", "p-a", PrePullStatus.State.PULLING, "pulling"),
                new PrePullStatus.NodePull("b", "p-b", PrePullStatus.State.PULLED, ""),
                new PrePullStatus.NodePull("c", "p-c", PrePullStatus.State.FAILED, "ErrImagePull: not found")));

        PrePullProgress progress = PrePullProgress.of(PRE_PULLER, status, nodes);

        assertThat(progress.nodes()).extracting(PrePullProgress.NodeProgress::node, PrePullProgress.NodeProgress::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", State.HAS_IT),
                        org.assertj.core.groups.Tuple.tuple("b", State.HAS_IT),
                        org.assertj.core.groups.Tuple.tuple("c", State.FAILED),
                        org.assertj.core.groups.Tuple.tuple("d", State.PENDING));
        assertThat(progress.nodes().get(3).detail()).isEqualTo("no pre-puller pod on it yet");
        assertThat(progress.holding()).isEqualTo(2);
        assertThat(progress.done()).isFalse();
        assertThat(progress.failed()).extracting(n -> n.pod().orElseThrow()).containsExactly("p-c");
    }

    @Test
    void doneWhenEverySelectedNodeHoldsItAndNeverWithNoNodeSelected() {
        PrePullStatus none = new PrePullStatus(0, List.of());
        assertThat(PrePullProgress.of(PRE_PULLER, none, List.of(node("a", "web", IMAGE), node("gpu", "gpu"))).done())
                .isTrue();
        assertThat(PrePullProgress.of(PRE_PULLER, none, List.of(node("gpu", "gpu", IMAGE))).done()).isFalse();
    }
}
