package io.gantry.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.engine.cluster.PullSecretReferences;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import javafx.stage.Window;
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
 * The pull-secret window (issue 16), opened from a cluster's view: the registries of the user's
 * Docker credentials (a config.json {@code auths} entry and a {@code credHelpers} entry answered by
 * a real helper program, through the same credential chain {@code gantry kube pull-secret} uses),
 * the redacted preview, Apply with a service account, and the references list before and after.
 * No kube-apiserver can run on these machines: the cluster is fabric8's mock API server in CRUD
 * mode (it stores what is written, so the created Secret and the patched service account are read
 * back from it; it does no validation).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class PullSecretWindowTest {

    private static final String PASSWORD = "s3cret-pw-" + System.nanoTime();
    private static final String TOKEN = "gh-token-" + System.nanoTime();

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        client.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").withNamespace("shop").endMetadata().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata().withNewSpec().addNewImagePullSecret("pull-old")
                .addNewContainer().withName("web").withImage("registry.example.com/shop/web:1.0").endContainer()
                .endSpec().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("api")
                .withNamespace("shop").endMetadata().withNewSpec().addNewImagePullSecret("pull-registry.example.com")
                .addNewContainer().withName("api").withImage("registry.example.com/shop/api:1.0").endContainer()
                .endSpec().build()).create();
    }

    @Start
    void start(Stage stage) throws Exception {
        long unique = System.nanoTime();
        // the user's Docker credentials: an auths entry, and a credHelpers entry answered by a helper program
        Path docker = Files.createDirectories(home.resolve("docker-" + unique));
        Path bin = Files.createDirectories(home.resolve("bin-" + unique));
        Path helper = bin.resolve("docker-credential-gantrytest");
        Files.writeString(helper, "#!/bin/sh\nread host\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"bob\",\"Secret\":\""
                + TOKEN + "\"}' \"$host\"\n");
        assertThat(helper.toFile().setExecutable(true)).isTrue();
        Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"registry.example.com\":{\"auth\":\""
                + base64("alice:" + PASSWORD) + "\"}},\"credHelpers\":{\"ghcr.io\":\"gantrytest\"}}");
        Gantry gantry = new Gantry(new AppPaths(home.resolve("gantry-" + unique)),
                Map.of("DOCKER_CONFIG", docker.toString(), "PATH", bin + ":/usr/bin:/bin"));

        app = ClusterWindow.open(stage, home, ClusterWindow.emptyStore(home), ClusterAccess.of(
                ClusterWindow.clusters(ClusterWindow.kubeconfig(home, server), home), gantry.registryLogins()));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void aSecretFromTheUsersCredentialsIsPreviewedRedactedAppliedAndAttached(FxRobot robot) throws Exception {
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        robot.clickOn("#cluster-secrets");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#secret-registries").tryQuery().isPresent()));
        ListView<String> registries = robot.lookup("#secret-registries").queryListView();
        TableView<PullSecretReferences.Reference> references = robot.lookup("#secret-references").queryTableView();

        // the registries of the credentials, and the references before: both lead nowhere yet
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> registries.getItems().size() == 2));
        assertThat(registries.getItems()).containsExactly("ghcr.io", "registry.example.com");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> references.getItems().size() == 2));
        assertThat(references.getItems()).extracting(PullSecretReferences.Reference::holder,
                PullSecretReferences.Reference::secret, PullSecretReferences.Reference::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pod/api", "pull-registry.example.com", PullSecretReferences.State.MISSING),
                org.assertj.core.groups.Tuple.tuple("pod/web", "pull-old", PullSecretReferences.State.MISSING));
        assertThat(text(robot, "#secret-references-status")).startsWith("2 of 2 references lead to no usable pull secret");
        assertThat(robot.lookup("#secret-apply").queryAs(Button.class).isDisabled()).as("nothing previewed").isTrue();

        // no registry chosen: said in words
        robot.clickOn("#secret-preview");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !text(robot, "#secret-status").isEmpty()));
        assertThat(text(robot, "#secret-status")).isEqualTo("Choose at least one registry.");

        // both registries, a name and the service account; Preview shows the YAML with the data redacted
        tick(robot, registries, "registry.example.com");
        tick(robot, registries, "ghcr.io");
        robot.interact(() -> {
            robot.lookup("#secret-name").queryAs(TextField.class).setText("pull-registry.example.com");
            robot.lookup("#secret-service-account").queryAs(TextField.class).setText("default");
        });
        robot.clickOn("#secret-preview");
        TextArea yaml = robot.lookup("#secret-yaml").queryAs(TextArea.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !yaml.getText().isEmpty()));
        assertThat(yaml.getText()).contains("type: kubernetes.io/dockerconfigjson", ".dockerconfigjson: <redacted>",
                "name: pull-registry.example.com", "namespace: shop", "ghcr.io as user bob",
                "registry.example.com as user alice");
        assertThat(text(robot, "#secret-status")).startsWith("Nothing was changed");
        assertThat(client.secrets().inNamespace("shop").withName("pull-registry.example.com").get())
                .as("a preview writes nothing").isNull();
        assertNoSecretShown(robot);

        // Apply: the secret is created with both logins, and the service account names it
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> !robot.lookup("#secret-apply")
                .queryAs(Button.class).isDisabled()));
        robot.clickOn("#secret-apply");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> text(robot, "#secret-status").startsWith("Created")));
        assertThat(text(robot, "#secret-status")).isEqualTo("Created secret shop/pull-registry.example.com on mock. "
                + "Added it to the imagePullSecrets of service account default: its new pods use it.");
        Secret created = client.secrets().inNamespace("shop").withName("pull-registry.example.com").get();
        assertThat(created.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(created.getData()).containsOnlyKeys(".dockerconfigjson");
        JsonNode auths = new ObjectMapper().readTree(Base64.getDecoder().decode(created.getData().get(".dockerconfigjson")))
                .get("auths");
        List<String> servers = new ArrayList<>();
        auths.fieldNames().forEachRemaining(servers::add);
        assertThat(servers).containsExactly("ghcr.io", "registry.example.com");
        assertThat(auths.get("registry.example.com").get("username").asText()).isEqualTo("alice");
        assertThat(auths.get("registry.example.com").get("password").asText()).isEqualTo(PASSWORD);
        assertThat(auths.get("registry.example.com").get("auth").asText()).isEqualTo(base64("alice:" + PASSWORD));
        assertThat(auths.get("ghcr.io").get("username").asText()).isEqualTo("bob");
        assertThat(auths.get("ghcr.io").get("password").asText()).isEqualTo(TOKEN);
        assertThat(client.serviceAccounts().inNamespace("shop").withName("default").get().getImagePullSecrets())
                .extracting(io.fabric8.kubernetes.api.model.LocalObjectReference::getName)
                .containsExactly("pull-registry.example.com");

        // the references are read again: the pod's and the service account's now lead to the secret
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> references.getItems().size() == 3));
        assertThat(references.getItems()).extracting(PullSecretReferences.Reference::holder,
                PullSecretReferences.Reference::secret, PullSecretReferences.Reference::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pod/web", "pull-old", PullSecretReferences.State.MISSING),
                org.assertj.core.groups.Tuple.tuple("pod/api", "pull-registry.example.com", PullSecretReferences.State.OK),
                org.assertj.core.groups.Tuple.tuple("serviceaccount/default", "pull-registry.example.com",
                        PullSecretReferences.State.OK));
        assertThat(text(robot, "#secret-references-status")).startsWith("1 of 3 references lead to no usable pull secret");
        assertNoSecretShown(robot);
    }

    /** Ticks {@code registry}'s box in the list, as a user clicks it. */
    private static void tick(FxRobot robot, ListView<String> list, String registry) throws Exception {
        Node box = WaitForAsyncUtils.asyncFx(() -> list.lookupAll(".list-cell").stream()
                .map(n -> (ListCell<?>) n).filter(c -> registry.equals(c.getText())).findFirst().orElseThrow().getGraphic())
                .get(30, TimeUnit.SECONDS);
        robot.clickOn(box);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> ((javafx.scene.control.CheckBox) box).isSelected()));
    }

    /** No text anywhere in any window holds a password, a token or the encoded credentials. */
    private static void assertNoSecretShown(FxRobot robot) throws Exception {
        List<String> shown = WaitForAsyncUtils.asyncFx(() -> {
            List<String> texts = new ArrayList<>();
            for (Window window : Window.getWindows()) {
                if (window.getScene() != null) {
                    collect(window.getScene().getRoot(), texts);
                }
            }
            return texts;
        }).get(30, TimeUnit.SECONDS);
        assertThat(shown).isNotEmpty();
        assertThat(String.join("\n", shown)).doesNotContain(PASSWORD, TOKEN, base64("alice:" + PASSWORD),
                base64("bob:" + TOKEN));
    }

    private static void collect(Node node, List<String> texts) {
        if (node instanceof Labeled labeled && labeled.getText() != null) {
            texts.add(labeled.getText());
        }
        if (node instanceof TextInputControl input && input.getText() != null) {
            texts.add(input.getText());
        }
        if (node instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> collect(child, texts));
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /** {@code condition} read in one FX step, so the window cannot change halfway through it. */
    private static boolean onFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        return WaitForAsyncUtils.asyncFx(condition).get(30, TimeUnit.SECONDS);
    }
}
