package io.gantry.ui.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.PullRequest;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.SearchResult;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.RemoteImage;
import io.gantry.service.UpdateCheck;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
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
 * The search window's summary of a tag before a pull (issue 17, item 2), headless, against the
 * harness registry: a multi-arch index shows its platforms with digests and sizes, the chosen
 * platform's config and layers, and the layers the embedded store already has (it pulled an
 * image sharing the base layer) are marked; choosing the other platform shows that one; a tag
 * the registry does not have and a cancelled read say so in the window, without a summary.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, RegistryExtension.class})
class RemoteSummaryTest {

    @TempDir
    static Path home;

    private static RegistryPeer registry;
    private static String prefix;
    private static FixtureImage amd;
    private static FixtureImage arm;
    private static FixtureImage sibling;

    private ExecutorService executor;
    private EndpointCatalog catalog;
    private MainWindow.Parts parts;

    @BeforeAll
    static void images(RegistryPeer sharedRegistry) {
        registry = sharedRegistry;
        FixtureImages images = new FixtureImages();
        prefix = FixtureImages.unique("summary");
        FixtureImage base = images.image(prefix + "/app").tag("1.0")
                .layer("ADD base", l -> l.randomFile("usr/lib/base.so", 300_000, 11));
        amd = base.env("MODE", "summary").label("org.example.team", "registry").entrypoint("/app/bin")
                .layer("ADD app", l -> l.randomFile("app/bin", 200_000, 12));
        arm = amd.platform("linux/arm64/v8").layer("ADD arm", l -> l.randomFile("arm", 100_000, 13));
        sibling = base.child(prefix + "/sibling").tag("1").layer("ADD other", l -> l.randomFile("other", 50_000, 14));
        FixtureIndex multi = images.index(prefix + "/multi", amd, arm).oci();
        registry.pusher().push(multi);
        registry.pusher().push(sibling);
    }

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory(home, "run");
        executor = Executors.newCachedThreadPool();
        RegistryClient client = RegistryClient.builder().build();
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"), new StoreOptions(Clock.systemUTC(),
                Duration.ofSeconds(30), Platform.parse("linux/amd64")).withPulls(new StorePulls(client, executor, 3)));
        // the store holds the sibling, whose base layer the index's images share
        store.pull(new PullRequest(ImageReference.parse(sibling.reference(registry.hostPort())), java.util.Optional.empty()),
                progress -> { }, new Cancellation());
        catalog = new EndpointCatalog(List.of(store));
        Gantry gantry = new Gantry(new AppPaths(dir), Map.of());
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor, new SettingsStore(dir.resolve("settings.json")),
                new RegistryBrowser(client), new UpdateCheck(client, Sleeper.system(), Duration.ofMillis(10)),
                gantry::openRemoteEngine, gantry.pullService()));
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

    /** The texts of a grid's labels, row by row, cells joined by a space. */
    private static List<String> rows(Node grid) {
        GridPane pane = (GridPane) grid;
        java.util.TreeMap<Integer, StringBuilder> rows = new java.util.TreeMap<>();
        for (Node child : pane.getChildren()) {
            Integer row = GridPane.getRowIndex(child);
            Integer column = GridPane.getColumnIndex(child);
            rows.computeIfAbsent(row == null ? 0 : row, r -> new StringBuilder())
                    .append(column == null || column == 0 ? "" : " ").append(((Label) child).getText());
        }
        return rows.values().stream().map(StringBuilder::toString).toList();
    }

    private void openMulti(FxRobot robot) throws Exception {
        robot.clickOn("#search-field").write(registry.hostPort() + "/" + prefix).type(KeyCode.ENTER);
        TableView<SearchResult> results = robot.lookup("#search-results").queryTableView();
        waitFor(20, () -> results.getItems().size() == 2);
        robot.interact(() -> results.getSelectionModel().select(results.getItems().stream()
                .filter(r -> r.name().endsWith("/multi")).findFirst().orElseThrow()));
    }

    @Test
    void anIndexShowsItsPlatformsConfigAndTheLayersTheEndpointHas(FxRobot robot) throws Exception {
        openMulti(robot);
        SearchViewModel model = parts.search();
        waitFor(20, () -> model.remoteProperty().get() != null && model.localLayersProperty().get().known());
        RemoteImage image = model.remoteProperty().get();
        assertThat(image.isIndex()).isTrue();
        assertThat(image.images()).extracting(i -> i.platform().toString()).containsExactly("linux/amd64", "linux/arm64/v8");

        assertThat(rows(robot.lookup("#remote-head").query()).get(1)).isEqualTo("Type OCI index, 2 platforms");
        List<String> platforms = rows(robot.lookup("#remote-platforms").query());
        assertThat(platforms).hasSize(3);
        assertThat(platforms.get(1)).startsWith("linux/amd64 " + RemoteSummaryView.shortDigest(image.images().get(0).digest()))
                .endsWith(" 2");
        assertThat(platforms.get(2)).startsWith("linux/arm64/v8 " + RemoteSummaryView.shortDigest(image.images().get(1).digest()))
                .endsWith(" 3");

        // the settings choose no platform: this machine's is shown, if offered, else the first
        waitFor(10, () -> model.platformProperty().get() != null);
        robot.interact(() -> model.platformProperty().set("linux/amd64"));
        Label title = robot.lookup("#remote-platform-title").query();
        assertThat(title.getText()).isEqualTo("linux/amd64");
        List<String> config = rows(robot.lookup("#remote-config").query());
        assertThat(config).contains("Entrypoint /app/bin", "Labels org.example.team=registry")
                .anyMatch(line -> line.startsWith("Env ") && line.contains("MODE=summary"))
                .contains("Digest " + image.images().get(0).digest(), "Image ID " + image.images().get(0).imageId());
        Label layersTitle = robot.lookup("#remote-layers-title").query();
        assertThat(layersTitle.getText()).isEqualTo("LAYERS  1 of 2 already on Embedded store");
        List<String> layers = rows(robot.lookup("#remote-layers").query());
        assertThat(layers).hasSize(2);
        assertThat(layers.get(0)).startsWith(RemoteSummaryView.shortDigest(image.images().get(0).manifest().layers().get(0).digest()))
                .endsWith(" local");
        assertThat(layers.get(1)).doesNotEndWith(" local");

        robot.interact(() -> model.platformProperty().set("linux/arm64/v8"));
        assertThat(((Label) robot.lookup("#remote-platform-title").query()).getText()).isEqualTo("linux/arm64/v8");
        assertThat(((Label) robot.lookup("#remote-layers-title").query()).getText())
                .isEqualTo("LAYERS  1 of 3 already on Embedded store");
    }

    @Test
    void aMissingTagAndACancelledReadSaySoWithoutASummary(FxRobot robot) throws Exception {
        openMulti(robot);
        SearchViewModel model = parts.search();
        waitFor(20, () -> model.remoteProperty().get() != null);

        robot.interact(() -> model.selectedTagProperty().set("no-such-tag"));
        waitFor(20, () -> !model.remoteLoadingProperty().get());
        Label status = robot.lookup("#remote-status").query();
        assertThat(status.getText()).startsWith("The summary could not be read: Not found:").contains("no-such-tag")
                .doesNotContain("Exception");
        assertThat(status.isVisible()).isTrue();
        assertThat(model.remoteProperty().get()).isNull();
        assertThat(robot.lookup("#remote-platforms").tryQuery()).isEmpty();

        robot.interact(() -> {
            model.selectedTagProperty().set("latest");
            assertThat(model.remoteLoadingProperty().get()).isTrue();
            model.cancelRemote();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(status.getText()).isEqualTo("Stopped reading the summary. Choose the tag again to read it.");
        assertThat(model.remoteProperty().get()).isNull();
        assertThat(model.remoteLoadingProperty().get()).isFalse();
    }
}
