package io.gantry.bench;

import io.gantry.core.Digest;
import io.gantry.service.analysis.ImageFileAnalyzer;
import io.gantry.service.analysis.ImageFiles;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.engine.ImageLayer;
import io.gantry.service.analysis.LayerScanCache;
import io.gantry.service.analysis.LayerScanner;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Layer-analysis throughput and memory beside {@code gzip -dc | tar -t} over the same files.
 * Not a test: run it by hand, e.g.
 * <pre>
 * ./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.gantry.bench.LayerScanBenchmark [dir] [runs]
 * </pre>
 * It generates, deterministically and once (reused on later runs), into {@code dir} (default
 * {@code target/bench-layers}): a 5-layer image of about 500 MB of gzip layers (half incompressible
 * bytes, half text, files of 4 KiB to 4 MiB, some overwritten and deleted by later layers) and a
 * layer of 100,000 small files. Each measured run starts a fresh JVM ({@code -Xmx1g}) that analyses
 * the image three times (a new cache each time) and reports the first time (cold: class loading and
 * JIT included, what a user waits for on the first image), the mean of the other two (warm), and its
 * peak RSS ({@code VmHWM}); runs alternate with {@code gzip|tar} runs, whose peak RSS comes from
 * {@code /usr/bin/time}. Prints medians and ratios. The machine is shared, so look at the spread.
 */
public final class LayerScanBenchmark {

    private static final Date MTIME = new Date(1_700_000_000_000L);
    private static final String[] WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
            + "tempor incididunt ut labore et dolore magna aliqua package import class return static final void "
            + "public private int long string byte buffer stream layer image docker gantry").split(" ");

    private LayerScanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("--cli")) {
            cli(Path.of(args.length > 1 ? args[1] : "target/bench-layers"), args.length > 2 ? Integer.parseInt(args[2]) : 7);
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-layers");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(dir);
        List<Path> bigImage = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bigImage.add(generate(dir.resolve("big-layer-" + i + ".tar.gz"), i, LayerScanBenchmark::writeBigLayer));
        }
        List<Path> smallFiles = List.of(generate(dir.resolve("small-files.tar.gz"), 99,
                LayerScanBenchmark::writeSmallFilesLayer));

        System.out.printf(Locale.ROOT, "JVM %s, %d cores; %d runs each, medians%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), runs);
        compare("5-layer image, ~500 MB gzip", bigImage, runs);
        compare("1 layer, 100,000 small files", smallFiles, runs);
    }

    // ---- the command line, cold ----

    /**
     * {@code ./gantry --store S files bench/small-files:1 --changes} (a cold JVM through the
     * launcher, as a user runs it; every path listed) beside {@code gzip -dc LAYER | tar -t} (every
     * path listed) on the same 100,000-file layer, alternating; output discarded, wall times and the
     * load average printed. The store holds that one layer as an image; it is made once in {@code dir}.
     */
    private static void cli(Path dir, int runs) throws Exception {
        Files.createDirectories(dir);
        Path layer = generate(dir.resolve("small-files.tar.gz"), 99, LayerScanBenchmark::writeSmallFilesLayer);
        Path storeDir = dir.resolve("small-files-store");
        String reference = "bench/small-files:1";
        if (!Files.exists(storeDir.resolve("index.json"))) {
            try (io.gantry.store.OciLayoutStore store = io.gantry.store.OciLayoutStore.open(storeDir)) {
                io.gantry.core.Descriptor blob;
                try (var in = Files.newInputStream(layer)) {
                    blob = store.writeBlob("application/vnd.oci.image.layer.v1.tar+gzip", in);
                }
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(layer), 1 << 16)) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        sha.update(buffer, 0, n);
                    }
                }
                String diffId = "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
                        + "\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
                        + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"COPY 100,000 files\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                io.gantry.core.Descriptor configBlob = store.writeBlob("application/vnd.oci.image.config.v1+json", config);
                byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                        + configBlob.digest() + "\",\"size\":" + configBlob.size() + "},\"layers\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + blob.digest() + "\",\"size\":"
                        + blob.size() + "}]}").getBytes(StandardCharsets.UTF_8);
                io.gantry.core.Descriptor manifestBlob = store.writeBlob("application/vnd.oci.image.manifest.v1+json", manifest);
                store.addImage(manifestBlob, List.of(io.gantry.store.ImageName.of(io.gantry.core.ImageReference.parse(reference))),
                        java.util.Optional.empty());
            }
        }
        List<String> gantry = List.of("./gantry", "--store", storeDir.toString(), "files", reference, "--changes");
        List<String> peer = List.of("sh", "-c", "gzip -dc '" + layer + "' | tar -tf -");
        timedDiscarding(gantry); // records the launcher's class-data archive (or AOT cache)
        PullBenchmark.awaitAotCache(); // made in the background
        timedDiscarding(peer);
        List<double[]> g = new ArrayList<>();
        List<double[]> t = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double[] a;
            double[] b;
            if (run % 2 == 1) {
                a = timedDiscarding(gantry);
                b = timedDiscarding(peer);
            } else {
                b = timedDiscarding(peer);
                a = timedDiscarding(gantry);
            }
            g.add(a);
            t.add(b);
            System.out.printf(Locale.ROOT, "run %d: gantry files --changes %.2f s (CPU %.2f s)   gzip -dc | tar -t %.2f s"
                    + " (CPU %.2f s)   load %s%n", run, a[0], a[1], b[0], b[1], DesktopPullBenchmark.load());
        }
        double gm = median(g, 0);
        double tm = median(t, 0);
        System.out.printf(Locale.ROOT, "median of %d: gantry files (cold CLI) %.2f s (CPU %.2f s)   gzip -dc | tar -t %.2f s"
                + " (CPU %.2f s)   ratio %.2f   load %s%n", runs, gm, median(g, 1), tm, median(t, 1), gm / tm,
                DesktopPullBenchmark.load());
    }

    /**
     * Runs {@code command} with its output discarded; it must succeed. Wall seconds and the CPU
     * seconds (user + system) of the command and its children, from {@code /usr/bin/time}.
     */
    private static double[] timedDiscarding(List<String> command) throws Exception {
        Path times = Files.createTempFile("layer-scan-bench", ".time");
        try {
            List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()));
            timed.addAll(command);
            long start = System.nanoTime();
            Process process = new ProcessBuilder(timed).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
            double wall = (System.nanoTime() - start) / 1e9;
            String[] cpu = Files.readString(times).trim().split("\\s+");
            return new double[] {wall, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1])};
        } finally {
            Files.deleteIfExists(times);
        }
    }

    // ---- comparison ----

    private static void compare(String title, List<Path> layers, int runs) throws Exception {
        long compressed = 0;
        for (Path layer : layers) {
            compressed += Files.size(layer);
        }
        runGzipTar(layers); // warm the page cache
        List<double[]> gantry = new ArrayList<>();
        List<double[]> gzipTar = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            gantry.add(runGantry(layers));
            gzipTar.add(runGzipTar(layers));
        }
        double cold = median(gantry, 0);
        double warm = median(gantry, 1);
        double tar = median(gzipTar, 0);
        double mb = compressed / 1e6;
        double[] first = gantry.get(0);
        System.out.printf(Locale.ROOT, "%n%s: %.1f MB compressed in %d file(s); %.0f entries, %.0f MB of files,"
                + " %.1f MB wasted%n", title, mb, layers.size(), first[3], first[4] / 1e6, first[5] / 1e6);
        System.out.printf(Locale.ROOT, "  %-26s %6s %9s %8s %10s   %s%n", "", "wall", "MB/s", "CPU s", "peak RSS",
                "wall per run");
        System.out.printf(Locale.ROOT, "  %-26s %6.2f %9.1f %8.2f %7.0f MB   %s%n", "gzip -dc | tar -t", tar, mb / tar,
                median(gzipTar, 2), median(gzipTar, 1), column(gzipTar, 0));
        System.out.printf(Locale.ROOT, "  %-26s %6.2f %9.1f %8.2f %7.0f MB   %s%n", "Gantry, fresh JVM (cold)", cold,
                mb / cold, median(gantry, 7), median(gantry, 2), column(gantry, 0));
        System.out.printf(Locale.ROOT, "  %-26s %6.2f %9.1f %8.2f %10s   %s%n", "Gantry, same JVM (warm)", warm,
                mb / warm, median(gantry, 8), "", column(gantry, 1));
        System.out.printf(Locale.ROOT, "  ratio to gzip|tar, wall: cold %.2f, warm %.2f; CPU: cold %.2f, warm %.2f;"
                + " live heap after analysis %.1f MB%n", cold / tar, warm / tar, median(gantry, 7) / median(gzipTar, 2),
                median(gantry, 8) / median(gzipTar, 2), median(gantry, 6) / 1e6);
    }

    /**
     * One fresh JVM analysing the image three times: returns {cold seconds, warm seconds (mean of
     * runs 2 and 3), peak RSS MB, entries, file bytes, wasted bytes, live heap bytes, cold CPU seconds
     * (all threads: JIT and GC included), warm CPU seconds}.
     */
    private static double[] runGantry(List<Path> layers) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), LayerScanBenchmark.class.getName(), "--child"));
        layers.forEach(layer -> command.add(layer.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("child failed: " + out);
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        return Arrays.stream(last.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** {@code gzip -dc | tar -t} over every layer in one shell; returns {seconds, peak RSS MB, CPU seconds}. */
    private static double[] runGzipTar(List<Path> layers) throws Exception {
        StringBuilder script = new StringBuilder();
        for (Path layer : layers) {
            script.append("gzip -dc '").append(layer).append("' | tar -tf - > /dev/null; ");
        }
        Path rss = Files.createTempFile("bench-rss", ".txt");
        try {
            long start = System.nanoTime();
            Process process = new ProcessBuilder("/usr/bin/time", "-f", "%M %U %S", "-o", rss.toString(), "sh", "-c",
                    script.toString()).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("gzip | tar failed");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String out = Files.readString(rss).trim();
            String[] fields = out.substring(out.lastIndexOf('\n') + 1).split(" ");
            return new double[] {seconds, Double.parseDouble(fields[0]) / 1024,
                    Double.parseDouble(fields[1]) + Double.parseDouble(fields[2])};
        } finally {
            Files.deleteIfExists(rss);
        }
    }

    /** The child JVM: analyse the layers as one image three times (fresh cache each time), print figures. */
    private static void child(String[] files) throws Exception {
        List<ImageLayer> refs = new ArrayList<>();
        for (String file : files) {
            Digest id = Digest.sha256(file);
            refs.add(new ImageLayer(id, id, Files.size(Path.of(file)), ""));
        }
        List<Path> paths = Arrays.stream(files).map(Path::of).toList();
        double[] seconds = new double[3];
        double[] cpu = new double[3];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ImageFiles result = null;
        for (int run = 0; run < seconds.length; run++) {
            result = null;
            long cpuStart = os.getProcessCpuTime();
            ImageFileAnalyzer analyzer = new ImageFileAnalyzer(
                    layer -> Files.newInputStream(paths.get(refs.indexOf(layer))), new LayerScanner(), new LayerScanCache(16));
            long start = System.nanoTime();
            result = analyzer.analyze(new ImageLayers(Digest.sha256("bench"), List.of(), refs));
            seconds[run] = (System.nanoTime() - start) / 1e9;
            cpu[run] = (os.getProcessCpuTime() - cpuStart) / 1e9;
            if (!result.complete()) {
                throw new IllegalStateException(result.failedLayers().toString());
            }
        }
        long entries = result.layers().stream().mapToLong(l -> l.scan().entries().size()).sum();
        System.gc();
        long liveHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                liveHeap += pool.getUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "%.4f %.4f %.1f %d %d %d %d %.4f %.4f%n", seconds[0],
                (seconds[1] + seconds[2]) / 2, vmHwmMb(), entries, result.totalFileBytes(), result.wastedBytes(), liveHeap,
                cpu[0], (cpu[1] + cpu[2]) / 2);
    }

    private static double vmHwmMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return Double.NaN;
    }

    // ---- deterministic test data ----

    private interface LayerWriter {
        void write(TarArchiveOutputStream tar, SplittableRandom random, int layer) throws IOException;
    }

    private static Path generate(Path file, int seed, LayerWriter writer) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
             GZIPOutputStream gzip = new GZIPOutputStream(raw, 1 << 16) {
                 {
                     def.setLevel(Deflater.BEST_SPEED);
                 }
             };
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            writer.write(tar, new SplittableRandom(seed), seed);
            tar.finish();
        }
        Files.move(partial, file);
        System.out.printf(Locale.ROOT, "generated %s (%.1f MB)%n", file, Files.size(file) / 1e6);
        return file;
    }

    /** ~100 MB of gzip: half random bytes, half text; later layers overwrite and delete some files. */
    private static void writeBigLayer(TarArchiveOutputStream tar, SplittableRandom random, int layer) throws IOException {
        directory(tar, "opt/");
        directory(tar, "opt/data/");
        long written = 0;
        int file = 0;
        while (written < 150_000_000L) {
            int size = 4096 << random.nextInt(11); // 4 KiB .. 4 MiB
            // Every layer reuses a few names of the previous one: overwrites (wasted bytes).
            String name = file % 10 == 0 && layer > 0 ? "opt/data/shared-" + file : "opt/data/l" + layer + "-" + file;
            regularFile(tar, name, size, random, file % 2 == 0);
            written += size;
            file++;
        }
        if (layer > 0) {
            whiteout(tar, "opt/data/.wh.l" + (layer - 1) + "-1");
        }
    }

    /** 100,000 files of 0-2 KiB of text in 1,000 directories. */
    private static void writeSmallFilesLayer(TarArchiveOutputStream tar, SplittableRandom random, int layer)
            throws IOException {
        for (int d = 0; d < 1000; d++) {
            String dir = "usr/share/bench/d" + d + "/";
            directory(tar, dir);
            for (int f = 0; f < 100; f++) {
                regularFile(tar, dir + "file-" + f + ".txt", random.nextInt(2048), random, false);
            }
        }
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setModTime(MTIME);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void whiteout(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setModTime(MTIME);
        e.setSize(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void regularFile(TarArchiveOutputStream tar, String name, int size, SplittableRandom random,
                                    boolean binary) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setModTime(MTIME);
        e.setSize(size);
        tar.putArchiveEntry(e);
        byte[] chunk = new byte[Math.min(size, 1 << 16)];
        for (int left = size; left > 0; left -= chunk.length) {
            int n = Math.min(chunk.length, left);
            if (binary) {
                fillRandom(chunk, n, random);
            } else {
                fillText(chunk, n, random);
            }
            tar.write(chunk, 0, n);
        }
        tar.closeArchiveEntry();
    }

    private static void fillRandom(byte[] buffer, int n, SplittableRandom random) {
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                buffer[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    private static void fillText(byte[] buffer, int n, SplittableRandom random) {
        int i = 0;
        while (i < n) {
            byte[] word = WORDS[random.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII);
            for (int j = 0; j < word.length && i < n; j++) {
                buffer[i++] = word[j];
            }
            if (i < n) {
                buffer[i++] = (byte) (random.nextInt(12) == 0 ? '\n' : ' ');
            }
        }
    }

    // ---- statistics ----

    private static double median(List<double[]> runs, int column) {
        List<Double> values = new ArrayList<>();
        runs.forEach(run -> values.add(run[column]));
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static String column(List<double[]> runs, int column) {
        List<String> parts = new ArrayList<>();
        runs.forEach(run -> parts.add(String.format(Locale.ROOT, "%.2f", run[column])));
        return String.join(" ", parts);
    }
}
