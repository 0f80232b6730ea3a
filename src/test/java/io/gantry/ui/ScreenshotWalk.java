package io.gantry.ui;

import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.SearchResult;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.UpdateCheck;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.ContainerdDemo;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.DemoEnvironment;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.RegistryPeer;
import io.gantry.ui.pull.PullJob;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The scripted screenshot walk: opens Gantry on the demo world (a private dockerd and registry
 * filled by {@link DemoEnvironment#fill}, plus a fresh embedded store holding demo/base:12), drives
 * it as a user would — search, pull, the pull panel, the engine's images, details, layers, family
 * tree, containers, prune preview, a blocked delete and its Force preview, "Copy to" and its card, a
 * containerd's {@code k8s.io} namespace (when a private containerd can start here), Settings — and saves a PNG of each step, in the light and the dark theme, at 1440x900, 1200x720 and 900x600.
 *
 * <p>Not a test (it only produces pictures to look at), so no test run starts it; every step waits
 * for what it is about to show (at most 90 s) and the walk fails, naming the step, when it does not
 * come. It runs headless on Monocle (the same renderer as the GUI tests: software pipeline, the
 * composited screen, menus and secondary windows included). See docs/screenshots.md:
 *
 * <pre>scripts/screenshot-walk.sh [OUTPUT_DIR]     # default target/screenshots</pre>
 */
public final class ScreenshotWalk {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<double[]> SIZES = List.of(new double[] {1440, 900}, new double[] {1200, 720},
            new double[] {900, 600});

    private final FxRobot robot = new FxRobot();
    private final DemoEnvironment.Images demo;
    private final DockerdPeer dockerd;
    private final RegistryPeer registry;
    private final Optional<ContainerdPeer> containerd;
    private final Path home;
    private final Path out;

    private ScreenshotWalk(DemoEnvironment.Images demo, DockerdPeer dockerd, RegistryPeer registry,
            Optional<ContainerdPeer> containerd, Path home, Path out) {
        this.demo = demo;
        this.dockerd = dockerd;
        this.registry = registry;
        this.containerd = containerd;
        this.home = home;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        headless();
        Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/screenshots"));
        Path home = Files.createTempDirectory("gantry-walk");
        int status = 0;
        Optional<ContainerdPeer> containerd = Optional.empty();
        try (DockerdPeer dockerd = DockerdPeer.start(); RegistryPeer registry = RegistryPeer.start()) {
            DemoEnvironment.Images demo = DemoEnvironment.fill(dockerd, registry, Instant.now());
            containerd = startContainerd(registry);
            FxToolkit.registerPrimaryStage();
            ScreenshotWalk walk = new ScreenshotWalk(demo, dockerd, registry, containerd, home, out);
            for (Theme theme : Theme.values()) {
                for (double[] size : SIZES) {
                    walk.walk(theme, size[0], size[1]);
                }
            }
            System.out.println("Screenshots in " + out.toAbsolutePath());
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        } finally {
            containerd.ifPresent(ContainerdPeer::close);
        }
        System.exit(status); // the toolkit's and the engines' threads would keep the JVM alive
    }

    /**
     * A private containerd with {@link ContainerdDemo}'s images, started as the peer tests start it; when
     * it cannot start here (no containerd, ctr or runc installed, or no root), the walk says why and
     * leaves the containerd steps out.
     */
    private static Optional<ContainerdPeer> startContainerd(RegistryPeer registry) {
        ContainerdPeer started;
        try {
            started = ContainerdPeer.start();
        } catch (RuntimeException e) {
            System.out.println("No containerd steps: " + e.getMessage());
            return Optional.empty();
        }
        try {
            ContainerdDemo.fill(started, registry, "cluster", Instant.now()); // not demo/: the dockerd's demo/web:1.1 stays
            return Optional.of(started);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** Monocle's headless screen unless the caller chose another platform. */
    private static void headless() {
        Map<String, String> defaults = Map.of("testfx.robot", "glass", "testfx.headless", "true",
                "glass.platform", "Monocle", "monocle.platform", "Headless", "headless.geometry", "1920x1200",
                "prism.order", "sw", "java.awt.headless", "true");
        defaults.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    private void walk(Theme theme, double width, double height) throws Exception {
        String suffix = "-" + theme.name().toLowerCase() + "-" + (int) width + "x" + (int) height;
        Path dir = Files.createDirectories(home.resolve(suffix.substring(1)));
        ExecutorService executor = Executors.newCachedThreadPool();
        RegistryClient client = RegistryClient.builder().build();
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"), new StoreOptions(Clock.systemUTC(),
                Duration.ofSeconds(30), io.gantry.core.Platform.parse("linux/amd64"))
                .withPulls(new StorePulls(client, executor, 3)));
        store.load(new DockerArchive().add(demo.base(), demo.base().reference()).writeTo(dir.resolve("seed.tar")));
        EngineAddress address = new EngineAddress("demo dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        List<io.gantry.engine.ImageStore> endpoints = new java.util.ArrayList<>(List.of(store,
                DockerEngineStore.of(address, EngineCredentials.anonymous())));
        containerd.ifPresent(peer -> endpoints.add(ContainerdStore.open("demo containerd", peer.socket(), "k8s.io")));
        EndpointCatalog catalog = new EndpointCatalog(endpoints);
        Gantry gantry = new Gantry(new AppPaths(dir), Map.of());
        DesktopContext context = new DesktopContext(catalog, executor, new SettingsStore(dir.resolve("settings.json")),
                new RegistryBrowser(client), new UpdateCheck(client, Sleeper.system(), Duration.ofMillis(10)),
                gantry::openRemoteEngine, gantry.pullService());
        Stage stage = FxToolkit.registerStage(Stage::new);
        MainWindow.Parts parts = WaitForAsyncUtils.asyncFx(() -> {
            theme.apply();
            MainWindow.Parts opened = MainWindow.open(stage, context);
            EmbeddedWindow.place(stage, width, height);
            return opened;
        }).get(30, TimeUnit.SECONDS);
        try {
            new Steps(stage, parts, suffix).run();
        } finally {
            FxToolkit.setupFixture(() -> List.copyOf(Window.getWindows()).forEach(Window::hide));
            parts.pulls().cancelAll();
            parts.marks().cancel();
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
            catalog.close();
        }
    }

    /** One walk through the window, in one theme at one size. */
    private final class Steps {
        private final Stage stage;
        private final MainWindow.Parts parts;
        private final String suffix;
        private final TableView<ImageTable.Row> images;
        private final ListView<EndpointItem> rail;

        Steps(Stage stage, MainWindow.Parts parts, String suffix) {
            this.stage = stage;
            this.parts = parts;
            this.suffix = suffix;
            this.images = robot.from(stage.getScene().getRoot()).lookup("#images-table").queryTableView();
            this.rail = robot.from(stage.getScene().getRoot()).lookup("#endpoint-list").queryListView();
        }

        void run() throws Exception {
            String web11 = demo.web11().reference();
            String web10 = demo.web10().reference();
            await("the embedded store's images", () -> names().contains(demo.base().reference()));
            shoot("main-embedded", stage);

            // search the registry's catalog, choose demo/web:1.1 and look before pulling
            robot.clickOn("#search-field").write(registry.hostPort() + "/demo").type(KeyCode.ENTER);
            await("the search window", () -> window("#search-results").isPresent());
            Window search = window("#search-results").orElseThrow();
            TableView<SearchResult> results = robot.from(search.getScene().getRoot()).lookup("#search-results")
                    .queryTableView();
            await("search results", () -> results.getItems().size() >= 3);
            robot.interact(() -> results.getSelectionModel().select(List.copyOf(results.getItems()).stream()
                    .filter(r -> r.name().endsWith("/demo/web")).findFirst().orElseThrow()));
            ListView<String> tags = robot.from(search.getScene().getRoot()).lookup("#tags-list").queryListView();
            await("demo/web's tags", () -> tags.getItems().contains("1.1"));
            robot.interact(() -> tags.getSelectionModel().select("1.1"));
            await("the summary before pulling", () -> robot.from(search.getScene().getRoot())
                    .lookup("#remote-layers").tryQuery().filter(Node::isVisible).isPresent());
            settle();
            shoot("search", search);

            // pull it into the embedded store: a card in the pull panel
            robot.clickOn(robot.from(search.getScene().getRoot()).lookup("#pull-button").queryButton());
            await("a pull card", () -> parts.pulls().jobs().size() == 1);
            PullJob pull = parts.pulls().jobs().get(0);
            await("the pull's end", () -> pull.stateProperty().get() != PullJob.State.RUNNING);
            robot.interact(search::hide);
            await("demo/web:1.1 in the embedded store", () -> names().contains(registry.hostPort() + "/demo/web:1.1"));
            settle();
            shoot("pull-panel", stage);

            // the engine: its images, details, layers, family tree
            robot.interact(() -> rail.getSelectionModel().select(1));
            await("the engine's images", () -> names().contains(web11) && names().contains(web10));
            select(web11);
            settle();
            shoot("main", stage);
            robot.type(KeyCode.ENTER);
            await("the details", () -> robot.lookup("#details-grid").tryQuery().filter(Node::isVisible).isPresent());
            settle();
            shoot("details", stage);
            TabPane tabs = robot.lookup("#details-tabs").queryAs(TabPane.class);
            robot.interact(() -> tabs.getSelectionModel().select(1));
            await("the layers tab", () -> robot.lookup("#layers-table").tryQuery().isPresent());
            TableView<?> layers = robot.lookup("#layers-table").queryTableView();
            await("the layers", () -> layers.getItems().size() >= 2);
            javafx.scene.control.Label summary = robot.lookup("#analysis-summary").queryAs(javafx.scene.control.Label.class);
            await("the file analysis", () -> summary.getText().startsWith("Efficiency"));
            robot.interact(() -> layers.getSelectionModel().select(layers.getItems().size() - 1));
            settle();
            shoot("layers", stage);

            robot.clickOn("#family-button");
            await("the family tree", () -> window("#family-tree").isPresent());
            Window family = window("#family-tree").orElseThrow();
            settle();
            shoot("family-tree", family);
            robot.interact(family::hide);

            robot.clickOn("#containers-button");
            await("the containers window", () -> window("#all-containers").isPresent());
            Window containers = window("#all-containers").orElseThrow();
            TableView<?> all = robot.from(containers.getScene().getRoot()).lookup("#all-containers").queryTableView();
            await("the containers", () -> all.getItems().size() >= 2);
            settle();
            shoot("containers", containers);
            robot.interact(containers::hide);

            // prune preview, then a delete blocked by a stopped container and its Force preview
            robot.clickOn("#prune-button");
            Window prune = cleanupDialog();
            shoot("prune-preview", prune);
            closeCleanup(prune);

            select(web10);
            robot.type(KeyCode.DELETE);
            Window delete = cleanupDialog();
            shoot("delete-blocked", delete);
            robot.clickOn(robot.from(delete.getScene().getRoot()).lookup("#cleanup-force").queryAs(Node.class));
            await("the Force preview", () -> !robot.from(delete.getScene().getRoot()).lookup("#cleanup-run")
                    .queryButton().isDisabled());
            settle();
            shoot("delete-force", delete);
            closeCleanup(delete);

            // Copy to… the embedded store, from the image's menu
            select(web11);
            javafx.scene.control.TableRow<?> row = robot.from(images).lookup(".table-row-cell")
                    .match((javafx.scene.control.TableRow<?> r) -> r.getItem() instanceof ImageTable.Row item
                            && web11.equals(item.repository() + ":" + item.tag()))
                    .queryAs(javafx.scene.control.TableRow.class);
            // Monocle sends no context-menu event for a right click: the row's menu is opened where the click would be
            robot.interact(() -> {
                javafx.geometry.Bounds at = row.localToScreen(row.getBoundsInLocal());
                row.getContextMenu().show(row, at.getMinX() + 120, at.getMaxY() - 4);
            });
            await("the image's menu", () -> robot.lookup("Copy to").tryQuery().isPresent());
            robot.moveTo("Copy to");
            await("the Copy to targets", () -> inMenus("Embedded store").isPresent());
            settle();
            shoot("copy-menu", stage);
            robot.clickOn(inMenus("Embedded store").orElseThrow());
            await("a copy card", () -> parts.pulls().jobs().size() == 2);
            PullJob copy = parts.pulls().jobs().get(0);
            await("the copy's end", () -> copy.stateProperty().get() != PullJob.State.RUNNING);
            settle();
            shoot("copy-card", stage);

            // a containerd's k8s.io namespace: its images and the node's image filesystem
            if (containerd.isPresent()) {
                robot.interact(() -> {
                    rail.getSelectionModel().select(2);
                    rail.scrollTo(2);
                });
                await("the containerd's images", () -> names().stream().anyMatch(n -> n.endsWith("/cluster/api:2.4")));
                await("the node's image filesystem", () -> onFx(() -> robot.lookup("#node-box").query().isVisible()));
                settle();
                shoot("containerd", stage);
            }

            // Settings (a dialog over the main window), closed with Esc
            robot.clickOn("#settings-button");
            await("the settings dialog", () -> window("#settings-view").isPresent());
            Window settings = window("#settings-view").orElseThrow();
            settle();
            shoot("settings", settings);
            robot.type(KeyCode.ESCAPE);
            await("the settings dialog closed", () -> !settings.isShowing());
            figures();
        }

        /**
         * Writes {@code figures-SUFFIX.txt}: the rail's lines and, for the same state, what the peers' own
         * tools say ({@code docker system df}, {@code du} of the embedded store's blobs and of containerd's
         * content store), to check the figures the pictures show.
         */
        private void figures() throws IOException {
            StringBuilder text = new StringBuilder();
            for (EndpointItem item : onFx(() -> List.copyOf(rail.getItems()))) {
                text.append("rail: ").append(item.endpoint().name()).append(" · ")
                        .append(onFx(() -> item.summaryProperty().get()).replace('\n', ' ')).append('\n');
            }
            text.append("\n$ docker system df\n").append(dockerd.cli().run("system", "df").stdout());
            text.append("\n$ docker system df -v (images)\n").append(dockerd.cli().run("system", "df", "-v").stdout()
                    .split("\nContainers space usage")[0]);
            text.append("\n\n$ du -sb embedded store blobs\n").append(du(home.resolve(suffix.substring(1)).resolve("store/blobs")));
            containerd.ifPresent(peer -> text.append("\n$ du -sb containerd content store\n").append(du(peer.contentStore())));
            Files.writeString(out.resolve("figures" + suffix + ".txt"), text);
        }

        /** The node showing {@code text} in an open menu (not the rail's entry of the same name). */
        private Optional<Node> inMenus(String text) {
            return robot.from(robot.lookup(".context-menu").queryAll()).lookup(text).tryQuery();
        }

        private Window cleanupDialog() throws TimeoutException {
            await("the preview dialog", () -> window("#cleanup-lines").isPresent());
            Window dialog = window("#cleanup-lines").orElseThrow();
            Node spinner = robot.from(dialog.getScene().getRoot()).lookup("#cleanup-spinner").query();
            javafx.scene.control.Label headline = robot.from(dialog.getScene().getRoot()).lookup("#cleanup-headline")
                    .queryAs(javafx.scene.control.Label.class);
            await("the preview", () -> onFx(() -> !spinner.isVisible() && !headline.getText().startsWith("Working out")));
            settle();
            return dialog;
        }

        private void closeCleanup(Window dialog) throws TimeoutException {
            robot.clickOn(robot.from(dialog.getScene().getRoot()).lookup("#cleanup-cancel").queryButton());
            await("the dialog closed", () -> !dialog.isShowing());
        }

        private void select(String reference) {
            robot.interact(() -> {
                ImageTable.Row row = List.copyOf(images.getItems()).stream()
                        .filter(r -> (r.repository() + ":" + r.tag()).equals(reference)).findFirst()
                        .orElseThrow(() -> new AssertionError(reference + " not in the table"));
                images.getSelectionModel().clearSelection();
                images.getSelectionModel().select(row);
                images.scrollTo(row);
                images.requestFocus();
            });
        }

        private List<String> names() {
            return onFx(() -> images.getItems().stream().map(r -> r.repository() + ":" + r.tag()).toList());
        }

        /**
         * The main window as the screen shows it (menus over it included); another window by its own
         * scene (Monocle's screen does not always draw it above the main one).
         */
        private void shoot(String name, Window window) throws IOException, TimeoutException {
            settle();
            framesDrawn(stage.getScene());
            Image image;
            if (window == stage) {
                Rectangle2D bounds = onFx(() -> new Rectangle2D(window.getX(), window.getY(), window.getWidth(),
                        window.getHeight()));
                image = robot.capture(bounds).getImage();
            } else {
                image = onFx(() -> window.getScene().snapshot(null));
            }
            Path file = out.resolve(name + suffix + ".png");
            write(image, file);
            System.out.println("wrote " + file);
        }
    }

    /** {@code du -sb DIR}'s output (bytes of the files under it, as the disk holds them). */
    private static String du(Path dir) {
        try {
            Process du = new ProcessBuilder("du", "-sb", dir.toString()).redirectErrorStream(true).start();
            String output = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return du.waitFor(60, TimeUnit.SECONDS) ? output : "du did not end within 60 s\n";
        } catch (IOException e) {
            return "du failed: " + e.getMessage() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
    }

    /** The showing window whose scene holds {@code selector}. */
    private static Optional<Window> window(String selector) {
        return onFx(() -> Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene() != null && w.getScene().lookup(selector) != null)
                .findFirst());
    }

    /**
     * Waits until two more pulses of {@code scene} have run, so the screen shows what the scene holds
     * now (the first of them has been drawn once the second begins).
     */
    private static void framesDrawn(javafx.scene.Scene scene) throws TimeoutException {
        java.util.concurrent.atomic.AtomicInteger pulses = new java.util.concurrent.atomic.AtomicInteger();
        Runnable count = pulses::incrementAndGet;
        WaitForAsyncUtils.asyncFx(() -> scene.addPostLayoutPulseListener(count));
        try {
            await("two frames drawn", () -> {
                WaitForAsyncUtils.asyncFx(javafx.application.Platform::requestNextPulse);
                return pulses.get() >= 2;
            });
        } finally {
            WaitForAsyncUtils.asyncFx(() -> scene.removePostLayoutPulseListener(count));
        }
    }

    /** Lets layout, CSS and pending FX events run out before a picture. */
    private static void settle() {
        for (int i = 0; i < 3; i++) {
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws TimeoutException {
        try {
            WaitForAsyncUtils.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new TimeoutException("the walk did not see " + what + " within " + WAIT.toSeconds() + " s");
        }
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Image image, Path file) throws IOException {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] pixels = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(0, 0, width, height, pixels, 0, width);
        ImageIO.write(picture, "png", file.toFile());
    }
}
