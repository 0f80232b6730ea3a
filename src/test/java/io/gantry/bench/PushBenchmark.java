package io.gantry.bench;

import io.gantry.bench.PullBenchmark.Sample;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Push benchmark (run by hand, not by {@code mvn test}; issue 17): the ~500 MB, 5-layer image of
 * {@link PullBenchmark} is pulled once into an embedded store, then pushed from it with
 * {@code gantry push} and copied from the same layout with {@code skopeo copy oci:… docker://…},
 * alternating, each run into a registry of its own (so nothing is skipped or mounted); prints each
 * run's wall time, CPU time and peak RSS, the medians, their ratio and the load average.
 *
 * <pre>
 * ./mvnw -q package -DskipTests
 * ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.gantry.bench.PushBenchmark [runs] [layerMiB]
 * </pre>
 */
public final class PushBenchmark {

    private PushBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int layerMib = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path launcher = Path.of("gantry").toAbsolutePath();
        Path work = Files.createTempDirectory("gantry-push-bench");
        Path store = work.resolve("store");
        try (RegistryPeer source = RegistryPeer.start()) {
            String reference = PullBenchmark.pushImage(source, "bench/big", "1", 5, layerMib);
            PullBenchmark.timed(List.of(launcher.toString(), "--store", store.toString(), "pull", "-q", reference));
            String stored = io.gantry.core.ImageReference.parse(reference).toString(); // the layout's ref.name
            System.out.printf(Locale.ROOT, "image %s: 5 layers of %d MiB (random, gzip); load average before: %s%n",
                    reference, layerMib, loadAverage());
            List<Sample> gantry = new ArrayList<>();
            List<Sample> skopeo = new ArrayList<>();
            for (int run = 0; run <= runs; run++) { // run 0 warms up (page cache, the launcher's CDS archive), not counted
                Sample g;
                Sample s;
                try (RegistryPeer forGantry = RegistryPeer.start(); RegistryPeer forSkopeo = RegistryPeer.start()) {
                    String gantryTarget = forGantry.hostPort() + "/bench/pushed:1";
                    String skopeoTarget = forSkopeo.hostPort() + "/bench/pushed:1";
                    PullBenchmark.timed(List.of(launcher.toString(), "--store", store.toString(), "tag", reference, gantryTarget));
                    List<String> gantryPush = List.of(launcher.toString(), "--store", store.toString(), "push", "-q", gantryTarget);
                    List<String> skopeoCopy = List.of("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false",
                            "oci:" + store + ":" + stored, "docker://" + skopeoTarget);
                    if (run % 2 == 1) {
                        g = PullBenchmark.timed(gantryPush);
                        s = PullBenchmark.timed(skopeoCopy);
                    } else {
                        s = PullBenchmark.timed(skopeoCopy);
                        g = PullBenchmark.timed(gantryPush);
                    }
                    PullBenchmark.timed(List.of(launcher.toString(), "--store", store.toString(), "rm", gantryTarget));
                }
                if (run == 0) {
                    PullBenchmark.awaitAotCache(); // the launcher makes it in the background
                    continue;
                }
                gantry.add(g);
                skopeo.add(s);
                System.out.printf(Locale.ROOT, "run %d: gantry %6.2f s (cpu %5.2f s) %6d MiB   skopeo %6.2f s (cpu %5.2f s) %6d MiB   load %s%n",
                        run, g.seconds(), g.cpuSeconds(), g.rssKib() / 1024, s.seconds(), s.cpuSeconds(), s.rssKib() / 1024,
                        loadAverage());
            }
            double g = PullBenchmark.median(gantry, true);
            double s = PullBenchmark.median(skopeo, true);
            System.out.printf(Locale.ROOT, "median: gantry %6.2f s (cpu %5.2f s) %6d MiB   skopeo %6.2f s (cpu %5.2f s) %6d MiB"
                            + "   gantry/skopeo %.2f   load average after: %s%n",
                    g, PullBenchmark.medianCpu(gantry), (long) PullBenchmark.median(gantry, false) / 1024, s,
                    PullBenchmark.medianCpu(skopeo), (long) PullBenchmark.median(skopeo, false) / 1024, g / s, loadAverage());
        } finally {
            PullBenchmark.deleteTree(work);
        }
    }

    private static String loadAverage() throws java.io.IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }
}
