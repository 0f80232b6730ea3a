package io.gantry.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.KubeletPullRules.Action;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
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
 * The pull-policy preview (issue 16), opened from a cluster's view: a pod of the cluster on its
 * node, then a pasted Deployment on a node chosen, each image with what the kubelet will do; a pod
 * that does not exist is said in words. No kube-apiserver can run on these machines: the cluster
 * is fabric8's mock API server in CRUD mode (it does no defaulting, so a policy left out stays empty
 * for Gantry's rules, as a manifest's would).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class PolicyWindowTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().withNewStatus()
                .addNewImage().withNames("docker.io/library/nginx:1.27").withSizeBytes(72L << 20).endImage()
                .endStatus().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-2").endMetadata().withNewStatus()
                .addNewImage().withNames("registry.k8s.io/pause:3.10").withSizeBytes(300L << 10).endImage()
                .endStatus().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-7d4b9")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1")
                .addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
                .addNewContainer().withName("agent").withImage("registry.example.com/ops/agent:latest").endContainer()
                .endSpec().build()).create();
    }

    @Start
    void start(Stage stage) throws Exception {
        app = ClusterWindow.open(stage, home, ClusterWindow.emptyStore(home),
                ClusterWindow.access(home, server));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void aPodOnItsNodeAndAPastedDeploymentOnANodeChosen(FxRobot robot) throws Exception {
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        TableView<NodeRow> nodes = robot.lookup("#cluster-nodes").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 2));
        robot.clickOn("#cluster-policy");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#policy-rows").tryQuery().isPresent()));
        TableView<PolicyViewModel.Row> rows = robot.lookup("#policy-rows").queryTableView();
        assertThat(robot.lookup("#policy-namespace").queryAs(TextField.class).getText()).as("the context's namespace")
                .isEqualTo("shop");
        assertThat(robot.lookup("#policy-node").queryAs(ComboBox.class).getItems())
                .containsExactlyInAnyOrder(PolicyWindow.OWN_NODE, "worker-1", "worker-2");

        // a pod that is not there
        robot.clickOn("#policy-pod").write("nothere");
        robot.clickOn("#policy-decide");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !status(robot).isEmpty() && !status(robot).startsWith("Asking")));
        assertThat(status(robot)).contains("no pod nothere in namespace shop").doesNotContain("Exception");
        assertThat(rows.getItems()).isEmpty();

        // the pod on its own node: the tag 1.27 defaults to IfNotPresent and the node has it; latest defaults to Always
        TextField pod = robot.lookup("#policy-pod").queryAs(TextField.class);
        robot.interact(() -> pod.setText("web-7d4b9"));
        robot.clickOn("#policy-decide");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rows.getItems().size() == 2));
        assertThat(status(robot)).isEmpty();
        assertThat(rows.getItems()).extracting(r -> r.decision().image().name() + " " + r.node().orElse("-") + " "
                + r.decision().policyLabel() + " " + r.decision().action()).containsExactly(
                "web worker-1 IfNotPresent (default) " + Action.USE_CACHED,
                "agent worker-1 Always (default) " + Action.PULL);
        assertThat(robot.lookup("#policy-why").queryAs(Label.class).getText()).startsWith("WHY (web-7d4b9 · web): ")
                .contains("node worker-1 holds");

        // a pasted Deployment on a node that lacks the image, with Never: ErrImageNeverPull
        robot.interact(() -> robot.lookup("#policy-source").queryAs(TabPane.class).getSelectionModel().select(1));
        TextArea manifest = robot.lookup("#policy-manifest").queryAs(TextArea.class);
        robot.interact(() -> manifest.setText("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: shop-web
                spec:
                  template:
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        imagePullPolicy: Never
                """));
        ComboBox<?> node = robot.lookup("#policy-node").queryAs(ComboBox.class);
        robot.interact(() -> node.getSelectionModel().select(2));
        robot.clickOn("#policy-decide");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rows.getItems().size() == 1));
        PolicyViewModel.Row row = rows.getItems().get(0);
        assertThat(row.node()).contains("worker-2");
        assertThat(row.decision().policyLabel()).isEqualTo("Never");
        assertThat(row.decision().action()).isEqualTo(Action.FAIL_NEVER_PULL);
        assertThat(robot.lookup("#policy-why").queryAs(Label.class).getText()).contains("does not hold");
    }

    private static String status(FxRobot robot) {
        return robot.lookup("#policy-status").queryAs(Label.class).getText();
    }

    /** {@code condition} read in one FX step, so the window cannot change halfway through it. */
    private static boolean onFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        return WaitForAsyncUtils.asyncFx(condition).get(30, TimeUnit.SECONDS);
    }
}
