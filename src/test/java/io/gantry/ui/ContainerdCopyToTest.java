package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageStore;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
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
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
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
 * "Copy to" in the main window (headless, Monocle) with the harness's containerd: an image of the
 * embedded store goes into the namespace the containerd shows or into {@code k8s.io}; an image of
 * the selected containerd goes into any other of its namespaces, as its namespace selector lists
 * them. Each copy is checked with {@code ctr} and by the image ID at the destination.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, ContainerdExtension.class, RegistryExtension.class})
class ContainerdCopyToTest {

    private static final int DEADLINE = 60;

    @TempDir
    static Path home;

    private static String shown;
    private static String other;
    private static String embeddedRef;
    private static FixtureImage embeddedImage;
    private static String containerdRef;
    private static FixtureImage containerdImage;
    private static ContainerdPeer peer;

    private ExecutorService executor;
    private EndpointCatalog catalog;

    @BeforeAll
    static void seed(ContainerdPeer containerd, RegistryPeer registry) {
        peer = containerd;
        FixtureImages images = new FixtureImages();
        shown = FixtureImages.unique("shown");
        other = FixtureImages.unique("other");
        embeddedImage = images.image(FixtureImages.unique("embedded")).layer(l -> l.file("a", "1")).oci();
        embeddedRef = "example.com/" + FixtureImages.unique("local") + ":1";
        containerdImage = images.image(FixtureImages.unique("node")).layer(l -> l.file("b", "2"));
        registry.pusher().push(containerdImage);
        containerdRef = containerd.pull(shown, containerdImage.reference(registry.hostPort()));
        FixtureImage marker = images.image(FixtureImages.unique("marker")).layer(l -> l.file("c", "3"));
        registry.pusher().push(marker);
        containerd.pull(other, marker.reference(registry.hostPort())); // so that the namespace exists
    }

    @Start
    void start(Stage stage) throws Exception {
        executor = Executors.newCachedThreadPool();
        OciLayoutStore embedded = OciLayoutStore.open(Files.createDirectories(home.resolve("store")));
        StoreFixtures.store(embedded, embeddedImage, embeddedRef);
        catalog = new EndpointCatalog(List.of(embedded, ContainerdStore.open("test containerd", peer.socket(), shown)));
        Theme.LIGHT.apply();
        MainWindow.show(stage, new DesktopContext(catalog, executor, new SettingsStore(home.resolve("settings.json"))));
        stage.setWidth(1200);
        stage.setHeight(720);
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void copiesFromTheEmbeddedStoreIntoK8sIoAndBetweenNamespaces(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(DEADLINE, TimeUnit.SECONDS, () -> rows(table).contains(embeddedRef));

        List<String> offered = copyTargets(robot, embeddedRef);
        assertThat(offered).contains("test containerd [" + shown + "]", "test containerd [k8s.io]")
                .doesNotContain("Embedded store");
        choose(robot, embeddedRef, "test containerd [k8s.io]");
        WaitForAsyncUtils.waitFor(DEADLINE, TimeUnit.SECONDS,
                () -> peer.ctrOk("k8s.io", "images", "ls", "-q").lines().contains(embeddedRef));
        assertThat(imageId("k8s.io", embeddedRef)).isEqualTo(Digest.of(embeddedImage.imageId()));

        EndpointItem containerd = rail.getItems().get(1);
        robot.interact(() -> rail.getSelectionModel().select(containerd));
        ComboBox<String> namespaces = robot.lookup("#namespace-choice").queryComboBox();
        WaitForAsyncUtils.waitFor(DEADLINE, TimeUnit.SECONDS, () -> namespaces.getItems().contains(other));
        WaitForAsyncUtils.waitFor(DEADLINE, TimeUnit.SECONDS, () -> rows(table).contains(containerdRef));

        offered = copyTargets(robot, containerdRef);
        assertThat(offered).as("every other namespace the selector lists, not the one shown, and the embedded store")
                .contains("Embedded store", "test containerd [" + other + "]", "test containerd [k8s.io]")
                .doesNotContain("test containerd [" + shown + "]");
        choose(robot, containerdRef, "test containerd [" + other + "]");
        WaitForAsyncUtils.waitFor(DEADLINE, TimeUnit.SECONDS,
                () -> peer.ctrOk(other, "images", "ls", "-q").lines().contains(containerdRef));
        assertThat(imageId(other, containerdRef)).isEqualTo(Digest.of(containerdImage.imageId()));
        assertThat(catalog.store(containerd.endpoint().id()).namespace()).as("the window still shows its namespace")
                .contains(shown);
    }

    /** The labels under "Copy to" in the menu of the row showing {@code reference}. */
    private static List<String> copyTargets(FxRobot robot, String reference) throws Exception {
        Menu copyTo = openCopyTo(robot, reference);
        List<String> labels = copyTo.getItems().stream().map(MenuItem::getText).toList();
        robot.interact(() -> copyTo.getParentPopup().hide());
        return labels;
    }

    private static void choose(FxRobot robot, String reference, String label) throws Exception {
        Menu copyTo = openCopyTo(robot, reference);
        MenuItem item = copyTo.getItems().stream().filter(i -> label.equals(i.getText())).findFirst().orElseThrow();
        robot.interact(item::fire);
        robot.interact(() -> copyTo.getParentPopup().hide());
    }

    private static Menu openCopyTo(FxRobot robot, String reference) throws Exception {
        return (Menu) RowMenus.show(robot, i -> (i.repository() + ":" + i.tag()).equals(reference)).getItems().stream()
                .filter(i -> "copy-to-menu".equals(i.getId())).findFirst().orElseThrow();
    }

    private static Digest imageId(String namespace, String reference) {
        try (ImageStore store = ContainerdStore.open("check", peer.socket(), namespace)) {
            return store.inspect(ImageKey.parse(reference)).id();
        }
    }

    private static List<String> rows(TableView<ImageTable.Row> table) {
        return FxReads.references(table);
    }
}
