package io.gantry.ui.cluster;

import io.gantry.ui.FxReads;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.testing.MockKubeconfig;
import io.gantry.ui.EndpointItem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
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
 * Clusters in the rail (issue 16): every context of the kubeconfig, the current one first; choosing
 * one shows its nodes with their cached images, a gauge of each image filesystem against the
 * kubelet's GC thresholds, disk pressure and the kubelet's 50-image cap; a cluster that does not
 * answer shows its state and the reason with Retry. No kube-apiserver can run on these machines:
 * the cluster is fabric8's mock API server in CRUD mode (nodes created through its client); the
 * kubelet's summary and configz answers, which the mock cannot give, are expectations in front of
 * the CRUD store. The other context points at a loopback port nothing listens on.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class ClusterRailTest {

    private static final long GIB = 1L << 30;

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        NodeStatusBuilder full = new NodeStatusBuilder()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("DiskPressure").withStatus("True").endCondition();
        for (int i = 0; i < ClusterNode.REPORTED_IMAGES_CAP; i++) {
            full.addNewImage().withNames("registry.example.com/team/app-" + i + ":1.0").withSizeBytes((100L - i) << 20)
                    .endImage();
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata()
                .withStatus(full.build()).build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-2").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewImage().withNames("docker.io/library/nginx:1.27").withSizeBytes(72L << 20).endImage()
                .addNewImage().withNames("registry.k8s.io/pause:3.10").withSizeBytes(300L << 10).endImage()
                .endStatus().build()).create();
        // worker-1's kubelet: 92% used, its own thresholds 90/75; worker-2's: 40% used, says nothing of its configuration
        server.expect().get().withPath("/api/v1/nodes/worker-1/proxy/stats/summary")
                .andReturn(200, summary(100 * GIB, 8 * GIB, 70 * GIB)).always();
        server.expect().get().withPath("/api/v1/nodes/worker-1/proxy/configz")
                .andReturn(200, "{\"kubeletconfig\":{\"imageGCHighThresholdPercent\":90,"
                        + "\"imageGCLowThresholdPercent\":75}}").always();
        server.expect().get().withPath("/api/v1/nodes/worker-2/proxy/stats/summary")
                .andReturn(200, summary(100 * GIB, 60 * GIB, 20 * GIB)).always();
    }

    private static String summary(long capacity, long available, long used) {
        return "{\"node\":{\"nodeName\":\"n\",\"runtime\":{\"imageFs\":{\"capacityBytes\":" + capacity
                + ",\"availableBytes\":" + available + ",\"usedBytes\":" + used + "}}},\"pods\":[]}";
    }

    @Start
    void start(Stage stage) throws Exception {
        app = ClusterWindow.open(stage, home, ClusterWindow.emptyStore(home), ClusterAccess.of(ClusterWindow.clusters(
                ClusterWindow.kubeconfig(home, server, "gone=" + MockKubeconfig.refusingUrl()), home)));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void contextsInTheRailNodesWithGaugesAndADeadClusterWithRetry(FxRobot robot) throws Exception {
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 2));
        assertThat(rail.getItems()).extracting(item -> item.context().name()).containsExactly("mock", "gone");
        assertThat(rail.getItems().get(0).stateProperty().get()).as("nothing is asked before it is chosen")
                .isEqualTo(ClusterItem.State.NOT_READ);

        // the current context: its nodes, once the kubelets' figures are in
        robot.interact(() -> rail.getSelectionModel().select(0));
        TableView<NodeRow> nodes = robot.lookup("#cluster-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 2
                && nodes.getItems().stream().noneMatch(NodeRow::reading)));
        SplitPane split = robot.lookup("#rail-split").queryAs(SplitPane.class);
        assertThat(split.getItems()).extracting(Node::getId).contains("cluster-view").doesNotContain("main-split");
        assertThat(robot.lookup("#endpoint-list").queryListView().getSelectionModel().getSelectedItem()).isNull();
        assertThat(rail.getItems().get(0).stateProperty().get()).isEqualTo(ClusterItem.State.CONNECTED);
        assertThat(rail.getItems().get(0).summaryProperty().get()).isEqualTo("2 nodes");

        // the status bar speaks of the cluster, not of the endpoint shown before
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> statusBar(robot).startsWith("Cluster mock:")));
        assertThat(statusBar(robot)).isEqualTo("Cluster mock: 2 nodes, 2 ready, 1 under disk pressure, image GC due on 1 "
                + "· namespace shop");

        NodeRow first = row(nodes, "worker-1");
        assertThat(first.node().diskPressure()).isTrue();
        assertThat(first.node().imageListMayBeCut()).isTrue();
        assertThat(first.imageFs()).hasValueSatisfying(fs -> assertThat(fs.usagePercent()).isEqualTo(92));
        assertThat(first.thresholds().highPercent()).isEqualTo(90);
        assertThat(first.thresholds().lowPercent()).isEqualTo(75);
        assertThat(first.ownThresholds()).isTrue();
        assertThat(first.gcDue()).isTrue();
        NodeRow second = row(nodes, "worker-2");
        assertThat(second.imageFs()).hasValueSatisfying(fs -> assertThat(fs.usagePercent()).isEqualTo(40));
        assertThat(second.ownThresholds()).isFalse();
        assertThat(second.thresholds().highPercent()).isEqualTo(85);
        assertThat(second.gcDue()).isFalse();
        // what the cells say
        // the cells follow the rows at the next layout pass: wait for them, then say what they show
        List<String> shown = List.of("worker-1", "YES", "50+", "92% GC due", "90% → 75%", "40%", "85% → 80% (default)", "2");
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> texts(robot, nodes).containsAll(shown));
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below names what is missing
        }
        assertThat(texts(robot, nodes)).containsAll(shown);
        assertThat(robot.lookup("#node-images-cap").queryAs(Label.class).getText())
                .contains("at most the 50 largest images").contains("may hold more");

        // a node's cached images
        robot.interact(() -> nodes.getSelectionModel().select(row(nodes, "worker-1")));
        TableView<ClusterNode.NodeImage> images = robot.lookup("#node-images").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 50));
        assertThat(robot.lookup("#node-images-title").queryAs(Label.class).getText())
                .isEqualTo("IMAGES ON worker-1: 50 images reported (the kubelet's cap: it may hold more) · from "
                        + "node.status.images");
        robot.interact(() -> nodes.getSelectionModel().select(row(nodes, "worker-2")));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 2));
        assertThat(robot.lookup("#node-images-title").queryAs(Label.class).getText())
                .isEqualTo("IMAGES ON worker-2: 2 images · from node.status.images");

        // a context whose API server refuses: its state and the reason in words, with Retry
        ClusterItem gone = rail.getItems().get(1);
        robot.interact(() -> rail.getSelectionModel().select(gone));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> gone.stateProperty().get()
                == ClusterItem.State.DISCONNECTED && robot.lookup("#cluster-error").tryQuery().isPresent()));
        assertThat(nodes.getItems()).isEmpty();
        List<String> said = robot.lookup("#cluster-error").queryAs(VBox.class).getChildren().stream()
                .filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList();
        assertThat(said.get(0)).isEqualTo("gone is not answering");
        assertThat(statusBar(robot)).startsWith("gone is not answering: ");
        assertThat(said.get(1)).isNotBlank().doesNotContain("Exception").doesNotContainPattern("\\b[a-z]+\\.[a-z]+\\.[A-Z]");
        robot.clickOn("#retry-cluster");
        assertThat(gone.stateProperty().get()).as("Retry asks again").isEqualTo(ClusterItem.State.CONNECTING);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> gone.stateProperty().get()
                == ClusterItem.State.DISCONNECTED && robot.lookup("#cluster-error").tryQuery().isPresent()));

        // an endpoint brings the images back
        ListView<EndpointItem> endpoints = robot.lookup("#endpoint-list").queryListView();
        robot.interact(() -> endpoints.getSelectionModel().select(0));
        assertThat(split.getItems()).extracting(Node::getId).contains("main-split").doesNotContain("cluster-view");
        assertThat(robot.lookup("#cluster-view").tryQuery()).isEmpty();
        assertThat(rail.getSelectionModel().getSelectedItem()).isNull();
        assertThat(statusBar(robot)).as("the endpoint's line again").doesNotContain("gone", "Cluster");
    }

    private static String statusBar(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup("#status-bar").queryAs(org.controlsfx.control.StatusBar.class)
                .getText()).get(30, TimeUnit.SECONDS);
    }

    /** {@code condition} read in one FX step, so the window cannot change halfway through it. */
    private static boolean onFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        return WaitForAsyncUtils.asyncFx(condition).get(30, TimeUnit.SECONDS);
    }

    private static NodeRow row(TableView<NodeRow> nodes, String name) {
        return FxReads.items(nodes).stream().filter(r -> r.node().name().equals(name)).findFirst().orElseThrow();
    }

    /** Every label and cell text shown in {@code table}, read in one FX step. */
    private static List<String> texts(FxRobot robot, TableView<?> table) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.from(table).lookup((Node n) -> n instanceof javafx.scene.control.Labeled)
                .queryAllAs(javafx.scene.control.Labeled.class).stream().map(javafx.scene.control.Labeled::getText)
                .filter(t -> t != null).toList()).get(30, TimeUnit.SECONDS);
    }
}
