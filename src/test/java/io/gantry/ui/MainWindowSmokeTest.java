package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the main window headless (Monocle) on a temporary embedded store and finds its parts. */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class MainWindowSmokeTest {

    @TempDir
    static Path home;

    private ExecutorService executor;
    private EndpointCatalog catalog;

    @Start
    void start(Stage stage) throws Exception {
        Path store = Files.createDirectories(home.resolve("store"));
        executor = Executors.newCachedThreadPool();
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(store)));
        Theme.LIGHT.apply();
        // TestFX hands every test the same stage, sometimes left narrow by another test: the
        // toolbar keeps every action in the scene at any width (NarrowLayoutTest), so no size is set here
        MainWindow.show(stage, new DesktopContext(catalog, executor, new SettingsStore(home.resolve("settings.json"))));
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        catalog.close();
    }

    @Test
    void showsRailImagesTableAndStatusBar(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        assertThat(rail.getItems()).extracting(item -> item.endpoint().name()).containsExactly("Embedded store");
        assertThat(rail.getSelectionModel().getSelectedItem().stateProperty().get())
                .isEqualTo(EndpointItem.State.EMBEDDED);

        TableView<?> table = robot.lookup("#images-table").queryTableView();
        assertThat(table.getColumns()).extracting(column -> column.getText()).containsExactly(
                "REPOSITORY", "TAG", "", "IMAGE ID", "CREATED", "SIZE", "SHARED", "UNIQUE", "CONTAINERS");

        assertThat(table.getColumns().get(2).getId()).isEqualTo("update-column"); // UpdateMarks' column, text-less
        robot.lookup("#filter-dangling").queryAs(ToggleButton.class);
        // the embedded store runs no containers: its capabilities turn the Containers action off
        assertThat(robot.lookup("#containers-button").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#prune-button").queryButton().isDisabled()).isFalse();
        StatusBar status = robot.lookup("#status-bar").queryAs(StatusBar.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> status.getText().startsWith("Embedded store:"));
        assertThat(status.getText()).isEqualTo("Embedded store: 0 images · 0B");
        assertThat(table.getItems()).isEmpty();
        assertThat(robot.window(MainWindow.TITLE).isShowing()).isTrue();
    }
}
