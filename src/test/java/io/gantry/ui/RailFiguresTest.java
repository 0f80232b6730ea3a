package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.Commands;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
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
 * The rail's figures (issue 13): disk use counts each layer once, as {@code docker system df} does
 * on the private dockerd and as {@code du} measures the embedded store's blobs, while three images
 * share one base layer; and the counts of endpoints that are not selected follow changes (engine
 * events, F5).
 */
@Tag("gui")
@Tag("peer")
@ExtendWith(ApplicationExtension.class)
class RailFiguresTest {

    @TempDir
    static Path home;

    private static DockerdPeer dockerd;
    private static FixtureImages images;
    private static FixtureImage base;
    private static FixtureImage app;
    private static FixtureImage tool;

    private ExecutorService executor;
    private EndpointCatalog catalog;
    private OciLayoutStore embedded;
    private MainWindow.Parts parts;

    @BeforeAll
    static void startEngine() {
        dockerd = DockerdPeer.start();
        images = new FixtureImages();
        base = images.image("rail/base").layer("ADD rootfs /", l -> l.file("lib/big", "b".repeat(300_000)));
        app = base.child("rail/app").layer("COPY app /app", l -> l.file("app/run", "a".repeat(60_000)));
        tool = base.child("rail/tool").layer("COPY tool /tool", l -> l.file("tool/bin", "t".repeat(20_000)));
        dockerd.load(base, app, tool);
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
        Path store = home.resolve("store-" + System.nanoTime());
        embedded = OciLayoutStore.open(Files.createDirectories(store));
        embedded.load(new DockerArchive().add(base, "rail/base:1").add(app, "rail/app:1").add(tool, "rail/tool:1")
                .writeTo(home.resolve("family-" + System.nanoTime() + ".tar")));
        catalog = new EndpointCatalog(List.of(embedded, DockerEngineStore.of(address, EngineCredentials.anonymous())));
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor,
                new SettingsStore(home.resolve("settings-" + System.nanoTime() + ".json"))));
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void diskUseCountsEachLayerOnceAsDockerSystemDfAndDu(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        EndpointItem store = rail.getItems().get(0);
        EndpointItem engine = rail.getItems().get(1);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> usage(engine).isPresent() && usage(store).isPresent());

        // The engine: docker system df's Images SIZE (4 significant digits) against the rail's (3).
        String df = dockerd.dockerOk("system", "df", "--format", "{{.Type}}\t{{.TotalCount}}\t{{.Size}}").out();
        String imagesLine = df.lines().filter(line -> line.startsWith("Images\t")).findFirst().orElseThrow();
        String[] columns = imagesLine.split("\t");
        assertThat(engine.summaryProperty().get()).endsWith(columns[1] + " images · " + usage(engine).get());
        long dockerBytes = bytes(columns[2]);
        assertThat((double) bytes(usage(engine).get())).isCloseTo(dockerBytes, org.assertj.core.data.Percentage.withPercentage(0.6));

        // The embedded store: du of the blobs, every blob once.
        long duBytes = duOfBlobs();
        assertThat(embedded.diskUsage()).hasValue(duBytes);
        assertThat((double) bytes(usage(store).get())).isCloseTo(duBytes, org.assertj.core.data.Percentage.withPercentage(0.6));
        assertThat(store.summaryProperty().get()).isEqualTo("3 images · " + io.gantry.service.ImageTable.humanSize(duBytes));
    }

    @Test
    void countsOfUnselectedEndpointsFollowEventsAndF5(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        EndpointItem store = rail.getItems().get(0);
        EndpointItem engine = rail.getItems().get(1);
        assertThat(rail.getSelectionModel().getSelectedItem()).isSameAs(store);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> count(engine) >= 3);
        int before = count(engine);

        // An image arrives on the engine while the embedded store is selected: the engine's events say so.
        FixtureImage extra = images.image("rail/extra-" + System.nanoTime()).layer("ADD x", l -> l.file("x", "extra"));
        dockerd.load(extra);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> count(engine) == before + 1);

        // An image arrives in the embedded store while the engine is selected: F5 brings the count up to date.
        robot.interact(() -> rail.getSelectionModel().select(engine));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> store.summaryProperty().get().startsWith("3 images"));
        FixtureImage more = images.image("rail/more").layer("ADD m", l -> l.file("m", "more"));
        embedded.load(new DockerArchive().add(more, "rail/more:1").writeTo(home.resolve("more-" + System.nanoTime() + ".tar")));
        robot.clickOn("#images-table").type(KeyCode.F5);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> store.summaryProperty().get().startsWith("4 images · "));
    }

    /**
     * The walk's "Copy to" (issue 13's trust bug): an image pulled into the embedded store as a
     * registry keeps it (gzipped layers) is copied from the engine while the engine is selected;
     * the copy adds the same image (one ID) with other, uncompressed layer blobs. The store's rail
     * line must then say what {@code du} of its blobs says (it kept the figure from before the copy).
     */
    @Test
    void aCopyIntoTheUnselectedStoreShowsInItsDiskUseAsDuMeasuresIt(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        EndpointItem store = rail.getItems().get(0);
        EndpointItem engine = rail.getItems().get(1);
        FixtureImage web = images.image(FixtureImages.unique("rail/web"))
                .layer("ADD web", l -> l.randomFile("srv/web", 150_000, 31));
        dockerd.load(web);
        // under the registry's name, as the walk's pull left it; the copy adds Docker's name beside it
        embedded.load(new DockerArchive().gzipLayers().add(web, web.reference("127.0.0.1:5000"))
                .writeTo(home.resolve("web-gz-" + System.nanoTime() + ".tar")));
        robot.interact(() -> rail.getSelectionModel().select(engine));
        awaitRailLineOfDu(store, "before the copy");

        long before = duOfBlobs();
        io.gantry.engine.ImageStore from = catalog.store(engine.endpoint().id());
        io.gantry.ui.pull.PullJob copy = WaitForAsyncUtils.asyncFx(() -> parts.pulls()
                .copy(from, io.gantry.core.ImageReference.parse(web.reference()), embedded, false)).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS,
                () -> onFx(() -> copy.stateProperty().get()) != io.gantry.ui.pull.PullJob.State.RUNNING);
        assertThat(onFx(() -> copy.stateProperty().get())).isEqualTo(io.gantry.ui.pull.PullJob.State.DONE);

        // the same image ID under a second name: still 4 images, but the uncompressed layer is another blob
        assertThat(duOfBlobs()).as("bytes of the blobs after the copy").isGreaterThan(before + 100_000);
        awaitRailLineOfDu(store, "after the copy");
    }

    /** Waits (90 s at most) until the store's rail line says 4 images and what du says of its blobs. */
    private void awaitRailLineOfDu(EndpointItem store, String when) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> railLine(store).equals(expectedLine(4)));
        } catch (java.util.concurrent.TimeoutException e) {
            assertThat(railLine(store)).as("the embedded store's rail line " + when + " (90 s)").isEqualTo(expectedLine(4));
        }
    }

    /** The embedded store's rail line as the FX thread shows it. */
    private static String railLine(EndpointItem item) throws Exception {
        return onFx(() -> item.summaryProperty().get());
    }

    /** "N images · SIZE" with SIZE what {@code du} says of the embedded store's blobs now. */
    private String expectedLine(int images) throws Exception {
        return images + " images · " + io.gantry.service.ImageTable.humanSize(duOfBlobs());
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
    }

    /** {@code du -c -b --apparent-size} of every file under the embedded store's blobs. */
    private long duOfBlobs() throws Exception {
        List<String> files;
        try (Stream<Path> walk = Files.walk(embedded.root().resolve("blobs"))) {
            files = walk.filter(Files::isRegularFile).map(Path::toString).toList();
        }
        List<String> du = new ArrayList<>(List.of("du", "-c", "-b", "--apparent-size"));
        du.addAll(files);
        String total = Commands.run(du, Map.of(), Duration.ofSeconds(30)).orFail().out().lines()
                .filter(line -> line.endsWith("\ttotal")).findFirst().orElseThrow();
        return Long.parseLong(total.split("\t")[0]);
    }

    private static final Pattern USAGE = Pattern.compile("(\\d+) images? · (\\S+)$");

    private static Optional<String> usage(EndpointItem item) {
        Matcher m = USAGE.matcher(item.summaryProperty().get());
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    private static int count(EndpointItem item) {
        Matcher m = USAGE.matcher(item.summaryProperty().get());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** "14.69MB", "120kB", "0B" (decimal units, as docker and Gantry print them) in bytes. */
    private static long bytes(String human) {
        Matcher m = Pattern.compile("([0-9.]+)([kMGT]?B)").matcher(human.trim());
        assertThat(m.matches()).as(human).isTrue();
        long unit = switch (m.group(2)) {
            case "kB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        return Math.round(Double.parseDouble(m.group(1)) * unit);
    }
}
