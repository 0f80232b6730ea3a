package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Platform;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.registry.RegistryClient;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.input.KeyCode;
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
 * Issue 13: the rail's room with a containerd endpoint in {@code k8s.io} (its NAMESPACE picker and
 * the node's image-filesystem gauge under the endpoints), beside the embedded store and a live Docker
 * engine, as the screenshot walk sets them up (each engine's version line wraps in the rail; two
 * images in {@code k8s.io}; two cards in the pull panel). At 900x600 with the pull panel open every endpoint entry
 * is drawn whole (the list gets the room it needs first; it showed about one entry) and the picker
 * and the gauge are reached by scrolling the rail; at 1200x720 with the pull panel open all of it is in
 * view without scrolling (the entries' engine lines in their tooltips, the gauge compact: the collection
 * rule and order in the "used" line's tooltip; the walk's picture showed the rail's scroll bar and the
 * "used" line cut at the view's bottom); at 1440x900 all of it is in view at once, the whole gauge's lines whole.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, ContainerdExtension.class, DockerdExtension.class, RegistryExtension.class})
class RailRoomTest {

    @TempDir
    static Path home;

    private static ContainerdPeer peer;
    private static DockerdPeer dockerd;
    private static List<String> references;

    private Stage stage;
    private ExecutorService executor;
    private EndpointCatalog catalog;

    @BeforeAll
    static void seed(ContainerdPeer containerd, DockerdPeer docker, RegistryPeer registry) {
        peer = containerd;
        dockerd = docker;
        // as the walk's containerd: two images of a family in k8s.io ("GC removes first: api:2.4, web:1.1")
        String prefix = FixtureImages.unique("cluster");
        FixtureImages images = new FixtureImages();
        FixtureImage base = images.image(prefix + "/base").tag("12").layer(l -> l.file("etc/os-release", "ID=demo\n"));
        FixtureImage api = base.child(prefix + "/api").tag("2.4").layer(l -> l.file("opt/api/bin", "api"));
        FixtureImage web = base.child(prefix + "/web").tag("1.1").layer(l -> l.file("srv/www/app.js", "web"));
        for (FixtureImage image : List.of(api, web)) {
            registry.pusher().push(image);
            containerd.pull("k8s.io", image.reference(registry.hostPort()));
        }
        references = List.of(api.reference(registry.hostPort()), web.reference(registry.hostPort()));
        docker.load(images.image(FixtureImages.unique("rail")).layer(l -> l.file("a", "1")));
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        executor = Executors.newCachedThreadPool();
        EngineAddress docker = new EngineAddress("demo dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        OciLayoutStore store = OciLayoutStore.open(Files.createDirectories(home.resolve("store")),
                new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(30), Platform.parse("linux/amd64"))
                        .withPulls(new StorePulls(RegistryClient.builder().build(), executor, 3)));
        catalog = new EndpointCatalog(List.of(store,
                DockerEngineStore.of(docker, EngineCredentials.anonymous()),
                ContainerdStore.open("node containerd", peer.socket(), "k8s.io")));
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
    void at900x600WithThePullPanelEveryEntryIsWholeAndThePickerAndGaugeAreReachable(FxRobot robot) throws Exception {
        // a reference typed in the search box pulls into the selected endpoint (the embedded store) and opens the pull panel
        pullTwoIntoTheStore(robot);
        ListView<EndpointItem> rail = selectContainerd(robot);
        resize(robot, 900, 600);

        assertEveryEntryWhole(robot, rail);
        for (Node node : List.of(robot.lookup("#namespace-choice").queryAs(ComboBox.class), gauge(robot))) {
            robot.interact(() -> bringIntoView(node));
            assertInView(robot, node);
        }
        assertGaugeLinesWhole(robot);
    }

    /**
     * With the pull panel open at 1200x720 (the first start's size) the rail fits at a glance: every
     * entry, the picker and the gauge are in view without scrolling (the walk had to scroll for the
     * picker and the gauge). Short of room, the gauge is compact: its title, bar and "used" line, the
     * collection rule and order in its tooltip.
     */
    @Test
    void at1200x720WithThePullPanelEverythingIsInViewWithoutScrolling(FxRobot robot) throws Exception {
        pullTwoIntoTheStore(robot);
        ListView<EndpointItem> rail = selectContainerd(robot);
        resize(robot, 1200, 720);

        assertEveryEntryWhole(robot, rail);
        assertInView(robot, robot.lookup("#namespace-choice").queryAs(ComboBox.class));
        assertInView(robot, gauge(robot));
        assertNoScrolling(robot);
        assertGaugeLinesWhole(robot);
        assertThat(FxReads.onFx(() -> robot.lookup("#node-gc").queryAs(Label.class).isVisible()
                ? robot.lookup("#node-gc").queryAs(Label.class).getText()
                : robot.lookup("#node-used").queryAs(Label.class).getTooltip().getText()))
                .as("the collection rule, on the gauge or in its tooltip").contains("Kubelet GC above");
        assertThat(FxReads.onFx(() -> rail.lookupAll(".list-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && c.isVisible() && c.getItem() instanceof EndpointItem i
                        && i.endpoint().name().equals("demo dockerd"))
                .map(n -> ((ListCell<?>) n).getTooltip().getText()).findFirst().orElse("")))
                .as("the engine's version, on its entry or in the entry's tooltip").contains("Docker Engine");
    }

    @Test
    void at1440x900EveryEntryThePickerAndTheWholeGaugeAreInViewAtOnce(FxRobot robot) throws Exception {
        pullTwoIntoTheStore(robot);
        ListView<EndpointItem> rail = selectContainerd(robot);
        resize(robot, 1440, 900);

        assertEveryEntryWhole(robot, rail);
        assertInView(robot, robot.lookup("#namespace-choice").queryAs(ComboBox.class));
        assertInView(robot, gauge(robot));
        assertNoScrolling(robot);
        assertGaugeLinesWhole(robot);
        double[] rightEdges = FxReads.onFx(() -> new double[] {
            robot.lookup("#namespace-choice").query().localToScene(robot.lookup("#namespace-choice").query().getLayoutBounds()).getMaxX(),
            gauge(robot).localToScene(gauge(robot).getLayoutBounds()).getMaxX()});
        assertThat(rightEdges[0]).as("the NAMESPACE picker ends where the gauge does, inside the rail's padding")
                .isCloseTo(rightEdges[1], org.assertj.core.data.Offset.offset(0.5));
        assertThat(FxReads.onFx(() -> robot.lookup("#node-gc").queryAs(Label.class).isVisible()
                && robot.lookup("#node-first").queryAs(Label.class).isVisible())).as("the whole gauge at 1440x900").isTrue();

        // the picker follows the entries (no empty list between them): the room to spare is under the gauge
        double[] gaps = FxReads.onFx(() -> {
            double lastCell = rail.lookupAll(".list-cell").stream()
                    .filter(n -> n instanceof ListCell<?> c && c.isVisible() && c.getItem() != null)
                    .mapToDouble(n -> n.localToScene(n.getLayoutBounds()).getMaxY()).max().orElseThrow();
            Node box = robot.lookup("#namespace-choice").query().getParent();
            return new double[] {box.localToScene(box.getLayoutBounds()).getMinY() - lastCell,
                rail.localToScene(rail.getLayoutBounds()).getMaxY() - lastCell};
        });
        assertThat(gaps[0]).as("from the last entry to NAMESPACE (the list's bottom %s px under its last entry)", gaps[1])
                .isLessThanOrEqualTo(12);
    }

    /**
     * As the walk: two references typed in the search box pull into the selected endpoint (the embedded
     * store), two cards in the pull panel, which opens.
     */
    private void pullTwoIntoTheStore(FxRobot robot) throws Exception {
        ListView<EndpointItem> list = robot.lookup("#endpoint-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(item(list, "Embedded store")));
        for (String reference : references) {
            robot.interact(() -> robot.lookup("#search-field").queryAs(javafx.scene.control.TextField.class).clear());
            robot.clickOn("#search-field").write(reference).type(KeyCode.ENTER);
        }
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> robot.lookup("#pull-split")
                .queryAs(SplitPane.class).getItems().size() == 2));
        EndpointItem store = item(list, "Embedded store");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() ->
                store.summaryProperty().get().contains("2 images")));
    }

    private ListView<EndpointItem> selectContainerd(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        EndpointItem containerd = item(rail, "node containerd");
        EndpointItem docker = item(rail, "demo dockerd");
        robot.interact(() -> rail.getSelectionModel().select(containerd));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.onFx(() -> robot.lookup("#node-box").query()
                .isVisible() && !robot.lookup("#node-used").queryAs(Label.class).getText().isEmpty()));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.onFx(() -> docker.stateProperty().get()
                == EndpointItem.State.CONNECTED && docker.summaryProperty().get().contains("Docker Engine")
                && containerd.summaryProperty().get().startsWith("containerd " + peer.version() + " · ")));
        return rail;
    }

    private static EndpointItem item(ListView<EndpointItem> rail, String name) {
        return FxReads.items(rail).stream().filter(i -> i.endpoint().name().equals(name)).findFirst().orElseThrow();
    }

    private void resize(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> stage.getScene().getRoot().layout());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void assertNoScrolling(FxRobot robot) {
        assertThat(FxReads.onFx(() -> {
            ScrollPane scroll = robot.lookup("#rail-scroll").queryAs(ScrollPane.class);
            return scroll.getContent().getLayoutBounds().getHeight() <= scroll.getViewportBounds().getHeight() + 0.5
                    && scroll.lookupAll(".scroll-bar").stream().noneMatch(Node::isVisible);
        })).as("the rail needs no scrolling and shows no scroll bar").isTrue();
    }

    private static Node gauge(FxRobot robot) {
        return robot.lookup("#node-gauge").query();
    }

    /**
     * Each entry has a cell lying wholly inside the list: none is scrolled away or cut at the list's
     * edge, and the list scrolls neither way (a text wider than the list would add a sideways bar).
     */
    private static void assertEveryEntryWhole(FxRobot robot, ListView<EndpointItem> rail) {
        List<String> whole = new ArrayList<>();
        robot.interact(() -> {
            Bounds list = rail.localToScene(rail.getLayoutBounds());
            for (Node node : rail.lookupAll(".list-cell")) {
                if (node instanceof ListCell<?> cell && cell.isVisible() && cell.getItem() instanceof EndpointItem item
                        && contains(list, cell.localToScene(cell.getLayoutBounds()))) {
                    whole.add(item.endpoint().name());
                }
            }
        });
        assertThat(whole).as("endpoint entries drawn whole in the rail")
                .containsExactlyInAnyOrderElementsOf(FxReads.items(rail).stream().map(i -> i.endpoint().name()).toList());
        assertThat(FxReads.onFx(() -> rail.lookupAll(".scroll-bar").stream().noneMatch(Node::isVisible)))
                .as("the endpoint list needs no scroll bar of its own").isTrue();
    }

    /** {@code node} lies wholly inside what the rail shows (the split's first item, less what it scrolls away). */
    private static void assertInView(FxRobot robot, Node node) {
        Bounds[] both = new Bounds[2];
        robot.interact(() -> {
            Node shown = robot.lookup("#rail-split").queryAs(SplitPane.class).getItems().get(0);
            if (shown instanceof ScrollPane scroll) {
                shown = scroll.lookup(".viewport");
            }
            both[0] = shown.localToScene(shown.getLayoutBounds());
            both[1] = node.localToScene(node.getLayoutBounds());
        });
        assertThat(FxReads.onFx(node::isVisible)).isTrue();
        assertThat(contains(both[0], both[1])).as(node + " at " + both[1] + " in view of the rail " + both[0])
                .isTrue();
    }

    /** Each of the gauge's shown lines is as tall as its wrapped text: none cut or elided (compact: two are not shown). */
    private static void assertGaugeLinesWhole(FxRobot robot) {
        for (String id : List.of("#node-used", "#node-gc", "#node-first")) {
            Label label = robot.lookup(id).queryAs(Label.class);
            if (!FxReads.onFx(label::isVisible)) {
                continue;
            }
            double[] sizes = new double[2];
            robot.interact(() -> {
                sizes[0] = label.getHeight();
                sizes[1] = label.prefHeight(label.getWidth());
            });
            assertThat(sizes[0]).as(id + " drawn whole").isGreaterThanOrEqualTo(sizes[1] - 0.5);
        }
    }

    /** Scrolls the rail, when it scrolls, so that {@code node} shows. */
    private static void bringIntoView(Node node) {
        for (Node parent = node.getParent(); parent != null; parent = parent.getParent()) {
            if (parent instanceof ScrollPane scroll) {
                Node content = scroll.getContent();
                double contentHeight = content.getLayoutBounds().getHeight();
                double viewport = scroll.getViewportBounds().getHeight();
                if (contentHeight > viewport) {
                    Bounds inContent = content.sceneToLocal(node.localToScene(node.getLayoutBounds()));
                    double top = Math.min(inContent.getMinY(), contentHeight - viewport);
                    scroll.setVvalue(scroll.getVmin() + (scroll.getVmax() - scroll.getVmin()) * top / (contentHeight - viewport));
                }
                scroll.layout();
                return;
            }
        }
    }

    private static boolean contains(Bounds outer, Bounds inner) {
        return inner.getMinX() >= outer.getMinX() - 0.5 && inner.getMaxX() <= outer.getMaxX() + 0.5
                && inner.getMinY() >= outer.getMinY() - 0.5 && inner.getMaxY() <= outer.getMaxY() + 0.5;
    }
}
