package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's start says nothing on the terminal when nothing is wrong: JavaFX's "Unsupported
 * JavaFX configuration: classes were loaded from 'unnamed module'" (two lines on every start from
 * the class path) is not shown. Starts {@code Main} with no arguments in a JVM of its own, on
 * Monocle's headless screen, as a training run ({@code GANTRY_TRAINING_RUN=1}: the window closes
 * once the images are listed).
 */
@Tag("peer") // a JVM of its own
class WindowStartStderrTest {

    @TempDir
    Path dir;

    @Test
    void aCleanStartWritesNothingToStandardError() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw",
                "-cp", System.getProperty("java.class.path"), "io.gantry.app.Main")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("GANTRY_HOME", dir.resolve("home").toString());
        builder.environment().put("GANTRY_TRAINING_RUN", "1");
        builder.environment().put("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"));
        builder.environment().put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("docker")).toString());
        builder.environment().remove("GANTRY_LOG");
        builder.environment().remove("KUBECONFIG");
        Process child = builder.start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the training run closes its window").isTrue();
        } finally {
            child.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(stderr).isZero();
        assertThat(stderr).as("standard error of a clean start").doesNotContain("Unsupported JavaFX configuration")
                .doesNotContain("WARNING").doesNotContain("Exception");
    }
}
