package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.ImageSummary;
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
 * The main window (headless, Monocle) follows the harness's containerd: an image pulled with
 * {@code ctr} in a terminal appears in the table and the rail's count without F5, and goes again
 * when {@code ctr images rm} removes it.
 *
 * <p>containerd replays no events, so the test first proves the window's subscription open: it labels
 * a namespace of its own, once every two seconds, until the window lists again (any event makes the
 * selected endpoint reload); only then does it pull.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, ContainerdExtension.class, RegistryExtension.class})
class ContainerdLiveWindowTest {

    private static final int WAIT_SECONDS = 60;

    @TempDir
    static Path home;

    private static String namespace;
    private static FixtureImage seeded;
    private static FixtureImage pulledLater;
    private static String pulledRef;
    private static ContainerdPeer peer;

    private ExecutorService executor;
    private EndpointCatalog catalog;
    private MainWindow.Parts parts;

    @BeforeAll
    static void seed(ContainerdPeer containerd, RegistryPeer registry) {
        peer = containerd;
        FixtureImages images = new FixtureImages();
        namespace = FixtureImages.unique("live");
        seeded = images.image(FixtureImages.unique("seeded")).layer(l -> l.file("s", "1"));
        pulledLater = images.image(FixtureImages.unique("later")).layer(l -> l.file("l", "2"));
        registry.pusher().push(seeded);
        registry.pusher().push(pulledLater);
        containerd.pull(namespace, seeded.reference(registry.hostPort()));
        pulledRef = pulledLater.reference(registry.hostPort());
    }

    @Start
    void start(Stage stage) throws Exception {
        executor = Executors.newCachedThreadPool();
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(Files.createDirectories(home.resolve("store"))),
                ContainerdStore.open("test containerd", peer.socket(), namespace)));
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor,
                new SettingsStore(home.resolve("settings.json"))));
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void anImagePulledWithCtrShowsWithoutARefresh(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        EndpointItem containerd = rail.getItems().get(1);
        robot.interact(() -> rail.getSelectionModel().select(containerd));
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS,
                () -> rows(table).stream().anyMatch(r -> r.contains(seeded.repository())));
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS,
                () -> containerd.summaryProperty().get().endsWith("1 image") || containerd.summaryProperty().get()
                        .contains(" 1 image ·"));
        awaitFollowed(parts.model());

        peer.pull(namespace, pulledRef);
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS,
                () -> rows(table).stream().anyMatch(r -> r.contains(pulledLater.repository())));
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS,
                () -> containerd.summaryProperty().get().contains("2 images"));

        peer.ctrOk(namespace, "images", "rm", pulledRef);
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS,
                () -> rows(table).stream().noneMatch(r -> r.contains(pulledLater.repository())));
        assertThat(rows(table)).anyMatch(r -> r.contains(seeded.repository()));
    }

    /** Labels a namespace of the test's own until the window lists again: its event stream is open. */
    private static void awaitFollowed(MainViewModel model) throws Exception {
        String probe = FixtureImages.unique("probe");
        peer.ctrOk("default", "namespaces", "create", probe);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (int i = 0; System.nanoTime() < deadline; i++) {
            List<ImageSummary> before = model.loadedImagesProperty().get();
            peer.ctrOk("default", "namespaces", "label", probe, "gantry.test/probe=" + i);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                if (model.loadedImagesProperty().get() != before) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new AssertionError("the window did not list again after an event within " + WAIT_SECONDS + " s");
    }

    private static List<String> rows(TableView<ImageTable.Row> table) {
        return FxReads.references(table);
    }
}
