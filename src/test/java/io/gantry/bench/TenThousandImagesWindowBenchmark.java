package io.gantry.bench;

import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.ui.DesktopContext;
import io.gantry.ui.MainWindow;
import io.gantry.ui.RenderingPipeline;
import io.gantry.ui.Theme;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeView;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.management.ObjectName;

/**
 * The window on 10,000 images (run by hand, not by {@code mvn test}; the GuiBenchmark pattern, in
 * this JVM): opens the main window over the embedded store {@code TenThousandImagesBenchmark}
 * wrote, waits for the first listing, then filters (typing a term a key at a time, then clearing
 * it), sorts by five columns both ways, scrolls the table from top to bottom and back, and opens the
 * family tree and scrolls it. An {@link AnimationTimer} asks for a frame on every pulse and
 * records the gaps between frames: the longest gap of each step is the longest the FX thread was
 * busy (targets: 100 ms, after the first listing). Beside it, the most CPU the FX thread used between
 * two frames: on a loaded machine a gap also holds the time the thread waited for a core, its CPU
 * does not. RSS ({@code VmRSS}, {@code VmHWM}) after each step (target: 400 MB), and at the end the
 * heap after a full collection ({@code -Dbench.histogram=N} adds the N biggest classes). There is
 * no peer GUI; the load average is printed beside the figures.
 *
 * <pre>
 * java -Xmx1500m -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.gantry.bench.TenThousandImagesBenchmark 1 --store target/bench/store10k --no-docker
 * GDK_GL=disable xvfb-run -a -s '-screen 0 1440x900x24' java $(grep -v -e '^\s*#' -e '^list:' -e '^push:' -e '^pull:' -e '^jdk24:' packaging/jvm-options | sed 's/^gui://') \
 *     -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.gantry.bench.TenThousandImagesWindowBenchmark target/bench/store10k
 * </pre>
 * ({@code GDK_GL=disable} as {@code ./gantry} sets it for the window where there is no GPU, which
 * under Xvfb there is not; the toolkit's pipeline is chosen as the app chooses it,
 * {@link RenderingPipeline}.)
 */
public final class TenThousandImagesWindowBenchmark {

    private static final AtomicLong LAST_FRAME = new AtomicLong();
    private static final AtomicLong LONGEST_GAP = new AtomicLong();
    /** The FX thread's CPU time at the last frame, and the most it used between two frames. */
    private static final AtomicLong LAST_FRAME_CPU = new AtomicLong();
    private static final AtomicLong LONGEST_GAP_CPU = new AtomicLong();

    private TenThousandImagesWindowBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int code = 1;
        try {
            run(args);
            code = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            System.out.flush();
            System.exit(code); // the FX thread would keep the JVM alive; exiting also writes a flight recording
        }
    }

    private static void run(String[] args) throws Exception {
        Path storeDir = Path.of(args.length > 0 ? args[0] : "target/bench/store10k").toAbsolutePath();
        if (!Files.exists(storeDir.resolve("index.json"))) {
            throw new IllegalStateException("no store at " + storeDir + ": run TenThousandImagesBenchmark --store first");
        }
        Path home = Files.createTempDirectory("gantry-10k-window");
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gantry-worker");
            t.setDaemon(true);
            return t;
        });
        EndpointCatalog catalog = new EndpointCatalog(List.of(OciLayoutStore.open(storeDir)));
        CompletableFuture<Void> started = new CompletableFuture<>();
        RenderingPipeline.chooseBeforeStartup(); // as GantryDesktop does before it starts the toolkit
        Platform.startup(() -> started.complete(null));
        started.get();
        long opened = System.nanoTime();
        MainWindow.Parts parts = onFx(() -> {
            Stage stage = new Stage();
            stage.setWidth(1440);
            stage.setHeight(900);
            Theme.LIGHT.apply();
            MainWindow.Parts p = MainWindow.open(stage, new DesktopContext(catalog, executor,
                    new SettingsStore(home.resolve("settings.json"))));
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    long last = LAST_FRAME.getAndSet(now);
                    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    long lastCpu = LAST_FRAME_CPU.getAndSet(cpu);
                    if (last != 0) {
                        LONGEST_GAP.accumulateAndGet(now - last, Math::max);
                        LONGEST_GAP_CPU.accumulateAndGet(cpu - lastCpu, Math::max);
                    }
                }
            }.start();
            return p;
        });
        while (onFx(() -> parts.model().visibleImages().size()) < 10_000) {
            Thread.sleep(50);
        }
        double firstListing = (System.nanoTime() - opened) / 1e9;
        Thread.sleep(1000);
        System.out.printf(Locale.ROOT, "10,000 rows shown %.2f s after the window was opened; longest frame so far %d ms;"
                + " %s; load %s%n", firstListing, LONGEST_GAP.get() / 1_000_000, memory(), DesktopPullBenchmark.load());
        @SuppressWarnings("unchecked")
        TableView<Object> table = onFx(() -> (TableView<Object>) stageOf(parts).getScene().getRoot().lookupAll(".table-view")
                .stream().filter(n -> n instanceof TableView<?> t && t.getItems().size() >= 10_000).findFirst()
                .orElseThrow(() -> new IllegalStateException("no images table with 10,000 rows")));
        List<String[]> rows = new ArrayList<>();

        step(rows, "filter: type 'app1999' a key at a time, then clear it", () -> {
            String term = "app1999";
            for (int i = 1; i <= term.length(); i++) {
                String text = term.substring(0, i);
                onFx(() -> {
                    parts.model().filterTextProperty().set(text);
                    return null;
                });
                Thread.sleep(120);
            }
            int shown = onFx(() -> parts.model().visibleImages().size());
            if (shown != 5) {
                throw new IllegalStateException("the filter 'app1999' shows " + shown + " rows, not 5");
            }
            onFx(() -> {
                parts.model().filterTextProperty().set("");
                return null;
            });
            Thread.sleep(500);
        });
        step(rows, "sort: 5 columns, ascending then descending", () -> {
            for (String id : new String[] {"sizeColumn", "sharedColumn", "repositoryColumn", "createdColumn", "uniqueColumn"}) {
                for (TableColumn.SortType type : TableColumn.SortType.values()) {
                    onFx(() -> {
                        @SuppressWarnings("unchecked")
                        TableColumn<Object, ?> column = table.getColumns().stream().filter(c -> id.equals(c.getId())
                                        || id.equals(c.getProperties().get("fx:id")) || c.getText().equalsIgnoreCase(id.replace("Column", "")))
                                .findFirst().orElseThrow(() -> new IllegalStateException("no column " + id));
                        column.setSortType(type);
                        table.getSortOrder().setAll(column);
                        return null;
                    });
                    Thread.sleep(250);
                }
            }
        });
        step(rows, "scroll: top to bottom and back, 100 rows a frame", () -> {
            int size = onFx(() -> table.getItems().size());
            for (int i = 0; i < size; i += 100) {
                int row = i;
                onFx(() -> {
                    table.scrollTo(row);
                    return null;
                });
                Thread.sleep(16);
            }
            for (int i = size - 1; i >= 0; i -= 100) {
                int row = i;
                onFx(() -> {
                    table.scrollTo(row);
                    return null;
                });
                Thread.sleep(16);
            }
        });
        step(rows, "family tree: open, wait for it, scroll it", () -> {
            onFx(() -> {
                stageOf(parts).getScene().getRoot().lookupAll(".button").stream()
                        .filter(n -> n instanceof Button b && ("familyButton".equals(b.getId()) || b.getText() != null
                                && b.getText().toLowerCase(Locale.ROOT).contains("family")))
                        .map(Button.class::cast).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no family tree button")).fire();
                return null;
            });
            TreeView<?> tree = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("bench.treeSeconds", 120));
            while (tree == null && System.nanoTime() < deadline) {
                tree = onFx(() -> {
                    for (Window w : Window.getWindows()) {
                        if (w.getScene() == null) {
                            continue;
                        }
                        for (javafx.scene.Node node : w.getScene().getRoot().lookupAll(".tree-view")) {
                            if (node instanceof TreeView<?> t && t.getRoot() != null && t.getExpandedItemCount() > 1) {
                                return t;
                            }
                        }
                    }
                    return null;
                });
                Thread.sleep(100);
            }
            if (tree == null) {
                throw new IllegalStateException("the family tree did not draw within " + Long.getLong("bench.treeSeconds", 120) + " s");
            }
            TreeView<?> shown = tree;
            int count = onFx(shown::getExpandedItemCount);
            System.out.printf(Locale.ROOT, "  family tree: %d rows expanded%n", count);
            for (int i = 0; i < count; i += Math.max(1, count / 100)) {
                int row = i;
                onFx(() -> {
                    shown.scrollTo(row);
                    return null;
                });
                Thread.sleep(16);
            }
        });
        System.out.printf(Locale.ROOT, "%n%-58s %14s %14s %10s %10s%n", "step", "longest frame", "its FX CPU", "RSS",
                "peak RSS");
        for (String[] row : rows) {
            System.out.printf(Locale.ROOT, "%-58s %11s ms %11s ms %7s MB %7s MB%n", (Object[]) row);
        }
        System.out.printf(Locale.ROOT, "first listing %.2f s after opening; load %s; java %s%n", firstListing,
                DesktopPullBenchmark.load(), System.getProperty("java.version"));
        heapReport();
        Platform.exit();
        executor.shutdownNow();
        catalog.close();
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<String[]> rows, String name, Step step) throws Exception {
        Thread.sleep(300);
        LONGEST_GAP.set(0);
        LONGEST_GAP_CPU.set(0);
        step.run();
        Thread.sleep(700); // work the step started (a re-listing, a layout) shows up in the gaps too
        long[] mem = rss();
        rows.add(new String[] {name, Long.toString(LONGEST_GAP.get() / 1_000_000),
                Long.toString(LONGEST_GAP_CPU.get() / 1_000_000), Long.toString(mem[0] / 1024),
                Long.toString(mem[1] / 1024)});
        System.out.printf(Locale.ROOT, "%s: longest frame %d ms (the FX thread's CPU between two frames at most %d ms),"
                + " RSS %d MB (peak %d MB, heap %s), load %s%n", name, LONGEST_GAP.get() / 1_000_000,
                LONGEST_GAP_CPU.get() / 1_000_000, mem[0] / 1024, mem[1] / 1024, heap(), DesktopPullBenchmark.load());
    }

    private static String heap() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format(Locale.ROOT, "%d MB used of %d MB committed", heap.getUsed() >> 20, heap.getCommitted() >> 20);
    }

    /**
     * The heap after a full collection (what the window keeps, against RSS) and, with {@code
     * -Dbench.histogram=N}, the N classes holding most of it ({@code jcmd GC.class_histogram}).
     */
    private static void heapReport() throws Exception {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage other = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        System.out.printf(Locale.ROOT, "heap after a full GC: %d MB used, %d MB committed; non-heap %d MB committed; RSS %d MB%n",
                heap.getUsed() >> 20, heap.getCommitted() >> 20, other.getCommitted() >> 20, rss()[0] / 1024);
        int lines = Integer.getInteger("bench.histogram", 0);
        if (lines > 0) {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            histogram.lines().limit(lines + 3L).forEach(System.out::println);
            if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking="))) {
                System.out.println(ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                        new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()}));
            }
            System.out.println("RSS by mapping (/proc/self/smaps, anonymous memory together):");
            Map<String, Long> byName = new HashMap<>();
            List<String> bigAnonymous = new ArrayList<>();
            String name = "";
            String range = "";
            long size = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                String[] parts = line.trim().split("\\s+");
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    name = parts.length >= 6 ? parts[5] : "[anonymous]";
                    range = parts[0];
                } else if (parts[0].equals("Size:")) {
                    size = Long.parseLong(parts[1]);
                } else if (parts[0].equals("Rss:")) {
                    long rss = Long.parseLong(parts[1]);
                    byName.merge(name, rss, Long::sum);
                    if (name.equals("[anonymous]") && rss >= 4096) {
                        // the Java heap is the mapping of -Xmx's size, metaspace and the code cache
                        // their reserved sizes; glibc's malloc arenas are 64 MB (or 132 kB) ones
                        bigAnonymous.add(String.format(Locale.ROOT, "%8d kB of %8d kB  %s", rss, size, range));
                    }
                }
            }
            System.out.println("anonymous mappings with 4 MB or more resident:");
            bigAnonymous.forEach(System.out::println);
            byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(lines)
                    .forEach(e -> System.out.printf(Locale.ROOT, "%8d kB  %s%n", e.getValue(), e.getKey()));
        }
    }

    private static Stage stageOf(MainWindow.Parts parts) {
        for (Window w : Window.getWindows()) {
            if (w instanceof Stage s && MainWindow.TITLE.equals(s.getTitle())) {
                return s;
            }
        }
        throw new IllegalStateException("no main window");
    }

    private static String memory() throws Exception {
        long[] mem = rss();
        return String.format(Locale.ROOT, "RSS %d MB (peak %d MB)", mem[0] / 1024, mem[1] / 1024);
    }

    /** {VmRSS, VmHWM} in kB. */
    private static long[] rss() throws Exception {
        long[] result = new long[2];
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                result[0] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                result[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return result;
    }

    private static <T> T onFx(Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }
}
