package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.Platform;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Pulls in separate processes: one store, two pulling JVMs; a pulling JVM killed mid-download. */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class ProcessPullTest {

    private final FixtureImages images = new FixtureImages();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void twoProcessesPullingImagesThatShareALayerFetchItOnce(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("two-jvms");
        FixtureImage base = images.image(repo).tag("base").bigLayer(20_000_000, 41);
        FixtureImage one = base.child(repo).tag("one").layer("ADD one", l -> l.file("one", "1"));
        FixtureImage two = base.child(repo).tag("two").layer("ADD two", l -> l.file("two", "2"));
        registry.pusher().push(one);
        registry.pusher().push(two);
        String shared = base.layerBlobs().get(0).digest();
        Path store = dir.resolve("store");
        OciLayoutStore.open(store).close();
        Process a = start("pull", store.toString(), one.reference(registry.hostPort()));
        Process b = start("pull", store.toString(), two.reference(registry.hostPort()));
        a.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        b.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(a.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(b.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(a.exitValue()).isZero();
        assertThat(b.exitValue()).isZero();
        try (OciLayoutStore s = OciLayoutStore.open(store)) {
            assertThat(s.listImages()).hasSize(2);
            assertThat(s.verify().ok()).isTrue();
        }
        try (var lines = Files.lines(registry.logFile())) {
            assertThat(lines.filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/" + shared + " ")
                    && l.contains("\" 200 ")).count()).as("GETs of the shared layer").isEqualTo(1);
        }
    }

    @Test
    void aPullKilledMidDownloadLeavesAStoreThatVerifiesAndThePullResumes(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("killed");
        FixtureImage app = images.image(repo).bigLayer(2_000_000, 51).bigLayer(30_000_000, 52).bigLayer(30_000_000, 53);
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());
        Path store = dir.resolve("store");
        Process child = start("pull", store.toString(), ref);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        int completed = 0;
        boolean downloadingAfterFirst = false;
        while ((line = out.readLine()) != null) {
            if (line.contains("PULL_COMPLETE")) {
                completed++;
            }
            if (completed >= 1 && line.contains("DOWNLOADING")) {
                downloadingAfterFirst = true;
                break;
            }
        }
        assertThat(downloadingAfterFirst).as("the child got to its second layer").isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        try (OciLayoutStore s = OciLayoutStore.open(store, new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(30),
                Platform.parse("linux/amd64")).withPulls(new StorePulls(RegistryClient.builder().build(), executor, 3)))) {
            assertThat(s.verify().problems()).isEmpty();
            assertThat(s.listImages()).isEmpty();
            List<PullProgress> events = new ArrayList<>();
            s.pull(PullRequest.of(ref), events::add, Cancellation.none());
            assertThat(events.stream().filter(e -> e.phase() == PullProgress.Phase.ALREADY_EXISTS)).hasSizeGreaterThanOrEqualTo(1);
            assertThat(s.image(ref).id().toString()).isEqualTo(app.imageId());
            assertThat(s.verify().ok()).isTrue();
        }
    }

    private static Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StoreTortureMain.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("pull", ".err");
        err.toFile().deleteOnExit();
        return new ProcessBuilder(command).redirectError(err.toFile()).start();
    }
}
