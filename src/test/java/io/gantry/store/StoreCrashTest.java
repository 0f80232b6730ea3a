package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.VerifyReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety and several processes, with real processes: a child JVM churning on a store is
 * killed with SIGKILL at random moments, and after each kill the store opens and verifies
 * cleanly; two child JVMs tagging one store at once lose no update.
 */
@Tag("peer")
class StoreCrashTest {

    @TempDir
    Path dir;

    @Test
    void killingAWriterAtAnyMomentLeavesAStoreThatOpensAndVerifies() throws Exception {
        Path store = dir.resolve("store");
        Random random = new Random(7);
        int kills = 0;
        for (int round = 0; round < 10; round++) {
            Process child = start("churn", store.toString(), Long.toString(round));
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int steps = 5 + random.nextInt(40);
            for (int i = 0; i < steps; i++) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
            }
            Thread.sleep(random.nextInt(40));
            assertThat(child.isAlive()).as("the churning child died by itself:\n" + stderr(child)).isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            kills++;

            try (OciLayoutStore reopened = OciLayoutStore.open(store)) {
                VerifyReport report = reopened.verify();
                assertThat(report.problems()).as("after kill " + kills).isEmpty();
                reopened.listImages();
                try (Stream<Path> tmp = Files.list(store.resolve(".gantry/tmp"))) {
                    assertThat(tmp.toList()).as("a dead process's temp files are cleaned on open").isEmpty();
                }
            }
        }
        try (OciLayoutStore reopened = OciLayoutStore.open(store)) {
            reopened.gc(false);
            assertThat(reopened.verify().problems()).isEmpty();
        }
    }

    @Test
    void twoProcessesUpdatingTheIndexAtOnceLoseNothing() throws Exception {
        Path store = dir.resolve("store");
        try (OciLayoutStore s = OciLayoutStore.open(store)) {
            StoreFixtures.store(s, StoreFixtures.image("base", 1), "example.com/base:1");
        }
        int count = 60;
        Process a = start("tags", store.toString(), "left", Integer.toString(count));
        Process b = start("tags", store.toString(), "right", Integer.toString(count));
        assertThat(a.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(b.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(a.exitValue()).as(stderr(a)).isZero();
        assertThat(b.exitValue()).as(stderr(b)).isZero();
        try (OciLayoutStore s = OciLayoutStore.open(store)) {
            List<String> tags = s.listImages().get(0).repoTags();
            assertThat(tags).hasSize(2 * count + 1);
            for (int i = 0; i < count; i++) {
                assertThat(tags).contains("example.com/left:" + i, "example.com/right:" + i);
            }
            assertThat(s.verify().ok()).isTrue();
        }
    }

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StoreTortureMain.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Path err = Files.createTempFile("torture", ".err");
        err.toFile().deleteOnExit();
        builder.redirectError(err.toFile());
        Process process = builder.start();
        stderrFiles.put(process, err);
        return process;
    }

    private final java.util.Map<Process, Path> stderrFiles = new java.util.concurrent.ConcurrentHashMap<>();

    private String stderr(Process process) {
        try {
            return Files.readString(stderrFiles.get(process));
        } catch (java.io.IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
