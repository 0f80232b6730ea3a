package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.store.OciLayoutStore;
import io.gantry.testing.HostileServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a long command ({@link CtrlC}): the CLI runs as a child process ({@code io.gantry.app.Main}),
 * pulls or copies from a registry that accepts connections and never answers, and gets SIGINT once
 * the registry has seen its connection (so the command is running, not the JVM starting). It ends
 * within the grace time with exit 130, one line that says it was cancelled and no stack trace, and
 * the store has no image.
 *
 * <p>{@code env --default-signal=INT} starts the child with SIGINT's default action: a process
 * started in the background (as the build may be) inherits SIGINT ignored, and the JVM then never
 * sees the signal.
 */
@Tag("peer")
class CtrlCTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCDuringAPullCancelsItWithExit130AndOneLine() throws Exception {
        try (HostileServer silent = HostileServer.tcp(HostileServer::neverAnswer)) {
            interrupted("pull", silent, "pull", silent.hostPort() + "/app:1");
        }
    }

    @Test
    void ctrlCDuringACopyFromARegistryCancelsItWithExit130AndOneLine() throws Exception {
        try (HostileServer silent = HostileServer.tcp(HostileServer::neverAnswer)) {
            interrupted("cp", silent, "cp", "--to", "embedded", "docker://" + silent.hostPort() + "/app:1");
        }
    }

    private void interrupted(String name, HostileServer silent, String... args) throws Exception {
        Path store = dir.resolve(name + "-store");
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.gantry.app.Main", "--store", store.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("GANTRY_HOME", dir.resolve(name + "-home").toString());
        builder.environment().put("DOCKER_CONFIG", Files.createDirectories(dir.resolve(name + "-docker")).toString());
        Process child = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (silent.connections() == 0 && child.isAlive() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertThat(child.isAlive()).as("the command runs: " + read(err)).isTrue();
            assertThat(silent.connections()).as("the command reached the registry").isPositive();

            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
            assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();

            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("ended after Ctrl-C").isTrue();
            String errText = read(err);
            assertThat(child.exitValue()).as(errText).isEqualTo(GantryCli.EXIT_CANCELLED);
            assertThat(errText.lines().toList()).as("one line on stderr").singleElement().asString()
                    .startsWith("gantry: ").endsWith(": cancelled");
            assertThat(errText + read(out)).doesNotContain("Exception", "\tat ", "io.gantry.");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (Files.exists(store)) {
            try (OciLayoutStore left = OciLayoutStore.open(store)) {
                assertThat(left.listImages()).as("nothing was named").isEmpty();
            }
        }
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
