package io.gantry.ui.manifest;

import io.gantry.ui.FxReads;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.core.Cancellation;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.PullRequest;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.ManifestDrafts;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.UpdateCheck;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.Commands;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RequiredTool;
import io.gantry.testing.ToolFinder;
import io.gantry.ui.DesktopContext;
import io.gantry.ui.MainWindow;
import io.gantry.ui.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Combine into a multi-arch image" (issue 17, item 3), headless, against the harness registry:
 * from an image of the embedded store's menu, a registry image of another platform is added, its
 * variant set, the OCI index previewed and pushed; skopeo reads the pushed index, the draft is
 * kept for {@code gantry manifest}, and a reference the registry lacks says so in the window.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, RegistryExtension.class})
class CombineTest {

    private static final RequiredTool SKOPEO = new RequiredTool("skopeo", "skopeo");

    @TempDir
    static Path home;

    private static RegistryPeer registry;
    private ExecutorService executor;
    private EndpointCatalog catalog;
    private MainWindow.Parts parts;
    private ManifestDrafts drafts;
    private Path dir;
    private String u;
    private FixtureImage amd;
    private FixtureImage arm;

    @org.junit.jupiter.api.BeforeAll
    static void peer(RegistryPeer shared) {
        registry = shared;
    }

    @Start
    void start(Stage stage) throws Exception {
        FixtureImages images = new FixtureImages();
        u = FixtureImages.unique("combine");
        amd = images.image(u + "-src").tag("1").platform("linux/amd64").layer("ADD a", l -> l.file("arch", "amd64 " + u));
        arm = images.image(u + "-arm").tag("1").platform("linux/arm64").layer("ADD a", l -> l.file("arch", "arm64 " + u));
        registry.pusher().push(amd);
        registry.pusher().push(arm);

        dir = Files.createTempDirectory(home, "run");
        executor = Executors.newCachedThreadPool();
        RegistryClient client = RegistryClient.builder().build();
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"), new StoreOptions(Clock.systemUTC(),
                Duration.ofSeconds(30), Platform.parse("linux/amd64")).withPulls(new StorePulls(client, executor, 3)));
        store.pull(new PullRequest(ImageReference.parse(amd.reference(registry.hostPort())), Optional.empty()),
                progress -> { }, new Cancellation());
        store.tag(ImageKey.parse(amd.reference(registry.hostPort())), ImageReference.parse("localbuild/" + u + ":1"));
        catalog = new EndpointCatalog(List.of(store));
        Gantry gantry = new Gantry(new AppPaths(dir), Map.of());
        drafts = new ManifestDrafts(dir.resolve("manifests"), () -> client);
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor, new SettingsStore(dir.resolve("settings.json")),
                new RegistryBrowser(client), new UpdateCheck(client, Sleeper.system(), Duration.ofMillis(10)),
                gantry::openRemoteEngine, gantry.pullService(), Optional.of(drafts)));
    }

    @AfterEach
    void stop() throws Exception {
        org.testfx.api.FxToolkit.setupFixture(() -> List.copyOf(javafx.stage.Window.getWindows()).stream()
                .filter(window -> window.getScene() == null || window.getScene().lookup("#endpoint-list") == null)
                .forEach(javafx.stage.Window::hide));
        parts.marks().cancel();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        catalog.close();
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    @Test
    void aLocalAndARegistryImageArePushedAsAnOciIndexThatSkopeoReads(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        waitFor(20, () -> FxReads.items(table).stream().anyMatch(r -> r.repository().equals("localbuild/" + u)));
        ImageTable.Row local = FxReads.items(table).stream().filter(r -> r.repository().equals("localbuild/" + u)).findFirst().orElseThrow();
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(local);
        });
        javafx.scene.control.ContextMenu menu = io.gantry.ui.RowMenus.show(robot, r -> r == local);
        robot.interact(() -> {
            menu.getItems().stream().filter(item -> "Combine into a multi-arch image…".equals(item.getText()))
                    .findFirst().orElseThrow().fire();
            menu.hide();
        });

        CombineViewModel model = parts.combine().orElseThrow();
        TableView<ManifestDrafts.Entry> entries = robot.lookup("#combine-entries").queryTableView();
        waitFor(20, () -> entries.getItems().size() == 1);
        assertThat(entries.getItems().get(0).local()).isTrue();
        assertThat(entries.getItems().get(0).digest().toString()).isEqualTo(amd.manifestDigest());

        // a reference the registry lacks: said in the window, nothing added
        String host = registry.hostPort();
        robot.clickOn("#combine-image").write(host + "/" + u + "-nothing:1").type(KeyCode.ENTER);
        Label message = robot.lookup("#combine-message").query();
        // the robot's key or click may return before the window acted on it: wait for the outcome, not for "not busy"
        waitFor(20, () -> !model.busyProperty().get() && message.getText().startsWith("Not found"));
        assertThat(message.getText()).startsWith("Not found:").doesNotContain("Exception");
        assertThat(entries.getItems()).hasSize(1);

        robot.interact(() -> model.imageProperty().set(""));
        robot.clickOn("#combine-image").write(arm.reference(host));
        robot.clickOn("#combine-add");
        waitFor(20, () -> entries.getItems().size() == 2);
        ManifestDrafts.Entry armEntry = entries.getItems().get(1);
        assertThat(armEntry.local()).isFalse();
        assertThat(armEntry.platform().toString()).isEqualTo("linux/arm64");
        robot.interact(() -> entries.getSelectionModel().select(armEntry));
        robot.clickOn("#combine-variant").write("v8").type(KeyCode.ENTER); // Return in a platform field sets it
        waitFor(20, () -> entries.getItems().get(1).platform().toString().equals("linux/arm64/v8"));
        assertThat(model.progress()).as("Return set the platform, it did not push").isEmpty();

        String list = host + "/" + u + "-multi:1";
        robot.clickOn("#combine-name").write(list);
        robot.interact(() -> model.formatProperty().set(ManifestDrafts.Format.OCI));
        JsonNode preview = new ObjectMapper().readTree(((TextArea) robot.lookup("#combine-preview").query()).getText());
        assertThat(preview.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(preview.path("manifests").get(1).path("platform").path("variant").asText()).isEqualTo("v8");

        assertThat(robot.lookup("#combine-push").queryButton().isDefaultButton()).isTrue();
        robot.clickOn("#combine-name").type(KeyCode.ENTER); // Push is the default button
        waitFor(60, () -> !model.busyProperty().get() && !message.getText().startsWith("Pushing")
                && !message.getText().startsWith("Added"));
        assertThat(message.getText()).startsWith("Pushed " + ImageReference.parse(list).familiar() + ": sha256:");
        assertThat(model.progress()).anyMatch(line -> line.contains("Mounted from " + u + "-src") || line.contains("Pushed")
                || line.contains("already exists"));
        assertThat(model.progress()).anyMatch(line -> line.startsWith("Copying " + host + "/" + u + "-arm@"));

        String raw = Commands.run(List.of(ToolFinder.fromEnvironment().require(SKOPEO).toString(), "inspect", "--raw",
                        "--tls-verify=false", "docker://" + list), Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()),
                Duration.ofMinutes(2)).orFail().stdout();
        JsonNode pushed = new ObjectMapper().readTree(raw);
        assertThat(pushed.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(pushed.path("manifests").get(0).path("digest").asText()).isEqualTo(amd.manifestDigest());
        assertThat(pushed.path("manifests").get(1).path("digest").asText()).isEqualTo(arm.manifestDigest());
        assertThat(pushed.path("manifests").get(1).path("platform").path("variant").asText()).isEqualTo("v8");
        assertThat(message.getText()).contains(io.gantry.core.Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());

        // the draft stays for gantry manifest inspect / push
        assertThat(drafts.find(ImageReference.parse(list)).orElseThrow().entries()).hasSize(2);

        javafx.stage.Window combine = robot.lookup("#combine-view").query().getScene().getWindow();
        robot.press(KeyCode.CONTROL, KeyCode.W).release(KeyCode.W, KeyCode.CONTROL);
        waitFor(20, () -> !combine.isShowing());
        robot.interact(() -> parts.combineWindow().show(List.of()));
        waitFor(20, combine::isShowing);
        robot.type(KeyCode.ESCAPE);
        waitFor(20, () -> !combine.isShowing());
    }
}
