package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.NodeImageCache;
import io.gantry.engine.cluster.ClusterNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The parts of {@link NodeCris}'s rule that need no CRI: which node names are this machine, that no
 * CRI leaves every node as reported, and how the CRI's images become a node's list. The rule with a
 * real CRI is {@code KubeNodeCriTest} (peer).
 */
class NodeCrisTest {

    @Test
    void aNodeIsThisMachineByItsHostNameIgnoringCaseAndTheDomain() {
        assertThat(NodeCris.sameHost("worker-1", "worker-1")).isTrue();
        assertThat(NodeCris.sameHost("Worker-1", "worker-1")).isTrue();
        assertThat(NodeCris.sameHost("worker-1", "worker-1.lab.example.com")).isTrue();
        assertThat(NodeCris.sameHost("worker-1.lab.example.com", "worker-1")).isTrue();
        assertThat(NodeCris.sameHost("worker-1.lab.example.com", "worker-1.other.example.com")).isFalse();
        assertThat(NodeCris.sameHost("worker-10", "worker-1")).isFalse();
        assertThat(NodeCris.sameHost("worker-1x.lab", "worker-1")).isFalse();
        assertThat(NodeCris.sameHost("worker-1", "")).as("no host name: no node is this machine").isFalse();
    }

    @Test
    void withoutACriEveryNodeKeepsItsReportedImages() {
        ClusterNode node = new ClusterNode(NodeCris.thisHostName(), true, false, Optional.empty(), Optional.empty(),
                List.of(new ClusterNode.NodeImage(List.of("nginx:1.27"), 10)), Map.of());
        try (NodeCris none = NodeCris.none()) {
            assertThat(none.preferCri(List.of(node))).containsExactly(node);
            assertThat(none.find(node)).isEmpty();
        }
        assertThat(node.imagesSource()).isEqualTo("node.status.images");
    }

    @Test
    void theCrisImagesAreNamedByTagsAndDigestsLargestFirstAndNeverCut() {
        NodeImageCache cache = new NodeImageCache("/var/lib/containerd", 0, OptionalLong.empty(), List.of(
                new NodeImageCache.NodeImage("sha256:" + "a".repeat(64), List.of("docker.io/library/busybox:1.36"),
                        List.of("docker.io/library/busybox@sha256:" + "b".repeat(64)), 4_000, false, List.of(), Instant.EPOCH),
                new NodeImageCache.NodeImage("sha256:" + "c".repeat(64), List.of(), List.of(), 9_000, false, List.of(),
                        Instant.EPOCH)));
        List<ClusterNode.NodeImage> images = NodeCris.images(cache);
        assertThat(images).extracting(ClusterNode.NodeImage::sizeBytes).containsExactly(9_000L, 4_000L);
        assertThat(images.get(1).names()).containsExactly("docker.io/library/busybox:1.36",
                "docker.io/library/busybox@sha256:" + "b".repeat(64));

        List<ClusterNode.NodeImage> sixty = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> new ClusterNode.NodeImage(List.of("r/i" + i + ":1"), i)).toList();
        ClusterNode fromCri = new ClusterNode("n", true, false, Optional.empty(), Optional.empty(), List.of(), Map.of())
                .withCriImages("k3s", sixty);
        assertThat(fromCri.imageListMayBeCut()).as("the CRI lists every image").isFalse();
        assertThat(fromCri.imagesSource()).isEqualTo("CRI (k3s)");
    }
}
