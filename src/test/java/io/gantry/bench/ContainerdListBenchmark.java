package io.gantry.bench;

import io.gantry.testing.Commands;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RequiredTool;
import io.gantry.testing.ToolFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Listing 1,000 images of a containerd namespace (issue 15, Performance; run by hand, not by
 * {@code mvn test}): a private containerd (harness {@link ContainerdPeer}) gets 1,000 tiny images
 * in namespace {@code bench} — 200 families of 5, each family sharing one layer and each image
 * adding one of its own — by one {@code ctr images import --no-unpack}. Then, alternating, a cold
 * {@code ./gantry --endpoint SOCKET -n bench images} (through containerd's gRPC API: SIZE, SHARED
 * and UNIQUE; with the listing file its previous run left in a {@code GANTRY_HOME} of its own, and,
 * as a first listing, with none) beside {@code ctr -n bench images ls} (which sums each image's manifest, config and
 * layers) and, as the work a {@code nerdctl images} does, {@code ctr images ls} followed by
 * {@code ctr content ls} (every blob with its size). Wall times include starting each process;
 * each run also gives the client's CPU seconds (GNU time) and the daemon's over the same run, and
 * the load average is printed beside every run. Target (issue 15): Gantry no slower than
 * {@code ctr images ls}.
 *
 * <pre>
 * ./mvnw -q -B -ntp package -DskipTests
 * ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.gantry.bench.ContainerdListBenchmark [runs]
 * </pre>
 *
 * <p>{@code -Dbench.hold=true} keeps the containerd with its 1,000 images after the import, printing
 * the command to list them, until standard input ends (for profiling by hand); then it runs.
 */
public final class ContainerdListBenchmark {

    private static final String NAMESPACE = "bench";
    private static final int FAMILIES = 200;
    private static final int PER_FAMILY = 5;
    private static final Duration IMPORT_DEADLINE = Duration.ofMinutes(30);

    private ContainerdListBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        if (!Files.exists(Path.of("target/gantry.jar"))) {
            throw new IllegalStateException("build the jar first: ./mvnw -q package -DskipTests");
        }
        Path work = Files.createTempDirectory("gantry-ctrd-bench");
        try (ContainerdPeer containerd = ContainerdPeer.start()) {
            List<FixtureImage> images = fixtures();
            DockerArchive archive = new DockerArchive();
            images.forEach(image -> archive.add(image, image.reference()));
            Path tar = archive.writeTo(work.resolve("images.tar"));
            String ctr = ToolFinder.fromEnvironment().require(RequiredTool.CTR).toString();
            String socket = containerd.socket().toString();
            long start = System.nanoTime();
            Commands.run(List.of(ctr, "--address", socket, "--namespace", NAMESPACE, "images", "import", "--no-unpack",
                    tar.toString()), Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                    IMPORT_DEADLINE).orFail();
            int listed = containerd.ctrOk(NAMESPACE, "images", "ls", "-q").stdout().strip().lines().mapToInt(line -> 1).sum();
            if (listed != images.size()) {
                throw new IllegalStateException("containerd holds " + listed + " images in " + NAMESPACE + ", not "
                        + images.size());
            }
            System.out.printf(Locale.ROOT, "containerd %s: %d images imported into %s in %.1f s%n", containerd.version(),
                    listed, NAMESPACE, (System.nanoTime() - start) / 1e9);

            if (Boolean.getBoolean("bench.hold")) {
                // -Dbench.hold=true: keep this containerd for profiling by hand until standard input ends
                System.out.println("holding: ./gantry --endpoint " + containerd.socket() + " -n " + NAMESPACE + " images");
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            // Gantry keeps what a listing learns of each image in GANTRY_HOME/containerd-listings: "gantry"
            // lists with the file its previous run left (as a user's second and later listings do),
            // "first" with none (a fresh GANTRY_HOME each run, as a first listing of these images)
            Path home = work.resolve("home");
            List<String> gantry = List.of("env", "GANTRY_HOME=" + home, "./gantry", "--endpoint", socket, "-n", NAMESPACE,
                    "images");
            List<String> first = List.of("sh", "-c", "rm -rf \"$0\" && GANTRY_HOME=\"$0\" exec ./gantry --endpoint \"$1\""
                    + " -n \"$2\" images", work.resolve("first-home").toString(), socket, NAMESPACE);
            List<String> imagesLs = List.of(ctr, "--address", socket, "--namespace", NAMESPACE, "images", "ls");
            List<String> withContent = List.of("sh", "-c", "\"$0\" --address \"$1\" --namespace \"$2\" images ls"
                    + " && \"$0\" --address \"$1\" --namespace \"$2\" content ls", ctr, socket, NAMESPACE);
            // the warm-up records the launcher's class-data archive and checks that each command lists every image
            TenThousandImagesBenchmark.timed(gantry, images.size() + 1);
            TenThousandImagesBenchmark.timed(first, images.size() + 1);
            TenThousandImagesBenchmark.timed(imagesLs, images.size() + 1);
            TenThousandImagesBenchmark.timed(withContent, images.size() + 2);
            long daemon = containerd.pid();
            List<Run> g = new ArrayList<>();
            List<Run> f = new ArrayList<>();
            List<Run> ls = new ArrayList<>();
            List<Run> lc = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Run a;
                Run b;
                Run c;
                Run d;
                if (run % 2 == 1) {
                    a = measure(gantry, daemon);
                    b = measure(imagesLs, daemon);
                    c = measure(withContent, daemon);
                    d = measure(first, daemon);
                } else {
                    d = measure(first, daemon);
                    c = measure(withContent, daemon);
                    b = measure(imagesLs, daemon);
                    a = measure(gantry, daemon);
                }
                g.add(a);
                f.add(d);
                ls.add(b);
                lc.add(c);
                System.out.printf(Locale.ROOT, "run %d: gantry images %s   first listing (no file) %s   ctr images ls %s"
                        + "   ctr images ls + content ls %s   load %s%n", run, a, d, b, c, DesktopPullBenchmark.load());
            }
            System.out.printf(Locale.ROOT, "median of %d: gantry images, first listing (no listing file) %s   ratio to ctr"
                    + " images ls %.2f%n", runs, Run.median(f), Run.median(f).wall() / Run.median(ls).wall());
            Run gm = Run.median(g);
            Run lm = Run.median(ls);
            Run cm = Run.median(lc);
            System.out.printf(Locale.ROOT, "median of %d: gantry images %s   ctr images ls %s   ctr images ls + content ls"
                    + " %s   gantry/images ls %.2f   gantry/images+content %.2f   load %s%n", runs, gm, lm, cm,
                    gm.wall() / lm.wall(), gm.wall() / cm.wall(), DesktopPullBenchmark.load());
        } finally {
            PullBenchmark.deleteTree(work);
        }
    }

    /** One run of a command: wall seconds, the client's CPU seconds (GNU time) and containerd's over the same run. */
    record Run(double wall, double clientCpu, double daemonCpu) {

        static Run median(List<Run> runs) {
            return new Run(middle(runs.stream().map(Run::wall).toList()), middle(runs.stream().map(Run::clientCpu).toList()),
                    middle(runs.stream().map(Run::daemonCpu).toList()));
        }

        private static double middle(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f s (cpu %.2f + containerd %.2f)", wall, clientCpu, daemonCpu);
        }
    }

    static Run measure(List<String> command, long daemonPid) throws Exception {
        double before = cpuSeconds(daemonPid);
        PullBenchmark.Sample sample = PullBenchmark.timed(command, false);
        return new Run(sample.seconds(), sample.cpuSeconds(), cpuSeconds(daemonPid) - before);
    }

    /** A process's user + system CPU seconds from {@code /proc/PID/stat} (clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime (fields 14 and 15)
    }

    /** 200 families of 5: one shared layer a family, one own layer an image, each holding one tiny file. */
    private static List<FixtureImage> fixtures() {
        FixtureImages fixtures = new FixtureImages();
        List<FixtureImage> all = new ArrayList<>();
        for (int family = 0; family < FAMILIES; family++) {
            final int f = family;
            FixtureImage base = fixtures.image("bench/family" + f)
                    .layer("RUN base " + f, b -> b.file("base/" + f, "family " + f));
            for (int member = 0; member < PER_FAMILY; member++) {
                final int m = member;
                all.add(base.child("bench/app" + f).tag("v" + m)
                        .layer("COPY app " + m, b -> b.file("app/" + m, "app " + f + "." + m)));
            }
        }
        return all;
    }
}
