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
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.controlsfx.control.StatusBar;
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
 * A stopped dockerd (issue 13): the images view says the engine is not answering and why, in
 * words without Java class names, with Retry; closing remembers a live endpoint, not the dead one;
 * Retry lists the images once the engine is back.
 */
@Tag("gui")
@Tag("peer")
@ExtendWith(ApplicationExtension.class)
class DeadEngineTest {

    @TempDir
    static Path home;

    private static DockerdPeer dockerd;
    private static FixtureImage image;

    private Stage stage;
    private SettingsStore settings;
    private ExecutorService executor;
    private EndpointCatalog catalog;

    @BeforeAll
    static void startEngine() {
        dockerd = DockerdPeer.start();
        image = new FixtureImages().image("dead/app").layer("ADD a", l -> l.file("a", "alive"));
        dockerd.load(image);
    }

    @AfterAll
    static void stopEngine() {
        dockerd.close();
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        executor = Executors.newCachedThreadPool();
        EngineAddress address = new EngineAddress("test dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(Files.createDirectories(home.resolve("store"))),
                DockerEngineStore.of(address, EngineCredentials.anonymous())));
        settings = new SettingsStore(home.resolve("settings.json"));
        Theme.LIGHT.apply();
        MainWindow.show(stage, new DesktopContext(catalog, executor, settings));
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aDeadEngineShowsItsStateAndReasonWithRetry(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        EndpointItem engine = rail.getItems().get(1);
        robot.interact(() -> rail.getSelectionModel().select(engine));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 1);

        dockerd.stopDaemon();
        robot.clickOn("#images-table").type(KeyCode.F5);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#listing-error").tryQuery().isPresent());
        VBox error = robot.lookup("#listing-error").queryAs(VBox.class);
        List<String> texts = error.getChildren().stream().filter(n -> n instanceof Label)
                .map(n -> ((Label) n).getText()).toList();
        assertThat(texts.get(0)).isEqualTo("test dockerd is not answering");
        assertThat(texts.get(1)).isNotBlank().doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)")
                .doesNotContain("Exception");
        assertThat(robot.lookup("#retry-listing").queryButton().isVisible()).isTrue();
        assertThat(engine.stateProperty().get()).isEqualTo(EndpointItem.State.DISCONNECTED);
        assertThat(robot.lookup("#status-bar").queryAs(StatusBar.class).getText()).doesNotContain("Exception");


        // Retry while it is still down asks again and says so again
        robot.clickOn("#retry-listing");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#listing-error").tryQuery().isPresent()
                && !robot.lookup("#status-bar").queryAs(StatusBar.class).getText().startsWith("Loading"));
        dockerd.restartDaemon();
        robot.lookup("#retry-listing").tryQuery().ifPresent(robot::clickOn); // the engine's events may have refreshed first
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        assertThat(robot.lookup("#listing-error").tryQuery()).isEmpty();

        // closing while the engine is down remembers a live endpoint, so the next start does not open on the dead one
        dockerd.stopDaemon();
        robot.clickOn("#images-table").type(KeyCode.F5);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#listing-error").tryQuery().isPresent());
        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        assertThat(settings.load().lastEndpoint()).contains(rail.getItems().get(0).endpoint().id());
        dockerd.restartDaemon();
    }
}
