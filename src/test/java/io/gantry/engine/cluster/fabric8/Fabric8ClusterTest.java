package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.ClusterPod.Kind;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.PullPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fabric8 adapter against fabric8's mock API server in CRUD mode (no kube-apiserver can run on
 * these machines; the mock stores what is created and answers lists and gets, and does no
 * defaulting or validation). The objects are created through a fabric8 client of the mock, then
 * read through Gantry's port from a kubeconfig file pointing at it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class Fabric8ClusterTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private Fabric8Clusters clustersAt(String url) throws IOException {
        Path file = Files.writeString(dir.resolve("config"), KubeconfigFilesTest.kubeconfig("mock",
                "mock=" + url + "=shop"));
        return new Fabric8Clusters(Map.of("KUBECONFIG", file.toString()), dir);
    }

    private String mockUrl() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    @Test
    void nodesWithTheirImagesAndConditions() throws IOException {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("DiskPressure").withStatus("True").endCondition()
                .addNewImage().withNames("docker.io/library/nginx@sha256:" + "ab".repeat(32),
                        "docker.io/library/nginx:1.27").withSizeBytes(72_000_000L).endImage()
                .withNewNodeInfo().withKubeletVersion("v1.33.1").withContainerRuntimeVersion("containerd://1.7.27")
                .endNodeInfo()
                .endStatus().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-2").endMetadata().build()).create();

        try (Cluster cluster = clustersAt(mockUrl()).connect(Optional.empty())) {
            assertThat(cluster.context().name()).isEqualTo("mock");
            List<ClusterNode> nodes = cluster.nodes();
            assertThat(nodes).extracting(ClusterNode::name).containsExactlyInAnyOrder("worker-1", "worker-2");
            ClusterNode worker = nodes.stream().filter(n -> n.name().equals("worker-1")).findFirst().orElseThrow();
            assertThat(worker.ready()).isTrue();
            assertThat(worker.diskPressure()).isTrue();
            assertThat(worker.kubeletVersion()).contains("v1.33.1");
            assertThat(worker.containerRuntime()).contains("containerd://1.7.27");
            assertThat(worker.images()).singleElement().satisfies(image -> {
                assertThat(image.names()).contains("docker.io/library/nginx:1.27");
                assertThat(image.sizeBytes()).isEqualTo(72_000_000L);
            });
            ClusterNode bare = nodes.stream().filter(n -> n.name().equals("worker-2")).findFirst().orElseThrow();
            assertThat(bare.ready()).isFalse();
            assertThat(bare.images()).isEmpty();
            assertThat(bare.kubeletVersion()).isEmpty();
        }
    }

    @Test
    void podsOfOneNamespaceOrAllWithEveryImageTheyNeed() throws IOException {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata()
                .withNewSpec().withNodeName("worker-1").withServiceAccountName("builder")
                .addNewImagePullSecret("regcred")
                .addNewInitContainer().withName("init").withImage("busybox:1.36").withImagePullPolicy("Never")
                .endInitContainer()
                .addNewContainer().withName("nginx").withImage("nginx:1.27").endContainer()
                .addNewVolume().withName("models").withNewImage().withReference("registry.example.com/models:v1")
                .withPullPolicy("IfNotPresent").endImage().endVolume()
                .endSpec()
                .withNewStatus().withPhase("Pending")
                .addNewContainerStatus().withName("nginx").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .endWaiting().endState().endContainerStatus()
                .endStatus().build()).create();
        client.pods().inNamespace("other").resource(new PodBuilder().withNewMetadata().withName("job")
                .withNamespace("other").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("alpine").endContainer().endSpec().build()).create();

        try (Cluster cluster = clustersAt(mockUrl()).connect(Optional.of("mock"))) {
            assertThat(cluster.pods(Optional.empty())).extracting(ClusterPod::name).containsExactlyInAnyOrder("web", "job");
            List<ClusterPod> shop = cluster.pods(Optional.of("shop"));
            assertThat(shop).singleElement().satisfies(pod -> {
                assertThat(pod.namespace()).isEqualTo("shop");
                assertThat(pod.nodeName()).contains("worker-1");
                assertThat(pod.phase()).contains("Pending");
                assertThat(pod.serviceAccount()).isEqualTo("builder");
                assertThat(pod.imagePullSecrets()).containsExactly("regcred");
                assertThat(pod.images()).containsExactly(
                        new PodImage(Kind.INIT_CONTAINER, "init", "busybox:1.36", Optional.of(PullPolicy.NEVER),
                                Optional.empty()),
                        new PodImage(Kind.CONTAINER, "nginx", "nginx:1.27", Optional.empty(),
                                Optional.of("ImagePullBackOff")),
                        new PodImage(Kind.IMAGE_VOLUME, "models", "registry.example.com/models:v1",
                                Optional.of(PullPolicy.IF_NOT_PRESENT), Optional.empty()));
            });
            assertThat(cluster.pod("other", "job")).get().satisfies(pod ->
                    assertThat(pod.serviceAccount()).isEqualTo("default"));
            assertThat(cluster.pod("other", "nope")).isEmpty();
        }
    }

    @Test
    void anAnswerLargerThanTheCapFailsInWordsAndASmallerOneIsRead() throws IOException {
        long cap = 64 << 10;
        Path file = Files.writeString(dir.resolve("config"), KubeconfigFilesTest.kubeconfig("mock",
                "mock=" + mockUrl() + "=shop"));
        Fabric8Clusters capped = new Fabric8Clusters(Map.of("KUBECONFIG", file.toString()), dir, cap);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("small").endMetadata().build()).create();
        try (Cluster cluster = capped.connect(Optional.empty())) {
            assertThat(cluster.nodes()).extracting(ClusterNode::name).containsExactly("small");
        }
        // a node whose image list alone is twice the cap
        var big = new io.fabric8.kubernetes.api.model.NodeStatusBuilder();
        for (int i = 0; i < 50; i++) {
            big.addNewImage().withNames("registry.example.com/" + "x".repeat(2_600) + "/app-" + i + ":1")
                    .withSizeBytes(1L << 20).endImage();
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("big").endMetadata()
                .withStatus(big.build()).build()).create();
        try (Cluster cluster = capped.connect(Optional.empty())) {
            assertThatThrownBy(cluster::nodes).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                assertThat(e.getMessage()).contains("sent an answer larger than 64 KiB").contains(mockUrl());
                assertThat(e.action()).get().asString().contains("proxy");
            });
        }
    }

    @Test
    void aListIsReadPageByPageWithTheContinueToken() throws IOException {
        // the CRUD mock ignores limit, so the two pages are expectations (they come before the CRUD store)
        server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, new io.fabric8.kubernetes.api.model
                .NodeListBuilder().withNewMetadata().withContinue("page-2").endMetadata()
                .addNewItem().withNewMetadata().withName("first").endMetadata().endItem().build()).always();
        server.expect().get().withPath("/api/v1/nodes?continue=page-2&limit=500").andReturn(200,
                new io.fabric8.kubernetes.api.model.NodeListBuilder().withNewMetadata().endMetadata()
                        .addNewItem().withNewMetadata().withName("second").endMetadata().endItem().build()).always();
        try (Cluster cluster = clustersAt(mockUrl()).connect(Optional.empty())) {
            assertThat(cluster.nodes()).extracting(ClusterNode::name).containsExactly("first", "second");
        }
    }

    @Test
    void aForbiddenListIsDeniedNamingTheUserAndWhatToDo() throws IOException {
        server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(403, new io.fabric8.kubernetes.api.model
                .StatusBuilder().withCode(403).withReason("Forbidden").withMessage("nodes is forbidden: User \"dev\" "
                        + "cannot list resource \"nodes\" at the cluster scope").build()).always();
        try (Cluster cluster = clustersAt(mockUrl()).connect(Optional.empty())) {
            assertThatThrownBy(cluster::nodes).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.DENIED);
                assertThat(e.httpStatus()).hasValue(403);
                assertThat(e.getMessage()).contains("mock-user").contains("cannot list resource");
                assertThat(e.action()).get().asString().contains("kubectl auth can-i");
            });
        }
    }

    @Test
    void anApiServerThatHangsUpIsUnavailable() throws Exception {
        try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!hangsUp.isClosed()) {
                    try (Socket socket = hangsUp.accept()) {
                        socket.setSoLinger(true, 0); // a reset, at once
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (Cluster cluster = clustersAt("http://127.0.0.1:" + hangsUp.getLocalPort()).connect(Optional.empty())) {
                assertThatThrownBy(cluster::nodes).isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + hangsUp.getLocalPort());
                    assertThat(e.action()).get().asString().contains("kubectl cluster-info --context mock");
                });
            }
        }
    }

    @Test
    void aNodesImageFilesystemFromItsKubeletsSummary() throws IOException {
        // the mock runs no kubelet: worker-1's summary and worker-3's refusal are expectations; worker-2's kubelet says nothing
        server.expect().get().withPath("/api/v1/nodes/worker-1/proxy/stats/summary").andReturn(200,
                "{\"node\":{\"runtime\":{\"imageFs\":{\"capacityBytes\":1000,\"availableBytes\":120,"
                        + "\"usedBytes\":600}}}}").always();
        server.expect().get().withPath("/api/v1/nodes/worker-3/proxy/stats/summary").andReturn(403,
                new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("nodes \"worker-3\" is forbidden: User \"dev\" cannot get resource \"nodes/proxy\"")
                        .build()).always();
        try (Cluster cluster = clustersAt(mockUrl()).connect(Optional.empty())) {
            assertThat(cluster.imageFilesystem("worker-1")).contains(new io.gantry.engine.cluster.NodeImageFs(1000, 120, 600));
            assertThat(cluster.imageFilesystem("worker-2")).isEmpty();
            assertThatThrownBy(() -> cluster.imageFilesystem("worker-3")).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.DENIED));
        }
    }
}
