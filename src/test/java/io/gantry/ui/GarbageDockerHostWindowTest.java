package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.engine.docker.EngineDiscovery;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
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
 * Issue 14, item 7: a garbage {@code DOCKER_HOST} made the window exit at start. Here discovery
 * reads several garbage values (as the composition root reads the real environment); the window
 * starts, the embedded store works, and each such endpoint shows as not answering with the reason
 * in words.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class GarbageDockerHostWindowTest {

    private static final List<String> GARBAGE = List.of("ssh://me@host", "tcp://:99999", "%%%", "unix://", "tcp://a b");

    @TempDir
    static Path home;

    private ExecutorService executor;
    private EndpointCatalog catalog;

    @Start
    void start(Stage stage) throws Exception {
        executor = Executors.newCachedThreadPool();
        List<ImageStore> stores = new ArrayList<>();
        stores.add(OciLayoutStore.open(Files.createDirectories(home.resolve("store"))));
        for (String value : GARBAGE) {
            for (EngineAddress address : new EngineDiscovery(Map.of("DOCKER_HOST", value), home.resolve("home"),
                    home.resolve("root"), "Linux").discover()) {
                stores.add(DockerEngineStore.of(address, EngineCredentials.anonymous()));
            }
        }
        catalog = new EndpointCatalog(stores);
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
    void theWindowStartsTheEmbeddedStoreWorksAndEachBadAddressSaysWhy(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        assertThat(rail.getItems()).hasSize(1 + GARBAGE.size());
        for (int i = 1; i <= GARBAGE.size(); i++) {
            EndpointItem engine = rail.getItems().get(i);
            robot.interact(() -> rail.getSelectionModel().select(engine));
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#listing-error").tryQuery().isPresent());
            VBox error = robot.lookup("#listing-error").queryAs(VBox.class);
            List<String> texts = error.getChildren().stream().filter(n -> n instanceof Label)
                    .map(n -> ((Label) n).getText()).toList();
            assertThat(texts.get(0)).isEqualTo("DOCKER_HOST is not answering");
            assertThat(texts.get(1)).matches("(?s).*(cannot use the engine address|over ssh).*").doesNotContain("Exception");
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                    () -> engine.stateProperty().get() == EndpointItem.State.DISCONNECTED);
        }
        // the embedded store still lists (empty, no error)
        robot.interact(() -> rail.getSelectionModel().select(rail.getItems().get(0)));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#listing-error").tryQuery().isEmpty());
        assertThat(table.getItems()).isEmpty();
    }
}
