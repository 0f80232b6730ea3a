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
 * the load average is printed beside every run. Target (issue 15): Gantry no slower than
 * {@code ctr images ls}.
 *
 * <pre>
 * ./mvnw -q -B -ntp package -DskipTests
 * ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.gantry.bench.ContainerdListBenchmark [runs]
 * </pre>
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
            TenThousandImagesBenchmark.timed(gantry, images.size() + 1); // records the launcher's class-data archive
            TenThousandImagesBenchmark.timed(imagesLs, images.size() + 1);
            List<Double> g = new ArrayList<>();
            List<Double> f = new ArrayList<>();
            List<Double> ls = new ArrayList<>();
            List<Double> lc = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double a;
                double b;
                double c;
                double d;
                if (run % 2 == 1) {
                    a = TenThousandImagesBenchmark.timed(gantry, images.size() + 1);
                    b = TenThousandImagesBenchmark.timed(imagesLs, images.size() + 1);
                    c = TenThousandImagesBenchmark.timed(withContent, images.size() + 2);
                    d = TenThousandImagesBenchmark.timed(first, images.size() + 1);
                } else {
                    d = TenThousandImagesBenchmark.timed(first, images.size() + 1);
                    c = TenThousandImagesBenchmark.timed(withContent, images.size() + 2);
                    b = TenThousandImagesBenchmark.timed(imagesLs, images.size() + 1);
                    a = TenThousandImagesBenchmark.timed(gantry, images.size() + 1);
                }
                g.add(a);
                f.add(d);
                ls.add(b);
                lc.add(c);
                System.out.printf(Locale.ROOT, "run %d: gantry images %.2f s (first, no listing file: %.2f s)   ctr images ls"
                        + " %.2f s   ctr images ls + content ls %.2f s   load %s%n", run, a, d, b, c, DesktopPullBenchmark.load());
            }
            System.out.printf(Locale.ROOT, "median of %d: gantry images, first listing (no listing file) %.2f s   ratio to ctr"
                    + " images ls %.2f%n", runs, DesktopPullBenchmark.median(f),
                    DesktopPullBenchmark.median(f) / DesktopPullBenchmark.median(ls));
            double gm = DesktopPullBenchmark.median(g);
            double lm = DesktopPullBenchmark.median(ls);
            double cm = DesktopPullBenchmark.median(lc);
            System.out.printf(Locale.ROOT, "median of %d: gantry images %.2f s   ctr images ls %.2f s   ctr images ls + content ls"
                    + " %.2f s   gantry/images ls %.2f   gantry/images+content %.2f   load %s%n", runs, gm, lm, cm, gm / lm,
                    gm / cm, DesktopPullBenchmark.load());
        } finally {
            PullBenchmark.deleteTree(work);
        }
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
