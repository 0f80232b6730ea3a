package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageReference;
import io.gantry.engine.cluster.ClusterNode.NodeImage;
import io.gantry.engine.cluster.ClusterPod.Kind;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.ImageWhereabouts.PodUse;
import io.gantry.engine.cluster.KubeletPullRules.Action;
import io.gantry.engine.cluster.KubeletPullRules.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which nodes hold an image and which pods use it, with the kubelet's decision on each pod's node. */
class ImageWhereaboutsTest {

    private static final String DIGEST = "sha256:" + "cd".repeat(32);

    @Test
    void nodesHoldingThePodsUsingAndADigestAliasFromTheNodesList() {
        ClusterNode holder = KubeletPullRulesTest.node("n1", List.of(new NodeImage(
                List.of("docker.io/library/nginx:1.27", "docker.io/library/nginx@" + DIGEST), 70_000_000)));
        ClusterNode empty = KubeletPullRulesTest.node("n2", List.of());
        List<NodeImage> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(new NodeImage(List.of("registry.example.com/big" + i + ":1"), 1));
        }
        ClusterNode full = KubeletPullRulesTest.node("n3", fifty);
        ClusterPod web = pod("web", "n1", new PodImage(Kind.CONTAINER, "nginx", "nginx:1.27", Optional.empty(),
                Optional.empty()));
        ClusterPod pinned = pod("pinned", "n2", new PodImage(Kind.INIT_CONTAINER, "copy", "nginx@" + DIGEST,
                Optional.of(PullPolicy.NEVER), Optional.of("ErrImageNeverPull")));
        ClusterPod other = pod("other", "n1", new PodImage(Kind.CONTAINER, "app", "nginx:1.28", Optional.empty(),
                Optional.empty()));

        ImageWhereabouts found = ImageWhereabouts.find(ImageReference.parse("nginx:1.27"), List.of(holder, empty, full),
                List.of(web, pinned, other));

        assertThat(found.holding()).extracting(h -> h.node().name()).containsExactly("n1");
        assertThat(found.holding().get(0).entry()).isPresent();
        assertThat(found.nodes()).extracting(ImageWhereabouts.NodeHolding::presence)
                .containsExactly(Presence.PRESENT, Presence.ABSENT, Presence.NOT_LISTED);
        assertThat(found.pods()).extracting(u -> u.pod().name()).containsExactly("web", "pinned");
        PodUse onHolder = found.pods().get(0);
        assertThat(onHolder.decision().action()).isEqualTo(Action.USE_CACHED);
        PodUse onEmpty = found.pods().get(1);
        assertThat(onEmpty.image().kind()).isEqualTo(Kind.INIT_CONTAINER);
        assertThat(onEmpty.decision().action()).isEqualTo(Action.FAIL_NEVER_PULL);
    }

    @Test
    void anUnscheduledPodHasNoNodeToLookAt() {
        ClusterPod pending = new ClusterPod("default", "pending", Optional.empty(), Optional.of("Pending"), "default",
                List.of(), List.of(new PodImage(Kind.CONTAINER, "app", "nginx:1.27", Optional.empty(), Optional.empty())));
        ImageWhereabouts found = ImageWhereabouts.find(ImageReference.parse("docker.io/library/nginx:1.27"), List.of(),
                List.of(pending));
        assertThat(found.nodes()).isEmpty();
        assertThat(found.pods()).singleElement().satisfies(use -> {
            assertThat(use.decision().presence()).isEqualTo(Presence.NO_NODE);
            assertThat(use.decision().action()).isEqualTo(Action.PULL_IF_MISSING);
        });
    }

    private static ClusterPod pod(String name, String node, PodImage image) {
        return new ClusterPod("default", name, Optional.of(node), Optional.of("Running"), "default", List.of(),
                List.of(image));
    }
}
