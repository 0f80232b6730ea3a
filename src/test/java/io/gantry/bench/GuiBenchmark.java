package io.gantry.bench;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.store.ImageName;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.Blob;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens Gantry's window on an embedded store with 1,000 images and prints, per cold start: the time
 * from launch and from JVM start to the first window, the time from the store's answer to a
 * laid-out images table, and the resident memory once the table is shown. Targets (issue 6): table
 * within 0.5 s of the store's answer, first window under 2 s, memory under 300 MB. Not run by
 * {@code mvn test}:
 *
 * <pre>{@code
 * ./mvnw -q -B -ntp package -DskipTests && ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * xvfb-run -a java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.gantry.bench.GuiBenchmark [runs] [--java-jar] [--home DIR]
 * }</pre>
 *
 * <p>Each run starts the app as a user does, through the {@code ./gantry} launcher (what
 * {@code ./run.sh} runs: AppCDS archive, serial GC, the window's JVM options), with
 * {@code GANTRY_LOG=debug}, and reads the figures the app logs about itself ({@code MainWindow}),
 * then the child's {@code VmRSS}/{@code VmHWM} from {@code /proc}. The window's class-data archive
 * is deleted first, so the first start records it (the start a user gets once after each build);
 * it is reported apart and the runs after it are the measured ones. {@code --java-jar} starts
 * {@code java -jar target/gantry.jar} instead (no archive, default JVM options), for comparison.
 * {@code --home DIR} reuses (or keeps) the store there instead of writing a new one. The load
 * average is printed beside the figures: the machine may be shared. There is no peer GUI to run
 * beside it; the store's own listing time is printed for scale.
 */
public final class GuiBenchmark {

    static final int FAMILIES = 200;
    static final int PER_FAMILY = 5;

    private static final Pattern WINDOW = Pattern.compile(
            "window shown (\\d+) ms after JVM start \\(JVM started at (\\d+) ms since the epoch; (-?\\d+) ms of CPU");
    private static final Pattern TABLE = Pattern.compile(
            "images table: (\\d+) rows laid out (\\d+) ms after the store answered \\(listing took (\\d+) ms\\)");

    private GuiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        boolean javaJar = false;
        Path home = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--java-jar" -> javaJar = true;
                case "--home" -> home = Path.of(args[++i]);
                default -> runs = Integer.parseInt(args[i]);
            }
        }
        if (System.getenv("DISPLAY") == null) {
            throw new IllegalStateException("needs a display: run under xvfb-run -a");
        }
        if (home == null) {
            home = Files.createTempDirectory("gantry-gui-bench-");
        }
        if (Files.exists(home.resolve("store/index.json"))) {
            System.out.printf("reusing the embedded store at %s%n", home);
        } else {
            long start = System.nanoTime();
            int images = populate(home.resolve("store"));
            System.out.printf("embedded store with %d images written in %.1f s at %s%n", images,
                    (System.nanoTime() - start) / 1e9, home);
        }
        List<String> command = javaJar ? List.of("java", "-jar", "target/gantry.jar") : List.of("./gantry");
        System.out.printf("starting %s; load average before: %s%n", String.join(" ", command), loadAverage());
        if (!javaJar) {
            try (var archives = Files.newDirectoryStream(Path.of("target/cds"), "gui-*.jsa")) {
                for (Path archive : archives) {
                    Files.delete(archive); // the first start below records it again
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no archive yet
            }
            long[] first = coldStart(home, command);
            System.out.printf("first start after a build (records the class-data archive): %s%n", describe(first));
            PullBenchmark.awaitAotCache(); // made in the background
        }
        List<long[]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long[] r = coldStart(home, command);
            results.add(r);
            System.out.printf("run %d: %s%n", run, describe(r));
        }
        System.out.printf(Locale.ROOT, "median of %d cold starts (%s): first window %d ms after launch, %d ms after JVM "
                        + "start (target < 2000; %d ms of CPU), table %d ms after the store's answer (target < 500), "
                        + "%d ms after launch, store listing %d ms, RSS %d MB, peak RSS %d MB (target < 300); "
                        + "load average after: %s%n",
                runs, String.join(" ", command), median(results, 6), median(results, 0), median(results, 7),
                median(results, 2), median(results, 8), median(results, 3), median(results, 4) / 1024,
                median(results, 5) / 1024, loadAverage());
    }

    private static String describe(long[] r) {
        return String.format(Locale.ROOT, "window %d ms after launch (%d after JVM start, %d ms CPU), %d rows, table %d ms "
                        + "after answer (%d ms after launch; listing %d ms), RSS %d MB, peak %d MB, load %s",
                r[6], r[0], r[7], r[1], r[2], r[8], r[3], r[4] / 1024, r[5] / 1024, loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** 200 families of 5 images; each family shares 5 layers and each image adds 4 of its own. */
    static int populate(Path storeDir) {
        FixtureImages fixtures = new FixtureImages();
        int count = 0;
        try (OciLayoutStore store = OciLayoutStore.open(storeDir)) {
            for (int family = 0; family < FAMILIES; family++) {
                final int f = family;
                FixtureImage base = fixtures.image("bench/family" + f);
                for (int layer = 0; layer < 5; layer++) {
                    final int l = layer;
                    base = base.layer("RUN base " + l, b -> b.file("base/" + f + "/" + l, "family " + f + " layer " + l));
                }
                for (int member = 0; member < PER_FAMILY; member++) {
                    final int m = member;
                    FixtureImage image = base.child("bench/app" + f).tag("v" + m).oci();
                    for (int layer = 0; layer < 4; layer++) {
                        final int l = layer;
                        image = image.layer("COPY app " + l, b -> b.file("app/" + m + "/" + l, "app " + f + "." + m + "." + l));
                    }
                    write(store, image);
                    count++;
                }
            }
        }
        return count;
    }

    private static void write(OciLayoutStore store, FixtureImage image) {
        for (Blob layer : image.layerBlobs()) {
            store.writeBlob(layer.mediaType(), layer.bytes());
        }
        store.writeBlob(image.configBlob().mediaType(), image.configBlob().bytes());
        Blob manifest = image.manifest();
        Descriptor descriptor = store.writeBlob(manifest.mediaType(), manifest.bytes());
        if (!descriptor.digest().equals(Digest.of(manifest.digest()))) {
            throw new IllegalStateException("manifest stored under another digest");
        }
        store.addImage(descriptor, List.of(ImageName.of(ImageReference.parse(image.reference()))), Optional.empty());
    }

    /**
     * {window ms after JVM start, rows, table ms after answer, listing ms, RSS kB, peak RSS kB, window ms
     * after launch, CPU ms at the window, table ms after launch} of one cold start.
     */
    private static long[] coldStart(Path home, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GANTRY_HOME", home.toString());
        builder.environment().put("GANTRY_LOG", "debug");
        builder.environment().remove("DOCKER_HOST");
        long launched = System.currentTimeMillis();
        Process process = builder.start();
        long[] result = new long[9];
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher window = WINDOW.matcher(line);
                if (window.find()) {
                    result[0] = Long.parseLong(window.group(1));
                    result[6] = Long.parseLong(window.group(2)) + result[0] - launched;
                    result[7] = Long.parseLong(window.group(3));
                }
                Matcher table = TABLE.matcher(line);
                if (table.find() && Long.parseLong(table.group(1)) > 0) {
                    result[8] = System.currentTimeMillis() - launched;
                    result[1] = Long.parseLong(table.group(1));
                    result[2] = Long.parseLong(table.group(2));
                    result[3] = Long.parseLong(table.group(3));
                    break;
                }
            }
            if (result[1] == 0) {
                throw new IllegalStateException("the app ended without showing its images table");
            }
            Thread.sleep(1000); // let the rail's probes and the first GC settle before reading memory
            for (String status : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (status.startsWith("VmRSS:")) {
                    result[4] = kilobytes(status);
                } else if (status.startsWith("VmHWM:")) {
                    result[5] = kilobytes(status);
                }
            }
        } finally {
            process.destroy(); // SIGTERM: the JVM exits normally (and writes a class-data archive it was asked for)
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        return result;
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    private static long median(List<long[]> results, int column) {
        long[] values = results.stream().mapToLong(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }
}
