package io.gantry.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.PrePuller;
import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
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
 * "Pre-pull to nodes…" (issue 16) from an image's menu and from a cluster's view: the nodes to
 * choose, the DaemonSet previewed (leaving out a node not chosen) and applied, then each node's
 * progress until every chosen one holds the image; a pull that fails, said in words with the pod's
 * reason; Stop; Delete. No kube-apiserver can run on these machines: the cluster is fabric8's mock API
 * server in CRUD mode, which stores objects but runs no controller and no kubelet, so the pre-puller's
 * pods and the nodes' image lists are written here as the DaemonSet controller and the kubelet would.
 * (Nodes pulling through their own CRI are tested against the real containerd in NodeCriWindowTest.)
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class PrePullWindowTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private static final String REPOSITORY = FixtureImages.unique("registry.example.com/shop/cache");
    private static final String DONE = REPOSITORY + ":done";
    private static final String FAILS = REPOSITORY + ":fails";
    private static final String STOPPED = REPOSITORY + ":stopped";

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        for (String name : List.of("worker-1", "worker-2", "worker-3")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/os", "linux").endMetadata().withNewStatus()
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        }
    }

    @Start
    void start(Stage stage) throws Exception {
        DockerArchive images = new DockerArchive();
        for (String tag : List.of(DONE, FAILS, STOPPED)) {
            images.add(new FixtureImages().image(REPOSITORY).layer("ADD " + tag, l -> l.file("tag", tag)), tag);
        }
        app = ClusterWindow.open(stage, home, ClusterWindow.storeWith(home, images), ClusterWindow.access(home, server));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void previewLeavesOutANodeNotChosenThenApplyFollowsEachNodeUntilItHoldsTheImage(FxRobot robot) throws Exception {
        Parent view = openFromMenu(robot, DONE);
        TableView<PrePullViewModel.NodeChoice> nodes = nodes(robot, view);
        assertThat(nodes.getItems()).extracting(n -> n.name() + " " + n.holds() + " " + n.viaProperty().get())
                .containsExactly("worker-1 no the DaemonSet", "worker-2 no the DaemonSet", "worker-3 no the DaemonSet");
        assertThat(nodes.getItems()).allMatch(n -> n.chosenProperty().get());
        assertThat(robot.from(view).lookup("#prepull-namespace").queryAs(TextField.class).getText()).isEqualTo("shop");
        Button apply = robot.from(view).lookup("#prepull-apply").queryButton();
        assertThat(apply.isDisable()).as("Apply before a preview").isTrue();

        robot.interact(() -> row(nodes, "worker-3").chosenProperty().set(false));
        robot.interact(robot.from(view).lookup("#prepull-preview").queryButton()::fire);
        TextArea yaml = robot.from(view).lookup("#prepull-yaml").queryAs(TextArea.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !yaml.getText().isEmpty()));
        String daemonSet = PrePuller.defaultName(DONE);
        assertThat(yaml.getText()).contains("kind: DaemonSet", "name: " + daemonSet, "namespace: shop",
                "image: \"" + DONE + "\"", "key: metadata.name", "operator: NotIn", "- \"worker-3\"");
        assertThat(text(view, robot, "#prepull-plan")).contains("Through DaemonSet shop/" + daemonSet + " on mock: "
                + "worker-1, worker-2.");
        assertThat(text(view, robot, "#prepull-status")).isEqualTo("Nothing was changed: Apply does this.");
        assertThat(client.apps().daemonSets().inNamespace("shop").withName(daemonSet).get()).isNull();

        robot.interact(apply::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> client.apps().daemonSets().inNamespace("shop")
                .withName(daemonSet).get() != null);
        DaemonSet applied = client.apps().daemonSets().inNamespace("shop").withName(daemonSet).get();
        assertThat(applied.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchFields()
                .get(0).getValues()).containsExactly("worker-3");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(view, robot, "#prepull-status")
                .startsWith("Created pre-puller shop/" + daemonSet + ". Following")));
        assertThat(robot.from(view).lookup("#prepull-stop").queryButton().isDisable()).isFalse();

        // as the kubelet would: worker-1's pod pulled the image; worker-2 lists it in its status
        pod(daemonSet, "worker-1", init -> init.withImageID("sha256:" + "ab".repeat(32)));
        client.nodes().withName("worker-2").editStatus(node -> new NodeBuilder(node).editStatus().addNewImage()
                .withNames(DONE).withSizeBytes(12L << 20).endImage().endStatus().build());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(view, robot, "#prepull-status")
                .contains("Done")));
        assertThat(text(view, robot, "#prepull-status")).isEqualTo("Created pre-puller shop/" + daemonSet + ". Done: "
                + "2 of 2 node(s) have the image. The pre-puller stays (so the image does); Delete removes it.");
        assertThat(nodes.getItems()).extracting(n -> n.name() + ": " + n.stateProperty().get() + " ("
                + n.detailProperty().get() + ")").containsExactly(
                "worker-1: has the image (pulled by pod " + daemonSet + "-worker-1)",
                "worker-2: has the image (listed in the node's status)",
                "worker-3:  ()");
        assertThat(robot.from(view).lookup("#prepull-stop").queryButton().isDisable()).isTrue();
    }

    @Test
    void aFailingPullIsSaidInWordsAndDeleteRemovesThePrePuller(FxRobot robot) throws Exception {
        // from the cluster's view, the image typed in
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#cluster-prepull").tryQuery()
                .map(Node::isVisible).orElse(false)));
        Set<Node> before = new HashSet<>(robot.lookup("#prepull-view").queryAll());
        robot.interact(robot.lookup("#cluster-prepull").queryButton()::fire);
        Parent view = opened(robot, before);
        TableView<PrePullViewModel.NodeChoice> nodes = nodes(robot, view);
        TextField image = robot.from(view).lookup("#prepull-image").queryAs(TextField.class);
        robot.interact(() -> image.setText(FAILS));
        robot.interact(robot.from(view).lookup("#prepull-preview").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !robot.from(view).lookup("#prepull-apply")
                .queryButton().isDisable()));
        robot.interact(robot.from(view).lookup("#prepull-apply").queryButton()::fire);
        String daemonSet = PrePuller.defaultName(FAILS);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> client.apps().daemonSets().inNamespace("shop")
                .withName(daemonSet).get() != null);

        pod(daemonSet, "worker-2", init -> init.withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"" + FAILS + "\"").endWaiting().endState());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(view, robot, "#prepull-status")
                .contains("The pull fails")));
        Label status = robot.from(view).lookup("#prepull-status").queryAs(Label.class);
        assertThat(status.getText()).contains("The pull fails on worker-2; 0 of 3 node(s) have the image")
                .contains("gantry kube why " + daemonSet + "-worker-2 -n shop").doesNotContain("Exception");
        assertThat(status.getStyleClass()).contains("danger");
        PrePullViewModel.NodeChoice failed = row(nodes, "worker-2");
        assertThat(failed.stateProperty().get()).isEqualTo(PrePullViewModel.State.FAILED);
        assertThat(failed.detailProperty().get()).contains("ImagePullBackOff");
        assertThat(row(nodes, "worker-1").stateProperty().get()).isEqualTo(PrePullViewModel.State.STOPPED);

        robot.interact(robot.from(view).lookup("#prepull-delete").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(view, robot, "#prepull-status")
                .startsWith("Deleted pre-puller shop/" + daemonSet)));
        assertThat(client.apps().daemonSets().inNamespace("shop").withName(daemonSet).get()).isNull();
    }

    @Test
    void stopEndsTheFollowingAndLeavesThePrePuller(FxRobot robot) throws Exception {
        Parent view = openFromMenu(robot, STOPPED);
        nodes(robot, view);
        robot.interact(robot.from(view).lookup("#prepull-preview").queryButton()::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !robot.from(view).lookup("#prepull-apply")
                .queryButton().isDisable()));
        robot.interact(robot.from(view).lookup("#prepull-apply").queryButton()::fire);
        Button stop = robot.from(view).lookup("#prepull-stop").queryButton();
        String daemonSet = PrePuller.defaultName(STOPPED);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(view, robot, "#prepull-status")
                .startsWith("Created pre-puller shop/" + daemonSet)));
        robot.interact(stop::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(view, robot, "#prepull-status")
                .contains("Stopped")));
        assertThat(text(view, robot, "#prepull-status")).isEqualTo("Created pre-puller shop/" + daemonSet
                + ". Stopped following: 0 of 3 node(s) have the image. The pre-puller keeps going; Delete removes it.");
        assertThat(nodes(robot, view).getItems()).allMatch(n -> n.stateProperty().get() == PrePullViewModel.State.STOPPED);
        assertThat(stop.isDisable()).isTrue();
        assertThat(client.apps().daemonSets().inNamespace("shop").withName(daemonSet).get()).isNotNull();
    }

    /** Opens "Pre-pull to nodes" from {@code image}'s menu; its view once its nodes are read. */
    private static Parent openFromMenu(FxRobot robot, String image) throws Exception {
        TableView<ImageTable.Row> images = robot.lookup("#images-table").queryTableView();
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 3
                && rail.getItems().size() == 1));
        Set<Node> before = new HashSet<>(robot.lookup("#prepull-view").queryAll());
        ContextMenu menu = io.gantry.ui.RowMenus.show(robot, i -> (i.repository() + ":" + i.tag()).equals(image));
        MenuItem prePull = menu.getItems().stream().filter(i -> "prepull-menu".equals(i.getId())).findFirst().orElseThrow();
        assertThat(prePull.isVisible()).isTrue();
        assertThat(prePull.isDisable()).isFalse();
        robot.interact(prePull::fire);
        robot.interact(menu::hide);
        return opened(robot, before);
    }

    /** The pre-pull window's view opened after {@code before} was taken. */
    private static Parent opened(FxRobot robot, Set<Node> before) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#prepull-view").queryAll()
                .stream().anyMatch(n -> !before.contains(n))));
        return (Parent) robot.lookup("#prepull-view").queryAll().stream().filter(n -> !before.contains(n))
                .findFirst().orElseThrow();
    }

    /** The window's node table once it lists the three nodes. */
    private static TableView<PrePullViewModel.NodeChoice> nodes(FxRobot robot, Parent view) throws Exception {
        TableView<PrePullViewModel.NodeChoice> nodes = robot.from(view).lookup("#prepull-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 3));
        return nodes;
    }

    private static PrePullViewModel.NodeChoice row(TableView<PrePullViewModel.NodeChoice> nodes, String name) {
        return nodes.getItems().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static String text(Parent view, FxRobot robot, String id) {
        return robot.from(view).lookup(id).queryAs(Label.class).getText();
    }

    /** The pre-puller's pod on {@code node}, as the DaemonSet controller makes it and the kubelet writes its status. */
    private static void pod(String daemonSet, String node, UnaryOperator<ContainerStatusBuilder> init) {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(daemonSet + "-" + node)
                .withNamespace("shop").addToLabels(PrePuller.LABEL, daemonSet).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus()
                .withInitContainerStatuses(init.apply(new ContainerStatusBuilder().withName(PrePuller.INIT_CONTAINER))
                        .build()).endStatus().build()).create();
    }

    /** {@code condition} read in one FX step, so the window cannot change halfway through it. */
    private static boolean onFx(Callable<Boolean> condition) throws Exception {
        return WaitForAsyncUtils.asyncFx(condition).get(30, TimeUnit.SECONDS);
    }
}
