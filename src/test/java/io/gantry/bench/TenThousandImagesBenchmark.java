package io.gantry.bench;

import io.gantry.store.OciLayoutStore;
import io.gantry.testing.Blob;
import io.gantry.testing.CommandResult;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.ToolFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code gantry images} on 10,000 images (run by hand, not by {@code mvn test}), beside
 * {@code docker image ls} and {@code docker system df -v} on the same 10,000 images in a private
 * dockerd (harness {@link DockerdPeer}, vfs), alternating in one run. The images: 100 base
 * layers with 100 images each that differ only by a label (what {@code docker load} can take in
 * minutes rather than hours); the embedded store gets the same images. Wall times include starting
 * each process; the load average is printed beside every run.
 *
 * <pre>
 * ./mvnw -q -B -ntp package -DskipTests
 * ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.gantry.bench.TenThousandImagesBenchmark [runs]
 *     [--docker-data DIR] [--docker-store DIR]
 * java -cp … io.gantry.bench.TenThousandImagesBenchmark [runs] --no-docker [--store DIR]
 * </pre>
 * {@code --docker-data DIR} keeps the dockerd's data root there (a later run finds the images
 * loaded and only times); {@code --docker-store DIR} (default {@code target/bench/store10k-docker})
 * the embedded store of the same images. {@code --no-docker} times {@code gantry images} alone on
 * the window benchmark's store ({@code --store DIR}: 2,000 families of 5, each family sharing one
 * layer and each image adding one of its own), for {@code TenThousandImagesWindowBenchmark}.
 * The stores' blobs and {@code index.json} are written directly (fixture set-up, not timed, no
 * fsync); the dockerd gets its images by {@code docker load} of archives of 1,000 images, each
 * within an hour.
 */
public final class TenThousandImagesBenchmark {

    static final int FAMILIES = 2_000;
    static final int PER_FAMILY = 5;
    private static final int SHARED_FAMILIES = 100;
    private static final int LOAD_BATCH = 1_000;
    private static final java.time.Duration LOAD_DEADLINE = java.time.Duration.ofMinutes(60);

    private TenThousandImagesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 7;
        Path storeDir = null;
        Path dockerStore = Path.of("target/bench/store10k-docker").toAbsolutePath();
        Path dockerData = null;
        boolean docker = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> storeDir = Path.of(args[++i]).toAbsolutePath();
                case "--docker-store" -> dockerStore = Path.of(args[++i]).toAbsolutePath();
                case "--docker-data" -> dockerData = Path.of(args[++i]).toAbsolutePath();
                case "--no-docker" -> docker = false;
                default -> runs = Integer.parseInt(args[i]);
            }
        }
        if (!Files.exists(Path.of("target/gantry.jar"))) {
            throw new IllegalStateException("build the jar first: ./mvnw -q package -DskipTests");
        }
        Path work = Files.createTempDirectory("gantry-10k");
        try {
            if (!docker) {
                if (storeDir == null) {
                    storeDir = work.resolve("store");
                }
                List<FixtureImage> images = fixtures();
                if (!Files.exists(storeDir.resolve("index.json"))) {
                    long start = System.nanoTime();
                    writeStore(storeDir, images);
                    System.out.printf(Locale.ROOT, "embedded store with %d images written in %.1f s at %s%n", images.size(),
                            (System.nanoTime() - start) / 1e9, storeDir);
                }
                List<Double> g = new ArrayList<>();
                for (int run = 1; run <= runs + 1; run++) {
                    double t = timed(List.of("./gantry", "--store", storeDir.toString(), "images"), 10_001);
                    if (run > 1) { // the first records the launcher's class-data archive
                        g.add(t);
                    } else {
                        PullBenchmark.awaitAotCache(); // made in the background
                    }
                    System.out.printf(Locale.ROOT, "run %d: gantry images %.2f s   load %s%n", run, t, DesktopPullBenchmark.load());
                }
                System.out.printf(Locale.ROOT, "median: gantry images %.2f s%n", DesktopPullBenchmark.median(g));
                return;
            }
            List<FixtureImage> images = sharedLayerFixtures();
            if (!Files.exists(dockerStore.resolve("index.json"))) {
                long start = System.nanoTime();
                writeStore(dockerStore, images);
                System.out.printf(Locale.ROOT, "embedded store with %d images written in %.1f s at %s%n", images.size(),
                        (System.nanoTime() - start) / 1e9, dockerStore);
            }
            storeDir = dockerStore;
            List<String> dataRoot = dockerData == null ? List.of() : List.of("--data-root", dockerData.toString());
            try (DockerdPeer dockerd = DockerdPeer.start(ToolFinder.fromEnvironment(), dataRoot)) {
                long start = System.nanoTime();
                int present = dockerd.cli().run("image", "ls", "-q").stdout().strip().lines().mapToInt(line -> 1).sum();
                for (int from = present / LOAD_BATCH * LOAD_BATCH; from < images.size(); from += LOAD_BATCH) {
                    DockerArchive archive = new DockerArchive();
                    for (FixtureImage image : images.subList(from, Math.min(images.size(), from + LOAD_BATCH))) {
                        archive.add(image, image.reference());
                    }
                    Path tar = archive.writeTo(work.resolve("batch.tar"));
                    long batch = System.nanoTime();
                    CommandResult loaded = dockerd.cli().run(LOAD_DEADLINE, new byte[0], "load", "-q", "-i", tar.toString());
                    if (loaded.exitCode() != 0) {
                        throw new IllegalStateException("docker load failed: " + loaded);
                    }
                    Files.delete(tar);
                    System.out.printf(Locale.ROOT, "docker load of images %d-%d: %.1f s   load %s%n", from + 1,
                            Math.min(images.size(), from + LOAD_BATCH), (System.nanoTime() - batch) / 1e9,
                            DesktopPullBenchmark.load());
                }
                System.out.printf(Locale.ROOT, "dockerd %s: %d images (%d were there) ready in %.1f s%n", dockerd.version(),
                        images.size(), present, (System.nanoTime() - start) / 1e9);
                String docker0 = dockerd.cli().binary().toString();
                List<String> imageLs = List.of(docker0, "-H", dockerd.host(), "image", "ls");
                List<String> systemDf = List.of(docker0, "-H", dockerd.host(), "system", "df", "-v");
                List<String> gantryImages = List.of("./gantry", "--store", storeDir.toString(), "images");
                timed(gantryImages, 10_001); // records the launcher's class-data archive; checks the rows
                PullBenchmark.awaitAotCache(); // made in the background
                timed(imageLs, 10_001);
                timed(systemDf, 10_000);
                long daemonPid = Long.parseLong(Files.readString(dockerd.socket().resolveSibling("docker.pid")).strip());
                List<ContainerdListBenchmark.Run> g = new ArrayList<>();
                List<ContainerdListBenchmark.Run> ls = new ArrayList<>();
                List<ContainerdListBenchmark.Run> df = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    ContainerdListBenchmark.Run a;
                    ContainerdListBenchmark.Run b;
                    ContainerdListBenchmark.Run c;
                    if (run % 2 == 1) {
                        a = ContainerdListBenchmark.measure(gantryImages, daemonPid);
                        b = ContainerdListBenchmark.measure(imageLs, daemonPid);
                        c = ContainerdListBenchmark.measure(systemDf, daemonPid);
                    } else {
                        c = ContainerdListBenchmark.measure(systemDf, daemonPid);
                        b = ContainerdListBenchmark.measure(imageLs, daemonPid);
                        a = ContainerdListBenchmark.measure(gantryImages, daemonPid);
                    }
                    g.add(a);
                    ls.add(b);
                    df.add(c);
                    System.out.printf(Locale.ROOT, "run %d: gantry images %s   docker image ls %s   docker system df -v %s"
                            + "   load %s%n", run, cpu(a), cpu(b), cpu(c), DesktopPullBenchmark.load());
                }
                ContainerdListBenchmark.Run gm = ContainerdListBenchmark.Run.median(g);
                ContainerdListBenchmark.Run lm = ContainerdListBenchmark.Run.median(ls);
                ContainerdListBenchmark.Run dm = ContainerdListBenchmark.Run.median(df);
                System.out.printf(Locale.ROOT, "median of %d: gantry images %s   docker image ls %s   docker system df -v %s"
                        + "   gantry/image ls %.2f   gantry/system df %.2f   load %s%n", runs, cpu(gm), cpu(lm), cpu(dm),
                        gm.wall() / lm.wall(), gm.wall() / dm.wall(), DesktopPullBenchmark.load());
            }
        } finally {
            PullBenchmark.deleteTree(work);
        }
    }

    /**
     * The images the dockerd comparison uses (in both stores): 100 base layers, 100 images on each
     * that differ only by a label in their config, so {@code docker load} registers 100 layers and
     * otherwise writes configs and names (a layer per image took the daemon about half a second).
     */
    static List<FixtureImage> sharedLayerFixtures() {
        FixtureImages fixtures = new FixtureImages();
        List<FixtureImage> all = new ArrayList<>();
        for (int family = 0; family < SHARED_FAMILIES; family++) {
            final int f = family;
            FixtureImage base = fixtures.image("bench/base" + f)
                    .layer("RUN base " + f, b -> b.file("base/" + f, "family " + f));
            for (int member = 0; member < FAMILIES * PER_FAMILY / SHARED_FAMILIES; member++) {
                all.add(base.child("bench/app" + f).tag("v" + member).label("bench.image", f + "." + member).oci());
            }
        }
        return all;
    }

    /** 2,000 families of 5: one shared layer a family, one own layer an image, each holding one tiny file. */
    static List<FixtureImage> fixtures() {
        FixtureImages fixtures = new FixtureImages();
        List<FixtureImage> all = new ArrayList<>();
        for (int family = 0; family < FAMILIES; family++) {
            final int f = family;
            FixtureImage base = fixtures.image("bench/family" + f)
                    .layer("RUN base " + f, b -> b.file("base/" + f, "family " + f));
            for (int member = 0; member < PER_FAMILY; member++) {
                final int m = member;
                all.add(base.child("bench/app" + f).tag("v" + m).oci()
                        .layer("COPY app " + m, b -> b.file("app/" + m, "app " + f + "." + m)));
            }
        }
        return all;
    }

    /**
     * The layout written directly: {@code oci-layout} and the directories by the store itself, then
     * every blob once and one {@code index.json} with the images' names (as a pull writes them).
     */
    static void writeStore(Path storeDir, List<FixtureImage> images) throws Exception {
        OciLayoutStore.open(storeDir).close();
        Path blobs = storeDir.resolve("blobs/sha256");
        Set<String> written = new HashSet<>();
        StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[");
        boolean first = true;
        for (FixtureImage image : images) {
            List<Blob> all = new ArrayList<>(image.layerBlobs());
            all.add(image.configBlob());
            Blob manifest = image.manifest();
            all.add(manifest);
            for (Blob blob : all) {
                String hex = blob.digest().substring("sha256:".length());
                if (written.add(hex)) {
                    Files.write(blobs.resolve(hex), blob.bytes(), StandardOpenOption.CREATE_NEW);
                }
            }
            String name = "docker.io/" + image.reference();
            index.append(first ? "" : ",").append("{\"mediaType\":\"").append(manifest.mediaType()).append("\",\"digest\":\"")
                    .append(manifest.digest()).append("\",\"size\":").append(manifest.size())
                    .append(",\"annotations\":{\"io.containerd.image.name\":\"").append(name)
                    .append("\",\"org.opencontainers.image.ref.name\":\"").append(name).append("\"}}");
            first = false;
        }
        index.append("]}");
        Files.writeString(storeDir.resolve("index.json"), index, StandardCharsets.UTF_8);
    }

    /** Wall time, the command's CPU (user + system) and dockerd's CPU over the same run (for gantry: none). */
    private static String cpu(ContainerdListBenchmark.Run run) {
        return String.format(Locale.ROOT, "%.2f s (cpu %.2f + dockerd %.2f)", run.wall(), run.clientCpu(), run.daemonCpu());
    }

    /** Runs {@code command} and returns its wall time; it must succeed and print at least {@code lines} lines. */
    static double timed(List<String> command, int lines) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long count;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            count = out.lines().count();
        }
        int code = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0 || count < lines) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + code + " after " + count + " lines");
        }
        return seconds;
    }
}
