package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.LayerRows;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.ui.delete.PreviewLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The images view, the details pane, the layers tab and the delete and prune dialogs (headless,
 * Monocle) on a private dockerd holding a fixture family: a base image and two children sharing
 * its layer, an image a stopped container uses, busybox with a running container, and a dangling
 * image.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageViewsEngineTest {

    @TempDir
    static Path home;

    private static DockerdPeer dockerd;
    private static FixtureImage base;
    private static FixtureImage app;
    private static FixtureImage tool;
    private static FixtureImage stopped;
    private static FixtureImage busybox;
    private static String danglingId;

    private ExecutorService executor;
    private EndpointCatalog catalog;
    private DockerEngineStore engine;

    @BeforeAll
    static void startEngine() {
        dockerd = DockerdPeer.start();
        FixtureImages images = new FixtureImages();
        base = images.image("fam/base").layer("ADD rootfs /", l -> l.file("etc/os-release", "ID=fam\n")
                .file("usr/lib/libfam.so", "x".repeat(40_000)));
        app = base.child("fam/app").env("GREETING", "hello").label("org.example.team", "blue")
                .layer("COPY app /app", l -> l.file("app/run", "y".repeat(20_000)).whiteout("etc/os-release"));
        tool = base.child("fam/tool").layer("COPY tool /tool", l -> l.file("tool/bin", "z".repeat(10_000)));
        stopped = images.image("held/stopped").layer("ADD held", l -> l.file("held", "held by a stopped container"));
        busybox = images.busybox("held/running");
        FixtureImage dangling = images.image("gone/dangling").layer("ADD old", l -> l.file("old", "old build"));
        dockerd.load(base, app, tool, stopped, busybox);
        danglingId = dockerd.loadUntagged(dangling);
        dockerd.createContainer(stopped);
        dockerd.runContainer(busybox.reference());
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
        engine = DockerEngineStore.of(address, EngineCredentials.anonymous());
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(Files.createDirectories(home.resolve("store"))),
                engine));
        Theme.LIGHT.apply();
        MainWindow.show(stage, new DesktopContext(catalog, executor,
                new SettingsStore(Files.createDirectories(home.resolve("s")).resolve("settings-" + System.nanoTime() + ".json"))));
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void imagesViewShowsTheFamilyWithSharedSizesAndFilters(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = openEngine(robot);
        ImageTable.Row baseRow = row(table, base.reference());
        ImageTable.Row appRow = row(table, app.reference());
        ImageTable.Row toolRow = row(table, tool.reference());
        // The base layer is shared by all three; the children's own layers are unique.
        assertThat(baseRow.image().sharedSize()).isEqualTo(baseRow.image().size()).isPositive();
        assertThat(baseRow.image().uniqueSize()).isZero();
        assertThat(appRow.image().sharedSize()).isEqualTo(baseRow.image().size());
        assertThat(appRow.image().uniqueSize()).isPositive();
        assertThat(toolRow.image().sharedSize()).isEqualTo(baseRow.image().size());
        // The table shows exactly the store's figures.
        for (ImageSummary summary : engine.listImages()) {
            ImageTable.Row shown = FxReads.items(table).stream()
                    .filter(r -> r.image().id().equals(summary.id())).findFirst().orElseThrow();
            assertThat(shown.image().sharedSize()).as(summary.repoTags().toString()).isEqualTo(summary.sharedSize());
            assertThat(shown.image().size()).isEqualTo(summary.size());
        }

        robot.clickOn("#filter-dangling");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(table)).containsExactly("<none>:<none>");
        assertThat(table.getItems().get(0).image().id().toString()).isEqualTo(danglingId);

        robot.clickOn("#filter-in_use");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(table)).containsExactlyInAnyOrder(stopped.reference(), busybox.reference());

        robot.clickOn("#filter-unused");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(table)).contains(base.reference(), app.reference(), tool.reference())
                .doesNotContain(stopped.reference(), busybox.reference());

        robot.clickOn("#filter-all");
        robot.clickOn("#image-filter").write("fam/");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(table)).containsExactlyInAnyOrder(base.reference(), app.reference(), tool.reference());
    }

    @Test
    @Order(2)
    void detailsPaneShowsEnvLabelsAndStorageDirectories(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = openEngine(robot);
        select(robot, table, app.reference());
        robot.type(KeyCode.ENTER);
        GridPane grid = robot.lookup("#details-grid").queryAs(GridPane.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() -> texts(grid)).contains("Storage driver"));
        Set<String> texts = onFx(() -> texts(grid));
        assertThat(texts).contains(app.reference(), "GREETING=hello", "org.example.team=blue", "Storage driver", "vfs",
                "sha256:" + app.imageId().replace("sha256:", ""));
    }

    @Test
    @Order(3)
    void layersTabListsSharedLayersAndTheFilesOfEachLayer(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = openEngine(robot);
        select(robot, table, app.reference());
        TabPane tabs = robot.lookup("#details-tabs").queryAs(TabPane.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, tabs::isVisible);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        // the tab's content joins the scene on a later pulse (CI once looked it up too early)
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#layers-table").tryQuery().isPresent());
        TableView<LayerRows.Row> layers = robot.lookup("#layers-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() -> layers.getItems().size()) == 2);
        assertThat(layers.getItems().get(0).sharedWith()).containsExactlyInAnyOrder(base.reference(), tool.reference());
        assertThat(layers.getItems().get(1).sharedWith()).isEmpty();
        assertThat(layers.getItems().get(1).createdBy()).contains("COPY app /app");
        Pane bar = robot.lookup("#layer-size-bar").queryAs(Pane.class); // a SizeBar
        assertThat(bar.getChildren()).hasSize(2);
        assertThat(bar.getChildren().get(0).getStyleClass()).contains("shared");
        assertThat(bar.getChildren().get(1).getStyleClass()).contains("unique");

        // Opening the tab starts the file analysis over the engine's export stream.
        Label summary = robot.lookup("#analysis-summary").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> summary.getText().startsWith("Efficiency"));
        robot.interact(() -> layers.getSelectionModel().select(1));
        TreeView<?> tree = robot.lookup("#file-tree").queryAs(TreeView.class);
        Label layerMessage = robot.lookup("#layer-message").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> tree.getRoot() != null
                && ((io.gantry.service.analysis.FileNode) tree.getRoot().getValue()).find("app/run").isPresent()
                && layerMessage.getText().startsWith("Layer 1")));
        io.gantry.service.analysis.FileNode root = (io.gantry.service.analysis.FileNode) tree.getRoot().getValue();
        assertThat(root.find("app/run").orElseThrow().change()).contains(io.gantry.service.analysis.ChangeKind.ADDED);
        assertThat(root.find("etc/os-release").orElseThrow().deleted()).isTrue();
        assertThat(layerMessage.getText())
                .isEqualTo("Layer 1: 2 added, 0 modified, 1 deleted");
        // the deleted os-release (7 bytes) is wasted
        assertThat(summary.getText()).contains("wasted in 1 file");
    }

    @Test
    @Order(4)
    void deleteBlockedByAStoppedContainerThenForced(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = openEngine(robot);
        select(robot, table, stopped.reference());
        robot.type(KeyCode.DELETE);
        ListView<PreviewLine> lines = waitForDialog(robot);
        assertThat(kinds(lines)).containsExactly(PreviewLine.Kind.BLOCKED);
        assertThat(lines.getItems().get(0).note()).contains("a stopped container uses it").contains("Force");
        CheckBox force = robot.lookup("#cleanup-force").queryAs(CheckBox.class);
        Button run = robot.lookup("#cleanup-run").queryButton();
        assertThat(force.isVisible()).isTrue();
        assertThat(run.isDisabled()).isTrue();
        assertThat(dockerd.imageId(stopped.reference())).isEqualTo(stopped.imageId());

        robot.clickOn(force);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !run.isDisabled());
        List<PreviewLine> preview = List.copyOf(lines.getItems());
        assertThat(kinds(lines)).contains(PreviewLine.Kind.DELETE_IMAGE).doesNotContain(PreviewLine.Kind.BLOCKED);
        robot.clickOn(run);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#cleanup-cancel").queryButton().getText().equals("Close"));
        List<String> result = lines.getItems().stream().map(PreviewLine::text).toList();
        assertThat(result).contains("Untagged: " + stopped.reference(), "Deleted: " + stopped.imageId());
        assertThat(deletedShortIds(result)).isEqualTo(previewShortIds(preview));
        assertThat(robot.lookup("#cleanup-message").queryAs(Label.class).isVisible()).isFalse();
        assertThat(dockerd.docker("image", "inspect", stopped.reference()).exitCode()).isNotZero();
        closeDialog(robot);
    }

    @Test
    @Order(5)
    void deleteBlockedByARunningContainerOffersNoForce(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = openEngine(robot);
        select(robot, table, busybox.reference());
        robot.clickOn("#delete-button");
        ListView<PreviewLine> lines = waitForDialog(robot);
        assertThat(kinds(lines)).containsExactly(PreviewLine.Kind.BLOCKED);
        assertThat(lines.getItems().get(0).note()).contains("running container").contains("cannot be forced");
        assertThat(robot.lookup("#cleanup-force").queryAs(CheckBox.class).isVisible()).isFalse();
        assertThat(robot.lookup("#cleanup-run").queryButton().isDisabled()).isTrue();
        closeDialog(robot);
        assertThat(dockerd.imageId(busybox.reference())).isEqualTo(busybox.imageId());
    }

    @Test
    @Order(6)
    void prunePreviewEqualsThePruneResult(FxRobot robot) throws Exception {
        openEngine(robot);
        robot.clickOn("#prune-button");
        ListView<PreviewLine> lines = waitForDialog(robot);
        Label headline = robot.lookup("#cleanup-headline").queryAs(Label.class);
        List<PreviewLine> preview = List.copyOf(lines.getItems());
        assertThat(preview).anyMatch(l -> l.kind() == PreviewLine.Kind.DELETE_IMAGE
                && l.note().equals(io.gantry.core.Digest.of(danglingId).shortHex()));
        String frees = headline.getText().replaceAll(".* frees ", "");
        robot.clickOn("#cleanup-run");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#cleanup-cancel").queryButton().getText().equals("Close"));
        List<String> result = lines.getItems().stream().map(PreviewLine::text).toList();
        assertThat(deletedShortIds(result)).isEqualTo(previewShortIds(preview));
        assertThat(headline.getText()).endsWith("total reclaimed space: " + frees);
        assertThat(dockerd.docker("image", "inspect", danglingId).exitCode()).isNotZero();
        closeDialog(robot);
    }

    // ---- helpers

    private TableView<ImageTable.Row> openEngine(FxRobot robot) throws TimeoutException {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        robot.interact(() -> rail.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> names(table).contains(base.reference()));
        return table;
    }

    private static void select(FxRobot robot, TableView<ImageTable.Row> table, String reference) {
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(row(table, reference));
            table.requestFocus();
        });
    }

    private static ImageTable.Row row(TableView<ImageTable.Row> table, String reference) {
        return FxReads.items(table).stream().filter(r -> (r.repository() + ":" + r.tag()).equals(reference))
                .findFirst().orElseThrow(() -> new AssertionError(reference + " not in " + names(table)));
    }

    private static List<String> names(TableView<ImageTable.Row> table) {
        return FxReads.items(table).stream().map(r -> r.repository() + ":" + r.tag()).toList();
    }

    private static ListView<PreviewLine> waitForDialog(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#cleanup-lines").tryQuery().isPresent());
        Button cancel = robot.lookup("#cleanup-cancel").queryButton();
        Label headline = robot.lookup("#cleanup-headline").queryAs(Label.class);
        Node spinner = robot.lookup("#cleanup-spinner").query();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(
                () -> !spinner.isVisible() && !headline.getText().startsWith("Working out")));
        assertThat(cancel.getText()).isEqualTo("Cancel");
        return robot.lookup("#cleanup-lines").queryListView();
    }

    private static void closeDialog(FxRobot robot) {
        Window dialog = robot.lookup("#cleanup-cancel").query().getScene().getWindow();
        robot.interact(() -> ((Stage) dialog).close());
    }

    private static List<PreviewLine.Kind> kinds(ListView<PreviewLine> lines) {
        return lines.getItems().stream().map(PreviewLine::kind).distinct().toList();
    }

    /** Short IDs of the images and layers the preview says go. */
    private static Set<String> previewShortIds(List<PreviewLine> preview) {
        Set<String> ids = new HashSet<>();
        for (PreviewLine line : preview) {
            if (line.kind() == PreviewLine.Kind.DELETE_IMAGE) {
                ids.add(line.note());
            } else if (line.kind() == PreviewLine.Kind.DELETE_LAYER) {
                ids.add(line.text());
            }
        }
        return ids;
    }

    /** Short IDs of every "Deleted: sha256:…" line of a result. */
    private static Set<String> deletedShortIds(List<String> result) {
        return result.stream().filter(line -> line.startsWith("Deleted: sha256:"))
                .map(line -> line.substring("Deleted: sha256:".length(), "Deleted: sha256:".length() + 12))
                .collect(Collectors.toSet());
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private static Set<String> texts(Node root) {
        Set<String> texts = new HashSet<>();
        collect(root, texts);
        return texts;
    }

    private static void collect(Node node, Set<String> into) {
        if (node instanceof Label label && label.getText() != null) {
            into.add(label.getText());
        }
        if (node instanceof javafx.scene.Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> collect(child, into));
        }
    }
}
