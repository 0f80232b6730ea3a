package io.gantry.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ImageWhereabouts.NodeHolding;
import io.gantry.engine.cluster.ImageWhereabouts.PodUse;
import io.gantry.engine.cluster.KubeletPullRules;
import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Where is this image?" from an image's menu (issue 16): the nodes holding it (one lists it, one
 * lists the kubelet's 50 and not it: "not known") and the pods using it, each container with its
 * effective pull policy and what the kubelet will do; the namespace narrows the pods. No
 * kube-apiserver can run on these machines: the cluster is fabric8's mock API server in CRUD mode,
 * its nodes and pods created through its client (it does no defaulting, so a policy left out stays
 * empty for Gantry's rules to default, as the API server would have).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class WhereWindowTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private static final String REPOSITORY = FixtureImages.unique("registry.example.com/shop/web");
    private static final String IMAGE = REPOSITORY + ":1.27";

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().withNewStatus()
                .addNewImage().withNames(REPOSITORY + "@sha256:" + "cd".repeat(32), IMAGE).withSizeBytes(48L << 20)
                .endImage().endStatus().build()).create();
        NodeStatusBuilder full = new NodeStatusBuilder();
        for (int i = 0; i < ClusterNode.REPORTED_IMAGES_CAP; i++) {
            full.addNewImage().withNames("registry.example.com/other/big-" + i + ":1").withSizeBytes(1L << 30).endImage();
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-2").endMetadata()
                .withStatus(full.build()).build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-7d4b9")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1")
                .addNewContainer().withName("web").withImage(IMAGE).endContainer().endSpec().build()).create();
        client.pods().inNamespace("batch").resource(new PodBuilder().withNewMetadata().withName("report-28871")
                .withNamespace("batch").endMetadata().withNewSpec().withNodeName("worker-2")
                .addNewInitContainer().withName("migrate").withImage(IMAGE).withImagePullPolicy("Never").endInitContainer()
                .addNewContainer().withName("report").withImage("registry.example.com/other/report:3").endContainer()
                .endSpec().build()).create();
    }

    @Start
    void start(Stage stage) throws Exception {
        FixtureImage image = new FixtureImages().image(REPOSITORY).layer("ADD web", l -> l.file("web", "serves"));
        app = ClusterWindow.open(stage, home, ClusterWindow.storeWith(home, new DockerArchive().add(image, IMAGE)),
                ClusterWindow.access(home, server));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void theNodesHoldingAnImageAndThePodsUsingItWithWhatTheKubeletWillDo(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> images = robot.lookup("#images-table").queryTableView();
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 1 && rail.getItems().size() == 1));

        // the image's menu offers it while the kubeconfig has contexts; the row's cell gets its item at the next layout pass
        javafx.scene.control.ContextMenu menu = io.gantry.ui.RowMenus.show(robot,
                i -> (i.repository() + ":" + i.tag()).equals(IMAGE));
        javafx.scene.control.MenuItem where = menu.getItems().stream()
                .filter(i -> "where-menu".equals(i.getId())).findFirst().orElseThrow();
        assertThat(where.isVisible()).isTrue();
        assertThat(where.isDisable()).isFalse();
        robot.interact(where::fire);
        robot.interact(() -> menu.hide());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#where-nodes").tryQuery().isPresent()));
        TableView<NodeHolding> nodes = robot.lookup("#where-nodes").queryTableView();
        TableView<PodUse> pods = robot.lookup("#where-pods").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 2 && pods.getItems().size() == 2));

        assertThat(robot.lookup("#where-title").queryAs(Label.class).getText()).isEqualTo("Where is " + IMAGE + "?");
        assertThat(nodes.getItems()).extracting(h -> h.node().name() + " " + h.presence())
                .containsExactlyInAnyOrder("worker-1 PRESENT", "worker-2 NOT_LISTED");
        PodUse web = pods.getItems().stream().filter(u -> u.pod().name().equals("web-7d4b9")).findFirst().orElseThrow();
        assertThat(web.decision().policyLabel()).isEqualTo("IfNotPresent (default)");
        assertThat(web.decision().action()).isEqualTo(KubeletPullRules.Action.USE_CACHED);
        PodUse job = pods.getItems().stream().filter(u -> u.pod().name().equals("report-28871")).findFirst().orElseThrow();
        assertThat(job.image().label()).isEqualTo("migrate (init container)");
        assertThat(job.decision().policyLabel()).isEqualTo("Never");
        assertThat(job.decision().action()).isEqualTo(KubeletPullRules.Action.FAIL_IF_MISSING);
        assertThat(robot.lookup("#where-status").queryAs(Label.class).getText())
                .isEqualTo("Held by 1 of 2 nodes; used by 2 containers in 2 pods.");
        assertThat(robot.lookup("#where-cap").queryAs(Label.class).getText()).contains("at most the 50 largest images");

        // the namespace narrows the pods
        robot.clickOn("#where-namespace").write("shop").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> pods.getItems().size() == 1
                && robot.lookup("#where-status").queryAs(Label.class).getText().startsWith("Held")));
        assertThat(pods.getItems().get(0).pod().name()).isEqualTo("web-7d4b9");
        TextField namespace = robot.lookup("#where-namespace").queryAs(TextField.class);
        robot.interact(() -> namespace.setText("nowhere"));
        robot.clickOn("#where-read");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> pods.getItems().isEmpty()
                && robot.lookup("#where-status").queryAs(Label.class).getText().startsWith("Held")));
        assertThat(robot.lookup("#where-no-pods").queryAs(Label.class).getText()).isEqualTo("No pod in namespace nowhere uses it.");

        // from here, "Pre-pull to nodes…" opens on the same image and cluster
        java.util.Set<javafx.scene.Node> before = new java.util.HashSet<>(robot.lookup("#prepull-view").queryAll());
        robot.interact(robot.lookup("#where-prepull").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#prepull-view").queryAll().stream()
                .anyMatch(n -> !before.contains(n))));
        javafx.scene.Parent prePull = (javafx.scene.Parent) robot.lookup("#prepull-view").queryAll().stream()
                .filter(n -> !before.contains(n)).findFirst().orElseThrow();
        assertThat(robot.from(prePull).lookup("#prepull-image").queryAs(TextField.class).getText()).isEqualTo(IMAGE);
        TableView<PrePullViewModel.NodeChoice> choices = robot.from(prePull).lookup("#prepull-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> choices.getItems().size() == 2));
        assertThat(WaitForAsyncUtils.asyncFx(() -> choices.getItems().stream().map(n -> n.name() + " " + n.holds())
                .toList()).get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder("worker-1 yes (" + ImageTable.humanSize(48L << 20) + ")",
                "worker-2 not known");
    }

    @Test
    void theDetailsPaneOfAnImageOffersItToo(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> images = robot.lookup("#images-table").queryTableView();
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 1 && rail.getItems().size() == 1));
        java.util.Set<javafx.scene.Node> before = new java.util.HashSet<>(robot.lookup("#where-title").queryAll());

        robot.interact(() -> images.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#details-where").tryQuery()
                .map(javafx.scene.Node::isVisible).orElse(false)));
        javafx.scene.control.Hyperlink link = robot.lookup("#details-where").queryAs(javafx.scene.control.Hyperlink.class);
        assertThat(link.getText()).startsWith("Where is this image?");
        robot.interact(link::fire);

        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#where-title").queryAll().stream()
                .anyMatch(n -> !before.contains(n))));
        Label title = (Label) robot.lookup("#where-title").queryAll().stream().filter(n -> !before.contains(n))
                .findFirst().orElseThrow();
        assertThat(title.getText()).isEqualTo("Where is " + IMAGE + "?");
        TableView<NodeHolding> nodes = robot.from(title.getScene().getRoot()).lookup("#where-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 2));
        assertThat(nodes.getItems()).extracting(h -> h.node().name() + " " + h.presence())
                .containsExactlyInAnyOrder("worker-1 PRESENT", "worker-2 NOT_LISTED");
    }

    /** {@code condition} read in one FX step, so the window cannot change halfway through it. */
    private static boolean onFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        return WaitForAsyncUtils.asyncFx(condition).get(30, TimeUnit.SECONDS);
    }
}
