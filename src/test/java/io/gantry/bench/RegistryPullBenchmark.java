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
 * with Gantry's {@link RegistryClient} (streaming to files while verifying size and SHA-256) and
 * with {@code curl} (one process fetching every blob over one connection, no verification). After
 * one untimed warm-up of each, it alternates timed runs of the two and prints the medians, the
 * throughput and the ratio client/curl. Because the client verifies and curl does not, it also
 * times {@code sha256sum} over curl's files and prints the ratio to curl plus that check.
 *
 * <p>Both write to files in the same temporary directory without fsync (the client's
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

            System.out.println("load average before: " + loadAverage());
            List<Double> clientSeconds = new ArrayList<>();
            List<Double> curlSeconds = new ArrayList<>();
            List<Double> verifySeconds = new ArrayList<>();
            List<Double> clientCpu = new ArrayList<>();
            List<Double> curlCpu = new ArrayList<>();
            withClient(client, reference, layers, work.resolve("warmup-client"), new double[1]);
            withCurl(registry.baseUrl(), reference, layers, work.resolve("warmup-curl"), new double[2]);
            for (int run = 1; run <= runs; run++) {
                boolean clientFirst = run % 2 == 1;
                double[] curlExtra = new double[2];
                double[] clientExtra = new double[1];
                if (clientFirst) {
                    clientSeconds.add(withClient(client, reference, layers, work.resolve("client-" + run), clientExtra));
                    curlSeconds.add(withCurl(registry.baseUrl(), reference, layers, work.resolve("curl-" + run), curlExtra));
                } else {
                    curlSeconds.add(withCurl(registry.baseUrl(), reference, layers, work.resolve("curl-" + run), curlExtra));
                    clientSeconds.add(withClient(client, reference, layers, work.resolve("client-" + run), clientExtra));
                }
                verifySeconds.add(curlExtra[0]);
                curlCpu.add(curlExtra[1]);
                clientCpu.add(clientExtra[0]);
                System.out.printf("run %d: client %.3f s (cpu %.2f s), curl %.3f s (cpu %.2f s; then sha256sum %.3f s)%n",
                        run, clientSeconds.get(run - 1), clientExtra[0], curlSeconds.get(run - 1), curlExtra[1],
                        curlExtra[0]);
            }
            System.out.println("load average after: " + loadAverage());
            double client50 = median(clientSeconds);
            double curl50 = median(curlSeconds);
            System.out.printf("%nmedian over %d runs, %.1f MB of layer blobs:%n", runs, totalBytes / 1e6);
            System.out.printf("  gantry RegistryClient (verifying): %.3f s  %7.1f MB/s%n", client50, totalBytes / 1e6 / client50);
            System.out.printf("  curl                             : %.3f s  %7.1f MB/s%n", curl50, totalBytes / 1e6 / curl50);
            double verified50 = median(sumOf(curlSeconds, verifySeconds));
            System.out.printf("  curl, then sha256sum of the files  : %.3f s  %7.1f MB/s%n", verified50, totalBytes / 1e6 / verified50);
            System.out.printf("  ratio client/curl: %.3f (%+.1f%%)%n", client50 / curl50, (client50 / curl50 - 1) * 100);
            System.out.printf("  cpu seconds (median): client %.2f (whole JVM), curl %.2f%n", median(clientCpu),
                    median(curlCpu));
            System.out.printf("  ratio client/(curl + sha256sum): %.3f (%+.1f%%)%n", client50 / verified50,
                    (client50 / verified50 - 1) * 100);
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

    /** Times the client fetching every layer; {@code cpuSeconds[0]} gets the JVM's CPU time for it. */
    private static double withClient(RegistryClient client, ImageReference reference, List<Descriptor> layers,
                                      Path dir, double[] cpuSeconds) throws IOException {
        Files.createDirectories(dir);
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
        cpuSeconds[0] = (os.getProcessCpuTime() - cpuStarted) / 1e9;
        deleteRecursively(dir);
        return seconds;
    }

    /**
     * Times curl fetching every layer ({@code extra[1]} gets curl's user+system CPU time, from
     * {@code /usr/bin/time}); then, outside the returned time, {@code sha256sum} over the files,
     * which is what verifying costs a curl user ({@code extra[0]}).
     */
    private static double withCurl(String baseUrl, ImageReference reference, List<Descriptor> layers, Path dir,
                                   double[] extra) throws IOException {
        Files.createDirectories(dir);
        Path cpuFile = dir.resolveSibling(dir.getFileName() + ".cpu");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-o", cpuFile.toString(), "-f", "%U %S",
                "curl", "-sS", "--fail"));
        for (Descriptor layer : layers) {
            command.add("-o");
            command.add(dir.resolve(layer.digest().hex()).toString());
            command.add(baseUrl + "/v2/" + reference.repository() + "/blobs/" + layer.digest());
        }
        long started = System.nanoTime();
        CommandResult result = Commands.run(command, Map.of("PATH", "/usr/bin:/bin"), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (result.exitCode() != 0) {
            throw new IllegalStateException("curl failed: " + result);
        }
        String[] cpu = Files.readString(cpuFile).trim().split("\\s+");
        extra[1] = Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1]);
        Files.delete(cpuFile);
        List<String> sha256sum = new ArrayList<>(List.of("sha256sum"));
        for (Descriptor layer : layers) {
            if (Files.size(dir.resolve(layer.digest().hex())) != layer.size()) {
                throw new IllegalStateException("curl fetched a wrong size for " + layer.digest());
            }
            sha256sum.add(dir.resolve(layer.digest().hex()).toString());
        }
        long verifyStarted = System.nanoTime();
        CommandResult sums = Commands.run(sha256sum, Map.of("PATH", "/usr/bin:/bin"), Duration.ofMinutes(10));
        extra[0] = (System.nanoTime() - verifyStarted) / 1e9;
        for (Descriptor layer : layers) {
            if (!sums.stdout().contains(layer.digest().hex())) {
                throw new IllegalStateException("curl fetched wrong content for " + layer.digest());
            }
        }
        deleteRecursively(dir);
        return seconds;
    }

    private static List<Double> sumOf(List<Double> a, List<Double> b) {
        List<Double> sums = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            sums.add(a.get(i) + b.get(i));
        }
        return sums;
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
