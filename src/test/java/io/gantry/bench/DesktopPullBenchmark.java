package io.gantry.bench;

import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.core.Cancellation;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.service.PullService;
import io.gantry.store.StorePulls;
import io.gantry.testing.RegistryPeer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pull a desktop user runs (run by hand, not by {@code mvn test}): the window's own path, in
 * one long-lived JVM — the composition root ({@link Gantry}) opens the embedded store as the
 * window does, and {@link PullService} pulls into it, as the pull panel's {@code PullsViewModel}
 * does — after that JVM has already pulled another image of the same shape. Beside it, in the
 * same run and alternating, {@code skopeo copy docker://… oci:…}.
 *
 * <p>Both timed commands start by deleting the previous run's output and running {@code sync}:
 * for Gantry, deleting the image from the store (which frees its blobs) and {@code sync}; for
 * skopeo, {@code rm -rf} of its layout and {@code sync}, in one shell command. Prints each run's
 * time, the JVM's CPU for Gantry's run, the load average, the medians and the ratio.
 *
 * <pre>
 * ./mvnw -q -B -ntp test-compile
 * ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.gantry.bench.DesktopPullBenchmark [runs] [layerMiB]
 * </pre>
 * Add {@code -XX:StartFlightRecording=filename=pull.jfr,settings=profile} to profile it.
 */
public final class DesktopPullBenchmark {

    private DesktopPullBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int layerMib = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path work = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "target")).toAbsolutePath(),
                "desktop-pull");
        try (RegistryPeer registry = RegistryPeer.start()) {
            String other = PullBenchmark.pushImage(registry, "bench/other", "1", 5, layerMib, 2000);
            String reference = PullBenchmark.pushImage(registry, "bench/big", "1", 5, layerMib, 1000);
            System.out.printf(Locale.ROOT, "image %s: 5 layers of %d MiB (random, gzip); %s pulled first%n", reference,
                    layerMib, other);
            Gantry gantry = new Gantry(new AppPaths(work.resolve("home")), Map.of("HOME", work.toString()));
            ImageStore store = gantry.openStore(work.resolve("home/store"), StorePulls.DEFAULT_PARALLEL_DOWNLOADS);
            PullService pulls = gantry.pullService();
            pulls.pull(store, PullRequest.of(other), batch -> { }, Cancellation.none()); // the app has pulled before
            Path layout = work.resolve("skopeo");
            skopeo(layout, reference); // warms the registry's and skopeo's files in the page cache; not counted
            List<Double> g = new ArrayList<>();
            List<Double> gCpu = new ArrayList<>();
            List<Double> s = new ArrayList<>();
            List<Double> s0Cpu = new ArrayList<>();
            boolean pulled = false;
            for (int run = 1; run <= runs; run++) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean gantryTurn = (run + turn) % 2 == 1;
                    if (gantryTurn) {
                        java.util.Map<String, Long> threads0 = threadCpu();
                        double cpu0 = cpuSeconds();
                        long start = System.nanoTime();
                        if (pulled) {
                            store.delete(ImageKey.parse(reference), true);
                        }
                        long deleted = System.nanoTime();
                        sync();
                        long synced = System.nanoTime();
                        long[] firstByte = {0};
                        pulls.pull(store, PullRequest.of(reference), batch -> {
                            if (firstByte[0] == 0 && batch.stream().anyMatch(p -> p.phase() == PullProgress.Phase.DOWNLOADING)) {
                                firstByte[0] = System.nanoTime();
                            }
                        }, Cancellation.none());
                        long end = System.nanoTime();
                        g.add((end - start) / 1e9);
                        if (Boolean.getBoolean("bench.phases")) {
                            java.util.Map<String, Long> threads1 = threadCpu();
                            StringBuilder line = new StringBuilder("  cpu by thread:");
                            threads1.forEach((name, nanos) -> {
                                long d = nanos - threads0.getOrDefault(name, 0L);
                                if (d > 5_000_000) {
                                    line.append(String.format(Locale.ROOT, " %s %.3f", name, d / 1e9));
                                }
                            });
                            System.out.println(line);
                            System.out.printf(Locale.ROOT, "  gantry: delete %.3f s, sync %.3f s, to first progress %.3f s, pull %.3f s%n",
                                    (deleted - start) / 1e9, (synced - deleted) / 1e9, (firstByte[0] - synced) / 1e9, (end - synced) / 1e9);
                        }
                        gCpu.add(cpuSeconds() - cpu0);
                        pulled = true;
                    } else {
                        double[] result = skopeo(layout, reference);
                        s.add(result[0]);
                        s0Cpu.add(result[1]);
                    }
                }
                System.out.printf(Locale.ROOT, "run %d: gantry %5.2f s (jvm cpu %5.2f s)   skopeo %5.2f s (cpu %5.2f s)   load %s%n",
                        run, g.get(run - 1), gCpu.get(run - 1), s.get(run - 1), s0Cpu.get(run - 1), load());
            }
            double gm = median(g);
            double sm = median(s);
            System.out.printf(Locale.ROOT, "median of %d: gantry (desktop path, warm JVM) %5.2f s (cpu %5.2f s)   skopeo %5.2f s"
                    + " (cpu %5.2f s)   gantry/skopeo %.2f (skopeo/gantry %.2f)   load %s%n", runs, gm, median(gCpu), sm,
                    median(s0Cpu), gm / sm, sm / gm, load());
            store.close();
        } finally {
            PullBenchmark.deleteTree(work);
        }
    }

    /** CPU time of this JVM's live threads by name (numbers folded), in ns. */
    private static java.util.Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        for (long id : bean.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = bean.getThreadInfo(id);
            long cpu = bean.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byName.merge(info.getThreadName().replaceAll("\\d+", "N") + "#" + id, cpu, Long::sum);
            }
        }
        return byName;
    }

    /** This JVM's CPU time so far. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static void sync() throws Exception {
        if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
    }

    /** {@code rm -rf} of the layout, {@code sync} and {@code skopeo copy}, timed as one command; wall and CPU seconds. */
    private static double[] skopeo(Path layout, String reference) throws Exception {
        String command = "rm -rf '" + layout + "' && sync && skopeo --insecure-policy copy -q --src-tls-verify=false 'docker://"
                + reference + "' 'oci:" + layout + ":1'";
        PullBenchmark.Sample sample = PullBenchmark.timed(List.of("sh", "-c", command), false);
        return new double[] {sample.seconds(), sample.cpuSeconds()};
    }

    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
