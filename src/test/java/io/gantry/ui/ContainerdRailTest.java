package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
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
 * The main window (headless, Monocle) on the harness's containerd: the rail names its version,
 * the namespace selector appears for it (and not for the embedded store), lists the namespaces,
 * and choosing one lists that namespace's images; in {@code k8s.io} the node's image-filesystem gauge
 * (through the CRI) appears.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, ContainerdExtension.class, RegistryExtension.class})
class ContainerdRailTest {

    @TempDir
    static Path home;

    private static String first;
    private static String second;
    private static FixtureImage inFirst;
    private static FixtureImage inSecond;
    private static ContainerdPeer peer;

    private ExecutorService executor;
    private EndpointCatalog catalog;

    @BeforeAll
    static void seed(ContainerdPeer containerd, RegistryPeer registry) {
        peer = containerd;
        FixtureImages images = new FixtureImages();
        first = FixtureImages.unique("one");
        second = FixtureImages.unique("two");
        inFirst = images.image(FixtureImages.unique("first")).layer(l -> l.file("a", "1"));
        inSecond = images.image(FixtureImages.unique("second")).layer(l -> l.file("b", "2"));
        registry.pusher().push(inFirst);
        registry.pusher().push(inSecond);
        containerd.pull(first, inFirst.reference(registry.hostPort()));
        containerd.pull(second, inSecond.reference(registry.hostPort()));
    }

    @Start
    void start(Stage stage) throws Exception {
        executor = Executors.newCachedThreadPool();
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(Files.createDirectories(home.resolve("store"))),
                ContainerdStore.open("test containerd", peer.socket(), first)));
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
    void theNamespaceSelectorSwitchesWhatTheListShows(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        ComboBox<String> namespaces = robot.lookup("#namespace-choice").queryComboBox();
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !namespaces.getParent().isVisible());

        EndpointItem containerd = rail.getItems().get(1);
        robot.interact(() -> rail.getSelectionModel().select(containerd));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> rows(table).stream().anyMatch(r -> r.contains(inFirst.repository())));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> namespaces.getItems().contains(second));
        assertThat(namespaces.getParent().isVisible()).isTrue();
        assertThat(namespaces.getValue()).isEqualTo(first);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> containerd.summaryProperty().get().startsWith("containerd " + peer.version() + " · "));

        robot.interact(() -> namespaces.getSelectionModel().select(second));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> rows(table).stream().anyMatch(r -> r.contains(inSecond.repository())));
        assertThat(rows(table)).noneMatch(r -> r.contains(inFirst.repository()));
        assertThat(catalog.store(containerd.endpoint().id()).namespace()).contains(second);
        assertThat(robot.lookup("#node-box").query().isVisible()).as("no node gauge outside k8s.io").isFalse();

        // k8s.io: the node's image filesystem through the CRI, with the kubelet's thresholds
        robot.interact(() -> namespaces.getSelectionModel().select("k8s.io"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#node-box").query().isVisible());
        javafx.scene.control.Label used = robot.lookup("#node-used").queryAs(javafx.scene.control.Label.class);
        javafx.scene.control.Label gc = robot.lookup("#node-gc").queryAs(javafx.scene.control.Label.class);
        io.gantry.engine.NodeImageCache node = catalog.store(containerd.endpoint().id()).nodeImageCache();
        // the bytes are the CRI's periodic measurement, which may move between two reads: the form only
        assertThat(used.getText()).matches("\\S+ used (of \\S+ \\(\\d+%\\)|\\(capacity not visible here\\)), "
                + node.images().size() + " images?");
        assertThat(gc.getText()).contains("85%", "80%", node.aboveHighThreshold() ? "due" : "not due");
    }

    private static List<String> rows(TableView<ImageTable.Row> table) {
        return FxReads.references(table);
    }
}
