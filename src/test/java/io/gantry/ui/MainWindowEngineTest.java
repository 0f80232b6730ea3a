package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
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
 * The main window (headless, Monocle) on a private dockerd of its own: the engine's rail entry
 * names its version, the list follows a tag made with the CLI, and the rail shows the engine
 * disconnected while it is stopped and connected again once it is back.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class MainWindowEngineTest {

    @TempDir
    static Path home;

    private static DockerdPeer dockerd;
    private static FixtureImage image;

    private ExecutorService executor;
    private EndpointCatalog catalog;

    @BeforeAll
    static void startEngine() {
        dockerd = DockerdPeer.start();
        image = new FixtureImages().image("ui-live").layer("ADD a", l -> l.file("a", "ui"));
        dockerd.load(image);
    }

    @AfterAll
    static void stopEngine() {
        dockerd.close();
    }

    @Start
    void start(Stage stage) throws Exception {
        executor = Executors.newCachedThreadPool();
        EngineAddress address = new EngineAddress("test dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(Files.createDirectories(home.resolve("store"))),
                DockerEngineStore.of(address, EngineCredentials.anonymous())));
        Theme.LIGHT.apply();
        MainWindow.show(stage, new DesktopContext(catalog, executor, new SettingsStore(home.resolve("settings.json"))));
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void engineListFollowsEventsAndTheRailFollowsTheEngine(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        EndpointItem engine = rail.getItems().get(1);
        // Not selected: the start-up probe gives its rail entry the engine's version.
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> engine.summaryProperty().get().startsWith("Docker Engine " + dockerd.version() + " · API 1.41 · "));
        // the rail draws the version on a line of its own, under the state and the figures
        // (a narrow rail puts a line break where a " · " would be: RailCellTest)
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> railLine(robot, "test dockerd", "#endpoint-engine")
                .replace("\n", " · ").replace('\u00A0', ' ').equals("Docker Engine " + dockerd.version() + " · API 1.41"));
        assertThat(railLine(robot, "test dockerd", "#endpoint-usage").replace("\n", " · "))
                .matches("connected · \\d+\u00A0images? · \\S+");
        robot.interact(() -> rail.getSelectionModel().select(engine));

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> rows(table).contains("ui-live:latest"));
        assertThat(engine.stateProperty().get()).isEqualTo(EndpointItem.State.CONNECTED);

        dockerd.dockerOk("tag", image.reference(), "ui-live:tagged-outside");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> rows(table).contains("ui-live:tagged-outside"));

        dockerd.stopDaemon();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> engine.stateProperty().get() == EndpointItem.State.DISCONNECTED);

        dockerd.restartDaemon();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> engine.stateProperty().get() == EndpointItem.State.CONNECTED);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> rows(table).contains("ui-live:tagged-outside"));
        assertThat(engine.summaryProperty().get()).isNotBlank();
    }

    /** The text of the line {@code id} in the rail cell of the endpoint {@code name} ("" while there is none). */
    static String railLine(FxRobot robot, String name, String id) {
        return robot.lookup(".list-cell").match((javafx.scene.control.ListCell<?> cell) -> cell.getItem() instanceof EndpointItem item
                        && item.endpoint().name().equals(name)).tryQueryAs(javafx.scene.control.ListCell.class)
                .map(cell -> cell.lookup(id)).filter(node -> node instanceof javafx.scene.control.Label)
                .map(node -> ((javafx.scene.control.Label) node).getText()).orElse("");
    }

    private static List<String> rows(TableView<ImageTable.Row> table) {
        return FxReads.references(table);
    }
}
