package io.gantry.ui.cluster;

import io.gantry.ui.FxReads;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.engine.ImageStore;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ImageWhereabouts.NodeHolding;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.service.ImageTable;
import io.gantry.service.NodeCris;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
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
 * The window reads a node's images from its own CRI where one on this machine is that node
 * ({@link NodeCris#RULE}): the node list says FROM which source, and "Where is this image?" finds an
 * image the kubelet's capped {@code status.images} leaves out. The CRI is the harness's real
 * containerd (its CRI plugin); the API server is fabric8's mock server in CRUD mode (no
 * kube-apiserver can run here), holding a node object named like this machine, as the rule matches
 * it, with a full list of 50 other images, and a node named otherwise with the same list.
 */
@Tag("gui")
@Tag("peer")
@ExtendWith({ApplicationExtension.class, ContainerdExtension.class, RegistryExtension.class})
@EnableKubernetesMockClient(crud = true, https = false)
class NodeCriWindowTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private static final String HOST = NodeCris.thisHostName();
    private static FixtureImage image;
    private static String reference;
    private static Path criSocket;

    private ClusterWindow app;

    @BeforeAll
    static void nodeWithTheImageOnlyInItsCri(ContainerdPeer containerd, RegistryPeer registry) {
        image = new FixtureImages().image(FixtureImages.unique("cri-window")).layer("ADD app", l -> l.file("app", "cri"));
        registry.pusher().push(image);
        containerd.trustRegistry(registry.hostPort());
        reference = image.reference(registry.hostPort());
        criSocket = containerd.socket();
        String version;
        try (ContainerdStore store = ContainerdStore.open("setup", criSocket, "default")) {
            store.pullToNode(ImageReference.parse(reference), p -> { }, Cancellation.none());
            version = store.info().version();
        }
        client.nodes().resource(fullNode(HOST, "containerd://" + version)).create();
        client.nodes().resource(fullNode("elsewhere-1", "containerd://" + version)).create();
    }

    private static Node fullNode(String name, String runtime) {
        var status = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.33.1").withContainerRuntimeVersion(runtime).endNodeInfo();
        for (int i = 0; i < ClusterNode.REPORTED_IMAGES_CAP; i++) {
            status = status.addNewImage().withNames("registry.example.com/large" + i + ":1")
                    .withSizeBytes(900_000_000L - i).endImage();
        }
        return status.endStatus().build();
    }

    @Start
    void start(Stage stage) throws Exception {
        assertThat(HOST).as("this machine's host name").isNotBlank();
        OciLayoutStore store = ClusterWindow.storeWith(home, new DockerArchive().add(image, reference));
        ClusterAccess access = ClusterWindow.access(home, server)
                .withNodeCris(() -> new NodeCris(() -> List.<ImageStore>of(ContainerdStore.open("cri-under-test",
                        criSocket, ContainerdStore.DEFAULT_NAMESPACE)), HOST));
        app = ClusterWindow.open(stage, home, store, access);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void theNodeListAndWhereAnswerFromTheNodesCri(FxRobot robot) throws Exception {
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        TableView<NodeRow> nodes = robot.lookup("#cluster-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 2));

        ClusterNode mine = row(nodes, HOST).node();
        assertThat(mine.imagesFromCri()).contains("cri-under-test");
        assertThat(mine.imageListMayBeCut()).isFalse();
        assertThat(mine.images()).anySatisfy(i -> assertThat(i.names()).contains(reference));
        ClusterNode other = row(nodes, "elsewhere-1").node();
        assertThat(other.imagesSource()).isEqualTo("node.status.images");
        assertThat(other.imageListMayBeCut()).isTrue();
        robot.interact(() -> nodes.getSelectionModel().select(row(nodes, HOST)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#node-images-title")
                .queryAs(Label.class).getText().startsWith("IMAGES ON " + HOST)));
        assertThat(robot.lookup("#node-images-title").queryAs(Label.class).getText())
                .endsWith("· from CRI (cri-under-test)").doesNotContain("cap");
        assertThat(robot.lookup("#node-images-cap").queryAs(Label.class).getText()).contains("host name");

        // Where, from the image's menu: the node that is this machine holds it by its CRI; the other is "not known"
        ListView<io.gantry.ui.EndpointItem> endpoints = robot.lookup("#endpoint-list").queryListView();
        robot.interact(() -> endpoints.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#images-table").tryQuery().isPresent()));
        TableView<ImageTable.Row> images = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 1));
        javafx.scene.control.ContextMenu menu = io.gantry.ui.RowMenus.show(robot,
                i -> (i.repository() + ":" + i.tag()).equals(ImageReference.parse(reference).familiar()));
        javafx.scene.control.MenuItem where = menu.getItems().stream()
                .filter(i -> "where-menu".equals(i.getId())).findFirst().orElseThrow();
        robot.interact(where::fire);
        robot.interact(menu::hide);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#where-nodes").tryQuery().isPresent()));
        TableView<NodeHolding> holding = robot.lookup("#where-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> holding.getItems().size() == 2));
        assertThat(holding.getItems()).extracting(h -> h.node().name() + " " + h.presence() + " " + h.node().imagesSource())
                .containsExactlyInAnyOrder(HOST + " PRESENT CRI (cri-under-test)",
                        "elsewhere-1 NOT_LISTED node.status.images");
        // the cells follow the rows at the next layout pass: wait for the FROM cell, then say what it shows
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> texts(robot, holding).contains("CRI (cri-under-test)"));
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below names what is missing
        }
        assertThat(texts(robot, holding)).contains("CRI (cri-under-test)", "node.status.images", "FROM");
        assertThat(robot.lookup("#where-cap").queryAs(Label.class).getText()).contains("CRI answers instead");
    }

    /**
     * "Pre-pull to nodes…" from the cluster's view: the node that is this machine pulls through its CRI
     * (the image lands in the real containerd's {@code k8s.io}) and no DaemonSet is made when it is the
     * only node chosen; with the other node chosen too, the DaemonSet's preview leaves this one out by
     * name; an image the registry does not have fails on the node's row, in words.
     */
    @Test
    void prePullGoesThroughTheNodesCriAndTheDaemonSetLeavesItOut(FxRobot robot, ContainerdPeer containerd,
                                                                  RegistryPeer registry) throws Exception {
        FixtureImage other = new FixtureImages().image(FixtureImages.unique("cri-window-prepull"))
                .layer("ADD app", l -> l.file("app", "prepull"));
        registry.pusher().push(other);
        String ref = other.reference(registry.hostPort());
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#cluster-prepull").tryQuery()
                .map(javafx.scene.Node::isVisible).orElse(false)));
        java.util.Set<javafx.scene.Node> before = new java.util.HashSet<>(robot.lookup("#prepull-view").queryAll());
        robot.interact(robot.lookup("#cluster-prepull").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#prepull-view").queryAll()
                .stream().anyMatch(n -> !before.contains(n))));
        javafx.scene.Parent view = (javafx.scene.Parent) robot.lookup("#prepull-view").queryAll().stream()
                .filter(n -> !before.contains(n)).findFirst().orElseThrow();
        javafx.scene.control.TextField image = robot.from(view).lookup("#prepull-image")
                .queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> image.setText(ref));
        robot.interact(robot.from(view).lookup("#prepull-reload").queryButton()::fire);
        TableView<PrePullViewModel.NodeChoice> nodes = robot.from(view).lookup("#prepull-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 2));
        assertThat(onFxValue(() -> nodes.getItems().stream().map(n -> n.name() + " " + n.holds() + " "
                + n.viaProperty().get()).toList())).containsExactlyInAnyOrder(
                HOST + " no its own CRI (cri-under-test)", "elsewhere-1 not known the DaemonSet");

        // this machine's node alone: no DaemonSet, the pull goes through its CRI
        robot.interact(() -> choice(nodes, "elsewhere-1").chosenProperty().set(false));
        robot.interact(robot.from(view).lookup("#prepull-preview").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !labelText(robot, view, "#prepull-plan").isEmpty()));
        assertThat(labelText(robot, view, "#prepull-plan")).contains("Through their own CRI", HOST + " (cri-under-test)",
                "No DaemonSet: every chosen node pulls through its own CRI.");
        assertThat(robot.from(view).lookup("#prepull-yaml").queryAs(javafx.scene.control.TextArea.class).getText()).isEmpty();
        robot.interact(robot.from(view).lookup("#prepull-apply").queryButton()::fire);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(() -> labelText(robot, view, "#prepull-status")
                .startsWith("Done")));
        assertThat(labelText(robot, view, "#prepull-status")).isEqualTo("Done: 1 of 1 node(s) have the image.");
        PrePullViewModel.NodeChoice mine = choice(nodes, HOST);
        assertThat(onFxValue(() -> mine.stateProperty().get())).isEqualTo(PrePullViewModel.State.HAS_IT);
        assertThat(onFxValue(() -> mine.detailProperty().get())).startsWith("pulled through its CRI cri-under-test in ");
        assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).contains(ref);
        assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).isEmpty();

        // both nodes: the DaemonSet leaves this machine's node out by name
        robot.interact(() -> choice(nodes, "elsewhere-1").chosenProperty().set(true));
        robot.interact(robot.from(view).lookup("#prepull-preview").queryButton()::fire);
        javafx.scene.control.TextArea yaml = robot.from(view).lookup("#prepull-yaml")
                .queryAs(javafx.scene.control.TextArea.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !yaml.getText().isEmpty()));
        assertThat(yaml.getText()).contains("kind: DaemonSet", "operator: NotIn", "- \"" + HOST + "\"")
                .doesNotContain("elsewhere-1");
        assertThat(labelText(robot, view, "#prepull-plan")).contains(": elsewhere-1.");

        // an image the registry does not have: the node's row says why, and so does the status
        String missing = registry.hostPort() + "/" + FixtureImages.unique("no-such-image") + ":1";
        robot.interact(() -> {
            image.setText(missing);
            choice(nodes, "elsewhere-1").chosenProperty().set(false);
        });
        robot.interact(robot.from(view).lookup("#prepull-preview").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !robot.from(view).lookup("#prepull-apply")
                .queryButton().isDisable()));
        robot.interact(robot.from(view).lookup("#prepull-apply").queryButton()::fire);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(() -> labelText(robot, view, "#prepull-status")
                .startsWith("The pull fails")));
        assertThat(labelText(robot, view, "#prepull-status")).startsWith("The pull fails on " + HOST + "; 0 of 1 node(s)");
        assertThat(onFxValue(() -> mine.stateProperty().get())).isEqualTo(PrePullViewModel.State.FAILED);
        assertThat(onFxValue(() -> mine.detailProperty().get())).contains("onto the node (CRI)")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static PrePullViewModel.NodeChoice choice(TableView<PrePullViewModel.NodeChoice> nodes, String name) {
        return nodes.getItems().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static String labelText(FxRobot robot, javafx.scene.Parent view, String id) {
        return robot.from(view).lookup(id).queryAs(Label.class).getText();
    }

    private static <T> T onFxValue(java.util.concurrent.Callable<T> value) throws Exception {
        return WaitForAsyncUtils.asyncFx(value).get(30, TimeUnit.SECONDS);
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
        return WaitForAsyncUtils.asyncFx(() -> robot.from(table).lookup((javafx.scene.Node n) -> n instanceof javafx.scene.control.Labeled)
                .queryAllAs(javafx.scene.control.Labeled.class).stream().map(javafx.scene.control.Labeled::getText)
                .filter(t -> t != null).toList()).get(30, TimeUnit.SECONDS);
    }
}
