package io.gantry.ui.pull;

import io.gantry.ui.FxReads;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.core.Digest;
import io.gantry.core.Platform;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.UpdateCheck;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
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
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import okhttp3.Request;
import okhttp3.Response;
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
 * "Copy to" › "A registry…" in the window (issue 17, item 4), headless, against the harness
 * registry: the image's menu offers a registry, the dialog refuses what is not a reference (as
 * {@code gantry cp … docker://REF} does) and keeps Copy disabled, a reference typed there starts a
 * copy card whose rows say "Pushed" per layer, which ends with the digest the registry serves.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, RegistryExtension.class})
class CopyToRegistryWindowTest {

    @TempDir
    static Path home;

    private static RegistryPeer registry;
    private ExecutorService executor;
    private EndpointCatalog catalog;
    private MainWindow.Parts parts;
    private String u;
    private FixtureImage image;

    @BeforeAll
    static void peer(RegistryPeer shared) {
        registry = shared;
    }

    @Start
    void start(Stage stage) throws Exception {
        u = FixtureImages.unique("copy-to-registry");
        image = new FixtureImages().image(u).layer("ADD a", l -> l.randomFile("a", 400_000, 11))
                .layer("ADD b", l -> l.randomFile("b", 300_000, 12)).oci();
        Path dir = Files.createTempDirectory(home, "run");
        executor = Executors.newCachedThreadPool();
        RegistryClient client = RegistryClient.builder().build();
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"), new StoreOptions(Clock.systemUTC(),
                Duration.ofSeconds(30), Platform.parse("linux/amd64")).withPulls(new StorePulls(client, executor, 3)));
        StoreFixtures.store(store, image, "localbuild/" + u + ":1");
        catalog = new EndpointCatalog(List.of(store));
        Gantry gantry = new Gantry(new AppPaths(dir), Map.of());
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor, new SettingsStore(dir.resolve("settings.json")),
                new RegistryBrowser(client), new UpdateCheck(client, Sleeper.system(), Duration.ofMillis(10)),
                gantry::openRemoteEngine, gantry.pullService(), Optional.empty()));
        stage.setWidth(1200);
        stage.setHeight(760);
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

    @Test
    void aReferenceTypedInTheDialogPushesTheImageWithARowPerLayer(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> FxReads.items(table).stream().anyMatch(r -> r.repository().equals("localbuild/" + u)));
        javafx.scene.control.ContextMenu menu = io.gantry.ui.RowMenus.show(robot, item -> item.repository().equals("localbuild/" + u));
        Menu copyTo = (Menu) menu.getItems().stream().filter(i -> "copy-to-menu".equals(i.getId()))
                .findFirst().orElseThrow();
        assertThat(copyTo.getItems()).extracting(MenuItem::getText).as("the only endpoint is the source")
                .containsExactly("A registry…");
        robot.interact(() -> {
            copyTo.getItems().get(0).fire();
            menu.hide();
        });

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#registry-target").tryQuery().isPresent());
        TextField field = robot.lookup("#registry-target").queryAs(TextField.class);
        Button copy = robot.lookup("#registry-target-copy").queryButton();
        Label message = robot.lookup("#registry-target-message").queryAs(Label.class);
        assertThat(field.getText()).as("a Docker Hub name is not suggested").isEmpty();
        assertThat(copy.isDisabled()).isTrue();

        robot.clickOn(field).write("Not/A Reference");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(copy.isDisabled()).isTrue();
        assertThat(message.getText()).contains("invalid reference").doesNotContain("Exception");

        String target = registry.hostPort() + "/" + u + "/app:1";
        robot.interact(() -> field.setText("docker://" + target));
        assertThat(copy.isDisabled()).isFalse();
        assertThat(message.getText()).isEqualTo("Pushed to " + registry.hostPort() + " as " + u + "/app:1");
        robot.clickOn(copy);

        PullsViewModel pulls = parts.pulls();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !pulls.jobs().isEmpty());
        PullJob job = pulls.jobs().get(0);
        assertThat(job.title()).isEqualTo("Copy localbuild/" + u + ":1: Embedded store → " + target);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> job.stateProperty().get() != PullJob.State.RUNNING);
        assertThat(job.stateProperty().get()).as(job.statusProperty().get()).isEqualTo(PullJob.State.DONE);
        assertThat(job.digestProperty().get()).isEqualTo(image.manifestDigest());
        assertThat(job.layers()).extracting(LayerRow::id).containsExactlyInAnyOrderElementsOf(
                image.layerBlobs().stream().map(b -> Digest.of(b.digest()).shortHex()).toList());
        assertThat(job.layers()).allSatisfy(r -> {
            assertThat(r.statusProperty().get()).isEqualTo("Pushed");
            assertThat(r.progressProperty().get()).isEqualTo(1.0);
        });
        assertThat(robot.lookup("#registry-target").tryQuery()).as("the dialog closed").isEmpty();

        Request head = new Request.Builder().head().url(registry.baseUrl() + "/v2/" + u + "/app/manifests/1")
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build();
        try (Response response = registry.http().newCall(head).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
        }
    }
}
