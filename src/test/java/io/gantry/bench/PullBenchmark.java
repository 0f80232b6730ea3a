package io.gantry.bench;

import io.gantry.store.StorePulls;
import io.gantry.store.StoreOptions;
import io.gantry.testing.Blob;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.Layer;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPusher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Pull benchmark (run by hand, not by {@code mvn test}): pushes a ~500 MB, 5-layer image to a
 * private registry, then pulls it into a fresh store with {@code gantry pull} and copies it into a
 * fresh layout with {@code skopeo copy docker://… oci:…}, alternating, several runs (each timed
 * command deletes the previous run's output and runs {@code sync} first, for both tools); prints each
 * run's wall time and peak RSS (GNU time's "Maximum resident set size") and the medians.
 *
 * <pre>
 * ./mvnw -q package -DskipTests
 * ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -Xmx1500m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
 *     io.gantry.bench.PullBenchmark [--keep] [runs] [layerMiB] [-j N]
 * </pre>
 * Gantry runs through the {@code ./gantry} launcher, exactly as a user runs it (the warm-up run
 * lets the launcher record its class-data-sharing archive). {@code serve [layerMiB]} only pushes
 * the image and keeps the registry up until Enter, for profiling by hand.
 *
 * <p>Each run's store and layout are deleted once measured (untimed), so the page cache does not
 * grow by 1 GB a run pair; {@code --keep} keeps them all to the end. On the test VM that matters:
 * memory the guest has never touched costs about 3.5 times as much system time to fault in
 * (touching 512 MB: 0.35 s, 1.2 s once earlier runs' files hold the recycled pages), which slowed
 * both tools' writes in later runs, the CPU-bound Gantry's more (docs/benchmarks.md).
 */
public final class PullBenchmark {

    private static final Pattern USER = Pattern.compile("User time \\(seconds\\): (\\d+(?:\\.\\d+)?)");
    private static final Pattern SYS = Pattern.compile("System time \\(seconds\\): (\\d+(?:\\.\\d+)?)");
    private static final Pattern RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern WALL = Pattern.compile("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");

    private PullBenchmark() {
    }

    record Sample(double seconds, long rssKib, double cpuSeconds) {
    }

    public static void main(String[] args) throws Exception {
        // ./gantry runs the first java on the PATH: put JDK 25's bin first to measure on it
        if (args.length > 0 && args[0].equals("serve")) {
            serve(args.length > 1 ? Integer.parseInt(args[1]) : 100);
            return;
        }
        List<String> rest = new ArrayList<>(List.of(args));
        boolean keep = rest.remove("--keep");
        int runs = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 5;
        int layerMib = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 100;
        List<String> pullOptions = rest.size() > 2 ? rest.subList(2, rest.size()) : List.of();
        Path jar = Path.of("gantry").toAbsolutePath();
        if (!Files.exists(Path.of("target/gantry.jar"))) {
            throw new IllegalStateException("build the jar first: ./mvnw -q package -DskipTests");
        }
        for (String[] cache : new String[][] {{"target/cds", "{cli,pull}-*.jsa"}, {"target/aot", "{cli,pull}-*"}}) {
            try (var archives = Files.newDirectoryStream(Path.of(cache[0]), cache[1])) {
                for (Path archive : archives) {
                    Files.delete(archive); // recorded afresh by the warm-up run
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no archive yet
            }
        }
        Path work = Files.createTempDirectory("gantry-bench");
        try (RegistryPeer registry = RegistryPeer.start()) {
            String reference = pushImage(registry, "bench/big", "1", 5, layerMib);
            System.out.printf(Locale.ROOT, "image %s: 5 layers of %d MiB (random, gzip), registry %s%n", reference, layerMib,
                    registry.baseUrl());
            List<Sample> gantry = new ArrayList<>();
            List<Sample> skopeo = new ArrayList<>();
            // one warm-up of each (page cache, registry), not counted
            gantry(jar, pullOptions, work.resolve("warm-gantry"), reference);
            skopeo(work.resolve("warm-skopeo"), reference);
            awaitAotCache();
            if (!keep) {
                deleteQuietly(work.resolve("warm-gantry"));
                deleteQuietly(work.resolve("warm-skopeo"));
            }
            for (int run = 1; run <= runs; run++) {
                Sample g;
                Sample s;
                if (run % 2 == 1) {
                    g = gantry(jar, pullOptions, work.resolve("gantry-" + run), reference);
                    s = skopeo(work.resolve("skopeo-" + run), reference);
                } else {
                    s = skopeo(work.resolve("skopeo-" + run), reference);
                    g = gantry(jar, pullOptions, work.resolve("gantry-" + run), reference);
                }
                gantry.add(g);
                skopeo.add(s);
                if (!keep) {
                    deleteQuietly(work.resolve("gantry-" + run));
                    deleteQuietly(work.resolve("skopeo-" + run));
                }
                System.out.printf(Locale.ROOT, "run %d: gantry %6.2f s (cpu %5.2f s) %6d MiB   skopeo %6.2f s (cpu %5.2f s) %6d MiB"
                        + "   load %s%n", run, g.seconds(), g.cpuSeconds(), g.rssKib() / 1024, s.seconds(), s.cpuSeconds(),
                        s.rssKib() / 1024, DesktopPullBenchmark.load());
            }
            System.out.printf(Locale.ROOT, "median: gantry %6.2f s (cpu %5.2f s) %6d MiB   skopeo %6.2f s (cpu %5.2f s) %6d MiB"
                    + "   gantry/skopeo %.2f   java %s   load %s%n",
                    median(gantry, true), medianCpu(gantry), (long) median(gantry, false) / 1024, median(skopeo, true),
                    medianCpu(skopeo), (long) median(skopeo, false) / 1024, median(gantry, true) / median(skopeo, true),
                    javaVersion(), DesktopPullBenchmark.load());
            inProcess(work, reference, runs);
        } finally {
            deleteTree(work);
        }
    }

    /**
     * The same pull inside this (warm) JVM, as the desktop app does it: the pipeline without JVM
     * start-up. Memory is not separable from the benchmark's own here, so only time is shown.
     */
    private static void inProcess(Path work, String reference, int runs) {
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            io.gantry.registry.RegistryClient client = io.gantry.registry.RegistryClient.builder().build();
            List<Sample> samples = new ArrayList<>();
            for (int run = 0; run <= runs; run++) {
                Path dir = work.resolve("in-process-" + run);
                long start = System.nanoTime();
                try (io.gantry.store.OciLayoutStore store = io.gantry.store.OciLayoutStore.open(dir,
                        io.gantry.store.StoreOptions.defaults().withPulls(
                                new io.gantry.store.StorePulls(client, executor, 3)))) {
                    store.pull(io.gantry.engine.PullRequest.of(reference), e -> { }, io.gantry.core.Cancellation.none());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (run > 0) { // run 0 warms the JIT
                    samples.add(new Sample(seconds, 0, 0));
                }
                deleteQuietly(dir);
            }
            System.out.printf(Locale.ROOT, "in a warm JVM (desktop app): gantry median %6.2f s over %d pulls%n",
                    median(samples, true), samples.size());
        } finally {
            executor.shutdownNow();
        }
    }

    /** The version of the {@code java} the launcher runs (the first on the PATH). */
    private static String javaVersion() {
        try {
            Process p = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
            p.waitFor();
            return first;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // the temp tree goes at the end
        }
    }

    /** Pushes the image and keeps the registry up until Enter, for profiling by hand. */
    private static void serve(int layerMib) throws IOException {
        try (RegistryPeer registry = RegistryPeer.start()) {
            System.out.println(pushImage(registry, "bench/big", "1", 5, layerMib));
            System.out.flush();
            System.in.read();
        }
    }

    /** Builds and pushes the image layer by layer, so the benchmark itself never holds more than one layer. */
    static String pushImage(RegistryPeer registry, String repository, String tag, int layers, int layerMib) {
        return pushImage(registry, repository, tag, layers, layerMib, 1000);
    }

    /** As above, the layers' random content seeded from {@code firstSeed} on (another seed, other layers). */
    static String pushImage(RegistryPeer registry, String repository, String tag, int layers, int layerMib, long firstSeed) {
        FixtureImages images = new FixtureImages();
        RegistryPusher pusher = registry.pusher();
        StringBuilder diffIds = new StringBuilder();
        StringBuilder descriptors = new StringBuilder();
        StringBuilder history = new StringBuilder();
        for (int i = 0; i < layers; i++) {
            long seed = firstSeed + i;
            Layer layer = images.layer(l -> l.randomFile("data/random-" + seed + ".bin", layerMib * 1024 * 1024, seed));
            pusher.pushBlob(repository, new Blob("application/vnd.oci.image.layer.v1.tar+gzip", layer.digest(), layer.compressed()));
            String sep = i == 0 ? "" : ",";
            diffIds.append(sep).append('"').append(layer.diffId()).append('"');
            descriptors.append(sep).append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(layer.digest()).append("\",\"size\":").append(layer.size()).append('}');
            history.append(sep).append("{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"ADD random-").append(seed).append("\"}");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},\"history\":[" + history + "]}")
                .getBytes(StandardCharsets.UTF_8);
        Blob configBlob = Blob.of("application/vnd.oci.image.config.v1+json", config);
        pusher.pushBlob(repository, configBlob);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configBlob.digest()
                + "\",\"size\":" + config.length + "},\"layers\":[" + descriptors + "]}").getBytes(StandardCharsets.UTF_8);
        pusher.putManifest(repository, tag, Blob.of("application/vnd.oci.image.manifest.v1+json", manifest));
        return registry.hostPort() + "/" + repository + ":" + tag;
    }

    /**
     * The launcher's warm-up (training) run leaves the AOT cache (JDK 25) or the static class-data
     * archive (JDK 17) to be made in the background; the timed runs start once it is there (at most
     * two minutes later).
     */
    static void awaitAotCache() throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean training = false;
            for (String dir : List.of("target/aot", "target/cds")) {
                try (Stream<Path> files = Files.list(Path.of(dir))) {
                    training |= files.anyMatch(f -> f.getFileName().toString().endsWith(".training"));
                } catch (IOException e) {
                    // no such directory: that JDK's path is not in use
                }
            }
            if (!training) {
                return;
            }
            Thread.sleep(500);
        }
    }

    /**
     * {@code rm -rf} of the store, {@code sync} and {@code ./gantry pull}, timed as one shell
     * command, as {@link #skopeo} is.
     */
    private static Sample gantry(Path launcher, List<String> pullOptions, Path store, String reference) throws Exception {
        StringBuilder command = new StringBuilder("rm -rf '" + store + "' && sync && '" + launcher + "' --store '" + store
                + "' pull -q");
        pullOptions.forEach(option -> command.append(" '").append(option).append('\''));
        command.append(" '").append(reference).append('\'');
        return timed(List.of("sh", "-c", command.toString()), false);
    }

    private static Sample skopeo(Path layout, String reference) throws Exception {
        return timed(List.of("sh", "-c", "rm -rf '" + layout + "' && sync && skopeo --insecure-policy copy -q"
                + " --src-tls-verify=false 'docker://" + reference + "' 'oci:" + layout + ":1'"), false);
    }

    /**
     * Runs {@code command} under GNU time and reads its wall time and peak RSS. A {@code sync}
     * first (not timed) writes out whatever the previous run left dirty in the page cache, so no
     * run's fsyncs queue behind the one before (both tools fsync their blobs: skopeo 1.9 made 7
     * fsyncs and 34 fdatasyncs for this image, by strace).
     */
    static Sample timed(List<String> command) throws Exception {
        return timed(command, true);
    }

    /** As {@link #timed(List)}; {@code syncFirst} false leaves the untimed {@code sync} out (the command syncs itself). */
    static Sample timed(List<String> command, boolean syncFirst) throws Exception {
        if (syncFirst && new ProcessBuilder("sync").start().waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-v"));
        full.addAll(command);
        Path err = Files.createTempFile("bench", ".err");
        Process process = new ProcessBuilder(full).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        int code = process.waitFor();
        String report = Files.readString(err);
        Files.delete(err);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + report);
        }
        Matcher rss = RSS.matcher(report);
        Matcher wall = WALL.matcher(report);
        Matcher user = USER.matcher(report);
        Matcher sys = SYS.matcher(report);
        if (!rss.find() || !wall.find() || !user.find() || !sys.find()) {
            throw new IllegalStateException("no GNU time report in:\n" + report);
        }
        double seconds = (wall.group(1) == null ? 0 : Integer.parseInt(wall.group(1)) * 3600)
                + Integer.parseInt(wall.group(2)) * 60 + Double.parseDouble(wall.group(3));
        return new Sample(seconds, Long.parseLong(rss.group(1)),
                Double.parseDouble(user.group(1)) + Double.parseDouble(sys.group(1)));
    }

    static double medianCpu(List<Sample> samples) {
        List<Double> values = new ArrayList<>(samples.stream().map(Sample::cpuSeconds).sorted().toList());
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    static double median(List<Sample> samples, boolean seconds) {
        List<Double> values = new ArrayList<>(samples.stream().map(s -> seconds ? s.seconds() : (double) s.rssKib()).toList());
        values.sort(Comparator.naturalOrder());
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
