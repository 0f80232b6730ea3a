package io.gantry.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.ImageWhereabouts.PodUse;
import io.gantry.registry.RegistryClient;
import io.gantry.service.PodRegistryCheck;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.MockKubeconfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
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
 * "Why does it not pull?" (issue 16) from the Where window's pods: a pod in ImagePullBackOff whose
 * event says 401, explained with what to do, and the registry asked by Gantry's own client with the
 * pod's pull secrets (here a loopback port nothing listens on, so the real client's answer is
 * "unreachable"; its pull secret is missing, which is said too). A running pod's button is disabled.
 * No kube-apiserver can run on these machines: the cluster is fabric8's mock API server in CRUD
 * mode (the pod's status and events are written as the kubelet would).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class WhyWindowTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    /** On a loopback port nothing listens on (it was free a moment before). */
    private static final String IMAGE = MockKubeconfig.refusingUrl().substring("http://".length()) + "/"
            + FixtureImages.unique("shop/web").replaceAll("[^a-z0-9/._-]", "") + ":1.0";

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-failing")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1").addNewImagePullSecret("pull-shop")
                .addNewContainer().withName("web").withImage(IMAGE).endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("web").withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"" + IMAGE + "\"")
                .endWaiting().endState().endContainerStatus().endStatus().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-running")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1")
                .addNewContainer().withName("web").withImage(IMAGE).endContainer().endSpec().build()).create();
        client.v1().events().inNamespace("shop").resource(new EventBuilder()
                .withNewMetadata().withName("web-failing.1").withNamespace("shop").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("web-failing").withNamespace("shop").endInvolvedObject()
                .withReason("Failed").withLastTimestamp("2026-12-06T20:00:00Z").withMessage("Failed to pull image \""
                        + IMAGE + "\": failed to authorize: unexpected status: 401 Unauthorized").build()).create();
    }

    @Start
    void start(Stage stage) throws Exception {
        ClusterAccess access = ClusterWindow.access(home, server)
                .withRegistryCheck(() -> new PodRegistryCheck(credentials -> RegistryClient.builder()
                        .credentials(credentials).build()));
        app = ClusterWindow.open(stage, home, ClusterWindow.emptyStore(home), access);
        this.stage = stage;
        this.access = access;
    }

    private Stage stage;
    private ClusterAccess access;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void aPodInImagePullBackOffIsExplainedWithTheRegistryAskedAsThePodWould(FxRobot robot) throws Exception {
        // the Where window of the image, as the image menu or the details pane opens it
        io.gantry.engine.cluster.KubeContext mock = access.clusters().contexts().get(0);
        robot.interact(() -> {
            javafx.collections.ObservableList<ClusterItem> contexts = javafx.collections.FXCollections.observableArrayList(
                    new ClusterItem(mock));
            WhereWindow.open(stage, new WhereViewModel(access, new io.gantry.ui.FxTasks(app.executor())), contexts,
                    contexts.get(0), IMAGE);
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#where-pods").tryQuery().isPresent()));
        TableView<PodUse> pods = robot.lookup("#where-pods").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> pods.getItems().size() == 2));
        Button explain = robot.lookup("#where-explain").queryAs(Button.class);

        // a running pod: nothing to explain
        robot.interact(() -> pods.getSelectionModel().select(pods.getItems().stream()
                .filter(u -> u.pod().name().equals("web-running")).findFirst().orElseThrow()));
        assertThat(explain.isDisabled()).isTrue();

        robot.interact(() -> pods.getSelectionModel().select(pods.getItems().stream()
                .filter(u -> u.pod().name().equals("web-failing")).findFirst().orElseThrow()));
        assertThat(explain.isDisabled()).isFalse();
        robot.clickOn(explain);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#why-status").tryQuery()
                .map(n -> ((Label) n).getText().endsWith("does not pull.")).orElse(false)));

        List<String> said = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#why-failures").queryAs(VBox.class)
                .lookupAll(".label").stream().map(n -> ((Label) n).getText()).toList()).get(30, TimeUnit.SECONDS);
        assertThat(robot.lookup("#why-status").queryAs(Label.class).getText()).isEqualTo("One image does not pull.");
        assertThat(said.get(0)).isEqualTo("web: " + IMAGE + " — ImagePullBackOff: login refused or missing");
        assertThat(said).anyMatch(s -> s.startsWith("What to do: ") && s.contains("pull-shop"));
        assertThat(said).anyMatch(s -> s.startsWith("The kubelet said: ") && s.contains("401 Unauthorized"));
        assertThat(said).anyMatch(s -> s.startsWith("Gantry asked the registry: "));
        assertThat(said).anyMatch(s -> s.startsWith("Not used (missing, or not readable with your permissions): secret ")
                && s.contains("pull-shop"));
        assertThat(String.join("\n", said)).doesNotContain("Exception");
    }

    /** {@code condition} read in one FX step, so the window cannot change halfway through it. */
    private static boolean onFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        return WaitForAsyncUtils.asyncFx(condition).get(30, TimeUnit.SECONDS);
    }
}
