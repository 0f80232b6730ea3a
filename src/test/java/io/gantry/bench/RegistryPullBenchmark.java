package io.gantry.bench;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.Platform;
import io.gantry.registry.FileBlobSink;
import io.gantry.registry.ProgressListener;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.CommandResult;
import io.gantry.testing.Commands;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark, not a test (Surefire does not run it: no {@code @Test}, name not {@code *Test}):
 * pushes a ~500 MB multi-layer image (five 100 MB incompressible layers and a small one) to a
 * private {@code docker-registry}, then downloads its layer blobs sequentially, in the same run,
 * three ways:
 * <ul>
 *   <li>Gantry's {@link RegistryClient} (streaming to files while verifying size and SHA-256);
 *   <li>{@code curl}, one process fetching every blob over one connection, <em>no verification</em>
 *       (the peer);
 *   <li>{@code curl | tee file | openssl dgst -sha256} per blob: the same download verified while
 *       streaming by standard tools, the like-for-like peer (openssl's SHA-256 uses the CPU's SHA
 *       extensions, as the JVM's does).
 * </ul>
 * After one untimed warm-up of each, it rotates the order of timed runs (each after an untimed
 * {@code sync}, so no run writes out another's dirty pages) and prints medians of the
 * wall time, the tool's CPU time and the registry's CPU time (from {@code /proc}): on a 2-core
 * machine the three together show whether a run was CPU-bound.
 *
 * <p>All write to files in the same temporary directory without fsync (the client's
 * {@link FileBlobSink} is created with {@code sync=false}, as curl does not sync either).
 *
 * <p>Run it with:
 * <pre>
 * ./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -Xmx3g -cp target/test-classes:target/classes:$(cat target/test.classpath) io.gantry.bench.RegistryPullBenchmark [runs]
 * </pre>
 */
public final class RegistryPullBenchmark {

    private static final int LAYERS = 5;
    private static final int LAYER_BYTES = 100 * 1024 * 1024;

    private RegistryPullBenchmark() {
    }

    /** One way of fetching the blobs: returns {wall seconds, the tool's CPU seconds}. */
    private interface Contender {
        double[] fetch(Path dir) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("gantry-bench-");
        try (RegistryPeer registry = RegistryPeer.start()) {
            ImageReference reference = ImageReference.parse(pushImage(registry));
            System.gc(); // the fixture's gigabyte of layer bytes is garbage now; do not time its collection

            RegistryClient client = RegistryClient.builder().build();
            Manifest manifest = client.pullImageManifest(reference, Platform.parse("linux/amd64"), Cancellation.none())
                    .manifest().orElseThrow();
            List<Descriptor> layers = manifest.layers();
            long totalBytes = manifest.layersSize();
            System.out.printf("image %s: %d layers, %.1f MB; registry %s; %d timed runs each%n", reference,
                    layers.size(), totalBytes / 1e6, registry.hostPort(), runs);

            Map<String, Contender> contenders = new java.util.LinkedHashMap<>();
            contenders.put("gantry RegistryClient (verifying)", dir -> withClient(client, reference, layers, dir));
            contenders.put("curl (no verification)", dir -> withCurl(registry.baseUrl(), reference, layers, dir));
            contenders.put("curl | tee | openssl dgst (verifying)",
                    dir -> withCurlAndOpenssl(registry.baseUrl(), reference, layers, dir));
            List<String> names = new ArrayList<>(contenders.keySet());
            Map<String, List<double[]>> results = new java.util.LinkedHashMap<>();
            for (String name : names) {
                Files.createDirectories(work.resolve("warmup"));
                contenders.get(name).fetch(work.resolve("warmup")); // untimed
                deleteRecursively(work.resolve("warmup"));
                results.put(name, new ArrayList<>());
            }
            System.out.println("load average before: " + loadAverage());
            for (int run = 1; run <= runs; run++) {
                StringBuilder line = new StringBuilder("run " + run + ":");
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + run) % names.size()); // rotate who goes first
                    Path dir = work.resolve("run-" + run + "-" + i);
                    Files.createDirectories(dir);
                    sync(); // what the previous contender left dirty in the page cache is not this one's to write
                    double registryCpu = cpuSeconds(registry.pid());
                    double[] figures = contenders.get(name).fetch(dir);
                    registryCpu = cpuSeconds(registry.pid()) - registryCpu;
                    deleteRecursively(dir);
                    results.get(name).add(new double[] {figures[0], figures[1], registryCpu});
                    line.append(String.format("  %s %.3f s (cpu %.2f s, registry %.2f s)", name.split(" ")[0]
                            + (name.contains("openssl") ? "+openssl" : ""), figures[0], figures[1], registryCpu));
                }
                System.out.println(line);
            }
            System.out.println("load average after: " + loadAverage());
            System.out.printf("%nmedians over %d runs, %.1f MB of layer blobs:%n", runs, totalBytes / 1e6);
            System.out.printf("  %-38s %8s %9s %9s %13s %9s%n", "", "wall s", "MB/s", "cpu s", "registry cpu", "vs curl");
            double curl = median(column(results.get(names.get(1)), 0));
            for (String name : names) {
                double wall = median(column(results.get(name), 0));
                System.out.printf("  %-38s %8.3f %9.1f %9.2f %13.2f %9.2f%n", name, wall, totalBytes / 1e6 / wall,
                        median(column(results.get(name), 1)), median(column(results.get(name), 2)), wall / curl);
            }
        } finally {
            deleteRecursively(work);
        }
    }

    /** Builds the image in memory, pushes it with the harness's pusher and returns its reference. */
    private static String pushImage(RegistryPeer registry) {
        System.out.printf("building a %d x %d MB image ...%n", LAYERS, LAYER_BYTES >> 20);
        FixtureImage image = new FixtureImages().image("bench/big").layer(l -> l.file("etc/os-release", "ID=bench\n"));
        for (int i = 0; i < LAYERS; i++) {
            image = image.bigLayer(LAYER_BYTES, i + 1);
        }
        registry.pusher().push(image);
        return image.reference(registry.hostPort());
    }

    /** Times the client fetching every layer; the CPU figure is the whole JVM's over that time. */
    private static double[] withClient(RegistryClient client, ImageReference reference, List<Descriptor> layers, Path dir) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStarted = os.getProcessCpuTime();
        long started = System.nanoTime();
        for (Descriptor layer : layers) {
            Digest verified = client.pullBlob(reference.repo(), layer, new FileBlobSink(dir.resolve(layer.digest().hex()), false),
                    ProgressListener.NONE, Cancellation.none());
            if (!verified.equals(layer.digest())) {
                throw new IllegalStateException("digest mismatch " + verified);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new double[] {seconds, (os.getProcessCpuTime() - cpuStarted) / 1e9};
    }

    /** Times one curl fetching every layer over one connection; CPU from {@code /usr/bin/time}. */
    private static double[] withCurl(String baseUrl, ImageReference reference, List<Descriptor> layers, Path dir)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail"));
        for (Descriptor layer : layers) {
            command.add("-o");
            command.add(dir.resolve(layer.digest().hex()).toString());
            command.add(blobUrl(baseUrl, reference, layer));
        }
        double[] figures = timed(command, dir);
        for (Descriptor layer : layers) {
            if (Files.size(dir.resolve(layer.digest().hex())) != layer.size()) {
                throw new IllegalStateException("curl fetched a wrong size for " + layer.digest());
            }
        }
        return figures;
    }

    /**
     * Times {@code curl | tee <file> | openssl dgst -sha256} for each layer in turn (a shell runs
     * the pipelines; CPU from {@code /usr/bin/time} covers them all) and checks the digests.
     */
    private static double[] withCurlAndOpenssl(String baseUrl, ImageReference reference, List<Descriptor> layers, Path dir)
            throws IOException {
        StringBuilder script = new StringBuilder("set -eo pipefail\n");
        for (Descriptor layer : layers) {
            script.append("curl -sS --fail '").append(blobUrl(baseUrl, reference, layer)).append("' | tee '")
                    .append(dir.resolve(layer.digest().hex())).append("' | openssl dgst -sha256 -r\n");
        }
        Path sums = dir.resolveSibling(dir.getFileName() + ".sums");
        double[] figures = timed(List.of("bash", "-c", script + "", "sums"), dir, sums);
        String printed = Files.readString(sums);
        Files.delete(sums);
        for (Descriptor layer : layers) {
            if (!printed.contains(layer.digest().hex())) {
                throw new IllegalStateException("the openssl pipeline printed no matching digest for " + layer.digest());
            }
        }
        return figures;
    }

    private static String blobUrl(String baseUrl, ImageReference reference, Descriptor layer) {
        return baseUrl + "/v2/" + reference.repository() + "/blobs/" + layer.digest();
    }

    private static double[] timed(List<String> command, Path dir) throws IOException {
        return timed(command, dir, null);
    }

    /** Runs {@code command} under {@code /usr/bin/time}: {wall seconds, user+system CPU seconds}. */
    private static double[] timed(List<String> command, Path dir, Path stdout) throws IOException {
        Path cpuFile = dir.resolveSibling(dir.getFileName() + ".cpu");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-o", cpuFile.toString(), "-f", "%U %S"));
        full.addAll(command);
        long started = System.nanoTime();
        CommandResult result = Commands.run(full, Map.of("PATH", "/usr/bin:/bin"), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (result.exitCode() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + result);
        }
        if (stdout != null) {
            Files.writeString(stdout, result.stdout());
        }
        String[] cpu = Files.readString(cpuFile).trim().split("\\s+");
        Files.delete(cpuFile);
        return new double[] {seconds, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1])};
    }

    private static void sync() throws IOException, InterruptedException {
        if (new ProcessBuilder("sync").start().waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
    }

    /** User plus system CPU seconds of process {@code pid} so far, from {@code /proc/<pid>/stat}. */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // clock ticks (USER_HZ = 100)
    }

    private static List<Double> column(List<double[]> rows, int index) {
        return rows.stream().map(row -> row[index]).toList();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
