package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.cli.KubeCli.Run;
import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.service.NodeCris;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry kube nodes} and {@code kube where} read a node's images from its own CRI when one on
 * this machine is that node ({@link NodeCris#RULE}): the real containerd of the harness (its CRI
 * plugin, on a private socket) beside fabric8's mock API server in CRUD mode, which stands in for the
 * kube-apiserver that cannot run here. The mock holds a node object named like this machine (the
 * name the CRI's node has by the rule) whose {@code status.images} is full (50 other images), so only
 * the CRI knows the test's image; a second node, named otherwise, keeps its reported list.
 */
@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
@EnableKubernetesMockClient(crud = true, https = false)
class KubeNodeCriTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private final FixtureImages images = new FixtureImages();
    private KubeCli cli;

    @BeforeEach
    void kubeconfig() {
        cli = new KubeCli(dir, server, EngineCredentials.anonymous(), Optional.empty());
    }

    /** The CRIs the CLI may match: only the harness's containerd, named {@code cri-under-test}. */
    private static NodeCris cris(ContainerdPeer containerd) {
        return new NodeCris(() -> List.<ImageStore>of(ContainerdStore.open("cri-under-test", containerd.socket(),
                ContainerdStore.DEFAULT_NAMESPACE)), NodeCris.thisHostName());
    }

    private static Node fullNode(String name, String runtime) {
        var status = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.33.1").withContainerRuntimeVersion(runtime).endNodeInfo();
        for (int i = 0; i < 50; i++) {
            status = status.addNewImage().withNames("registry.example.com/large" + i + ":1")
                    .withSizeBytes(900_000_000L - i).endImage();
        }
        return status.endStatus().build();
    }

    @Test
    void theNodeThatIsThisMachinesCriAnswersFromItsCriBeyondTheKubeletsCap(ContainerdPeer containerd,
                                                                           RegistryPeer registry) {
        String host = NodeCris.thisHostName();
        assertThat(host).as("this machine's host name").isNotBlank();
        FixtureImage image = images.image(FixtureImages.unique("cri-where")).layer("ADD app", l -> l.file("app", "v1"));
        registry.pusher().push(image);
        containerd.trustRegistry(registry.hostPort());
        String ref = image.reference(registry.hostPort());
        String version;
        try (ContainerdStore store = ContainerdStore.open("setup", containerd.socket(), "default")) {
            store.pullToNode(ImageReference.parse(ref), p -> { }, Cancellation.none());
            version = store.info().version();
        }
        client.nodes().resource(fullNode(host, "containerd://" + version)).create();
        client.nodes().resource(fullNode("elsewhere-1", "containerd://" + version)).create();
        cli.nodeCris(() -> cris(containerd));

        Run where = cli.run("kube", "where", ref);
        assertThat(where.code()).as(where.err()).isZero();
        System.out.println("gantry kube where " + ref + ":\n" + where.out());
        String hostRow = row(where.out(), host);
        assertThat(hostRow).contains("yes").contains("CRI (cri-under-test)");
        assertThat(row(where.out(), "elsewhere-1")).contains("not known").contains("node.status.images");

        String byDigest = ImageReference.parse(ref).name() + "@" + image.manifestDigest();
        Run whereDigest = cli.run("kube", "where", byDigest, "--format", "json");
        assertThat(whereDigest.code()).as(whereDigest.err()).isZero();
        assertThat(whereDigest.out().replaceAll("\\s+", ""))
                .contains("\"node\":\"" + host + "\",\"presence\":\"PRESENT\",\"from\":\"cri\"")
                .contains("\"node\":\"elsewhere-1\",\"presence\":\"NOT_LISTED\",\"from\":\"nodeStatus\"");

        Run nodes = cli.run("kube", "nodes", "--images");
        assertThat(nodes.code()).as(nodes.err()).isZero();
        System.out.println("gantry kube nodes --images:\n" + nodes.out().lines().limit(12).reduce("", (a, b) -> a + b + "\n"));
        String hostNode = row(nodes.out(), host);
        assertThat(hostNode).contains("CRI (cri-under-test)").doesNotContain("50+");
        assertThat(row(nodes.out(), "elsewhere-1")).contains("50+").contains("node.status.images");
        assertThat(nodes.out()).contains(ref);
    }

    @Test
    void aNodeReportingAnotherContainerdVersionKeepsItsReportedImages(ContainerdPeer containerd) {
        String host = NodeCris.thisHostName();
        client.nodes().resource(fullNode(host, "containerd://0.0.1-not-this-one")).create();
        cli.nodeCris(() -> cris(containerd));

        Run nodes = cli.run("kube", "nodes", "--format", "json");
        assertThat(nodes.code()).as(nodes.err()).isZero();
        assertThat(nodes.out().replaceAll("\\s+", "")).contains("\"imageListMayBeCut\":true,\"imagesFrom\":\"nodeStatus\"")
                .doesNotContain("\"imagesFrom\":\"cri\"");
    }

    /** The table line starting with {@code first}. */
    private static String row(String table, String first) {
        return table.lines().filter(l -> l.startsWith(first + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + first + " in:\n" + table));
    }
}
