package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.store.OciLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold command opens only the jars it loads classes from. A search of the class path (a
 * {@code ServiceLoader}'s, a look-up of a class that is not there) opens every jar and reads its
 * directory, about 50 ms of CPU at each start (docs/architecture.md, Start-up). Runs
 * {@code gantry --store S images} in a JVM of its own, with the JDK's trace of the jars it opens
 * and a time zone that has rules (the first look-up of zone rules searches for rule providers).
 */
@Tag("peer") // a JVM of its own
class ClassPathSearchTest {

    @TempDir
    Path dir;

    @Test
    void listingTheEmbeddedStoreOpensNoJarOfTheWindowNorOfKubernetes() throws Exception {
        Path store = dir.resolve("store");
        OciLayoutStore.open(store).close();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dsun.misc.URLClassPath.debug=true", "-cp", System.getProperty("java.class.path"),
                "io.gantry.app.Main", "--store", store.toString(), "images")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("GANTRY_HOME", dir.resolve("home").toString());
        builder.environment().put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("docker")).toString());
        builder.environment().put("TZ", "Europe/Berlin");
        Process child = builder.start();
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the listing ends").isTrue();
        } finally {
            child.destroyForcibly();
        }
        String trace = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(trace).isZero();
        List<String> opened = trace.lines().filter(line -> line.startsWith("Opening ")).toList();
        assertThat(opened).as("the JDK's trace of opened jars").anyMatch(line -> line.contains("picocli"));
        // A class is looked for in each jar before its own (JavaFX's come before Jackson's, whose
        // classes a listing loads); these come after every jar a listing loads classes from.
        assertThat(opened).as("jars a listing of the embedded store has no class from")
                .noneMatch(line -> line.contains("bcprov") || line.contains("grpc-netty-shaded")
                        || line.contains("kubernetes-model-core") || line.contains("zstd-jni"));
    }
}
