package io.gantry.app;

import io.gantry.store.StorePulls;
import io.gantry.cli.CliServices;
import io.gantry.cli.GantryCli;
import io.gantry.service.PullService;
import io.gantry.service.RegistryBrowser;
import io.gantry.store.OciLayoutStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import io.gantry.core.GantryException;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.UpdateCheck;
import io.gantry.service.settings.Settings;
import io.gantry.service.settings.SettingsStore;
import io.gantry.ui.DesktopContext;
import io.gantry.ui.GantryDesktop;
import io.gantry.ui.Theme;
import java.util.concurrent.CompletableFuture;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The launcher: with no arguments (or {@code gui}) it opens the window, otherwise it runs the
 * {@code gantry} CLI. It is deliberately not a JavaFX {@code Application}, so it works as the
 * classpath main class.
 */
public final class Main {

    private Main() {
    }

    /** What the command line runs on: {@code gantry}'s catalogs, engines at addresses, pulls and registries. */
    public static CliServices cliServices(Gantry gantry) {
        return new CliServices() {
            @Override
            public EndpointCatalog open(Optional<Path> storeDir) {
                return gantry.openCatalog(storeDir.orElse(gantry.paths().store()));
            }

            @Override
            public EndpointCatalog open(Optional<Path> storeDir, OptionalInt parallelDownloads) {
                return gantry.openCatalog(storeDir.orElse(gantry.paths().store()),
                        parallelDownloads.orElse(StorePulls.DEFAULT_PARALLEL_DOWNLOADS));
            }

            // Gantry's own store (no --store) is created by any command; a --store path only by pull and load.
            @Override
            public EndpointCatalog open(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
                return gantry.openCatalog(storeDir.orElse(gantry.paths().store()),
                        parallelDownloads.orElse(StorePulls.DEFAULT_PARALLEL_DOWNLOADS), createStore || storeDir.isEmpty());
            }

            @Override
            public EndpointCatalog openForEndpoint(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
                return gantry.openCatalogDeferringStore(storeDir.orElse(gantry.paths().store()),
                        parallelDownloads.orElse(StorePulls.DEFAULT_PARALLEL_DOWNLOADS), createStore || storeDir.isEmpty());
            }

            @Override
            public EndpointCatalog openEmbedded(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
                return new EndpointCatalog(List.of(gantry.openStore(storeDir.orElse(gantry.paths().store()),
                        parallelDownloads.orElse(StorePulls.DEFAULT_PARALLEL_DOWNLOADS), Optional.empty(),
                        createStore || storeDir.isEmpty())));
            }

            @Override
            public EndpointCatalog openEmbedded(Optional<Path> storeDir, OptionalInt parallelDownloads) {
                return new EndpointCatalog(List.of(gantry.openStore(storeDir.orElse(gantry.paths().store()),
                        parallelDownloads.orElse(StorePulls.DEFAULT_PARALLEL_DOWNLOADS))));
            }

            @Override
            public Optional<io.gantry.engine.ImageStore> openEngine(String host) {
                return Optional.of(gantry.openAddress(host));
            }

            @Override
            public io.gantry.engine.cluster.Clusters clusters() {
                return gantry.clusters();
            }

            @Override
            public io.gantry.engine.EngineCredentials registryLogins() {
                return gantry.registryLogins();
            }

            @Override
            public io.gantry.service.PodRegistryCheck podRegistryCheck() {
                return gantry.podRegistryCheck();
            }

            @Override
            public io.gantry.service.NodeCris nodeCris() {
                return gantry.nodeCris();
            }

            @Override
            public java.util.Optional<java.nio.file.Path> logFile() {
                return LogConfigurator.logFile();
            }

            @Override
            public PullService pulls() {
                return gantry.pullService();
            }

            @Override
            public RegistryBrowser registries() {
                return gantry.registryBrowser();
            }

            @Override
            public UpdateCheck updateCheck() {
                return new UpdateCheck(gantry::registryClient, Sleeper.system(), java.time.Duration.ofMillis(50));
            }

            @Override
            public io.gantry.service.ManifestDrafts manifestDrafts() {
                return gantry.manifestDrafts();
            }

            @Override
            public io.gantry.service.RegistryCopy registryCopy() {
                return new io.gantry.service.RegistryCopy(gantry::registryClient);
            }

            @Override
            public RegistryBrowser registries(java.util.Set<String> plainHttp) {
                Settings settings = gantry.settingsStore().load();
                List<String> insecure = new java.util.ArrayList<>(settings.insecureRegistries());
                insecure.addAll(plainHttp);
                return new RegistryBrowser(gantry.registryClient(settings.withInsecureRegistries(insecure)));
            }
        };
    }

    public static void main(String[] args) {
        // A cold start opens only the jars whose classes it loads (with the launcher's class-data
        // archive: gantry's and picocli's) unless something searches the class path: the first search
        // opens all 90 jars and reads their directories, about 50 ms of CPU. SLF4J would search for
        // its provider, Logback's provider for configurators (LoggingProvider names Gantry's), picocli
        // for Groovy's closures, and the JDK for time-zone rules (LogConfigurator's time stamps are
        // set up by the first log line). The JDK's own search for a logger finder remains, on the
        // first use of java.util.logging (OkHttp's, grpc-java's).
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", LoggingProvider.class.getName());
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN"); // not a line about it on every start
            }
        }
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        // The Netty inside grpc-java (containerd's API) registers its allocator's JFR event classes with
        // the JVM's flight recorder when it starts, which generates and loads some 120 classes on every
        // containerd command; Gantry records no Netty events.
        if (System.getProperty("io.grpc.netty.shaded.io.netty.jfr.enabled") == null) {
            System.setProperty("io.grpc.netty.shaded.io.netty.jfr.enabled", "false");
        }
        AppPaths paths = AppPaths.fromSystem();
        LogConfigurator.writeTo(paths.logFile());
        // Logback's set-up (~0.15 s) runs beside the next steps; the first logger waits for it.
        startDaemon("gantry-logging", org.slf4j.LoggerFactory::getILoggerFactory);
        // what no code path caught goes to the log file with its stack trace; the terminal gets one line
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> org.slf4j.LoggerFactory.getLogger(Main.class)
                .error("unexpected failure on thread {}: {}", thread.getName(), e.getMessage(), e));
        // (standard error shows that line without the trace; the log file keeps both)
        Map<String, String> env = System.getenv();
        Gantry gantry = new Gantry(paths, env);
        if (args.length == 0 || (args.length == 1 && args[0].equals("gui"))) {
            System.exit(runGui(gantry, env));
        }
        if (GantryCli.talksToRegistries(args)) {
            // OkHttp's and TLS's set-up (~0.15 s) happens beside the parsing of the command line
            // and the opening of the store; the command then finds the client built (or builds
            // it again, and reports what went wrong).
            startDaemon("gantry-registry-client", () -> {
                try {
                    gantry.registryClient();
                } catch (RuntimeException e) {
                    // reported by the command
                }
            });
        }
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(System.out, true, charset);
        PrintWriter err = new PrintWriter(System.err, true, charset);
        // printable ASCII is the same bytes in these: a long listing may write it as bytes
        boolean asciiBytes = charset.equals(java.nio.charset.StandardCharsets.UTF_8)
                || charset.equals(java.nio.charset.StandardCharsets.US_ASCII)
                || charset.equals(java.nio.charset.StandardCharsets.ISO_8859_1);
        int code = GantryCli.run(cliServices(gantry), out, asciiBytes ? System.out : null, err, args);
        System.exit(code);
    }

    /**
     * JavaFX's own logger, held here (java.util.logging keeps loggers only weakly) and made only by
     * the window's start (a command never loads java.util.logging for it). On the class path, as
     * Gantry runs, JavaFX warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed
     * module'" on every start: two lines on the terminal that ask nothing of the user. Errors still show.
     */
    private static final class JavaFxLog {
        static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("javafx");
    }

    private static int runGui(Gantry gantry, Map<String, String> env) {
        JavaFxLog.LOG.setLevel(java.util.logging.Level.SEVERE);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        boolean headlessPlatform = "Monocle".equals(System.getProperty("glass.platform"));
        if (os.startsWith("linux") && !headlessPlatform
                && env.getOrDefault("DISPLAY", "").isBlank() && env.getOrDefault("WAYLAND_DISPLAY", "").isBlank()) {
            System.err.println("gantry: no graphical display (DISPLAY and WAYLAND_DISPLAY are unset).");
            System.err.println("  Run Gantry in a desktop session, or under a virtual one: xvfb-run ./run.sh");
            System.err.println("  The command line works without a display: gantry --help");
            return 2;
        }
        io.gantry.ui.ErrorMessages.logFile(gantry.paths().logFile());
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        SettingsStore settingsStore = gantry.settingsStore();
        // The toolkit starts on this thread while a worker reads the settings and opens the
        // endpoints (the embedded store's index, the engines' addresses); the registry client (TLS
        // and HTTP set-up) is built on first use, on the thread of the first search or update check.
        CompletableFuture<Settings> settings = CompletableFuture.supplyAsync(settingsStore::load, executor);
        CompletableFuture<Theme> theme = settings.thenApply(s -> Theme.fromSettings(s.theme(), env));
        CompletableFuture<EndpointCatalog> catalog = settings.thenApplyAsync(
                s -> gantry.openCatalog(gantry.paths().store(), s), executor);
        CompletableFuture<DesktopContext> context = catalog.thenApply(opened -> new DesktopContext(opened, executor,
                settingsStore, new RegistryBrowser(gantry::registryClient),
                new UpdateCheck(gantry::registryClient, Sleeper.system(), DesktopContext.UPDATE_CHECK_SPACING),
                gantry::openRemoteEngine, gantry.pullService(), java.util.Optional.of(gantry.manifestDrafts()),
                java.util.Optional.of(new io.gantry.ui.cluster.ClusterAccess(gantry::clusters, gantry.registryLogins())
                        .withRegistryCheck(gantry::podRegistryCheck).withNodeCris(gantry::nodeCris))));
        try {
            // GANTRY_TRAINING_RUN=1: close the window once the images are listed (packaging/jpackage.sh
            // records the classes such a run loads in a class-data archive)
            return GantryDesktop.launch(theme, context, () -> {
                executor.shutdownNow();
                catalog.join().close();
            }, "1".equals(env.get("GANTRY_TRAINING_RUN"))).awaitExit();
        } catch (GantryDesktop.NoDisplayException e) {
            System.err.println("gantry: " + e.getMessage());
            System.err.println("  On Debian a window needs GTK 3: apt-get install libgtk-3-0");
            return 2;
        } catch (GantryDesktop.StartupException e) {
            if (e.getCause() instanceof GantryException ge) {
                System.err.println("gantry: " + ge.describe());
                ge.action().ifPresent(action -> System.err.println("  " + action));
            } else {
                org.slf4j.LoggerFactory.getLogger(Main.class).error("the window could not start: {}",
                        e.getCause().getMessage(), e.getCause());
                String why = e.getCause().getMessage();
                System.err.println("gantry: the window could not start"
                        + (why == null || why.isBlank() ? "" : ": " + io.gantry.core.PeerText.clean(why))
                        + " (details in " + gantry.paths().logFile() + ")");
            }
            executor.shutdownNow();
            return 1;
        }
    }

    /** Runs start-up work beside the main thread, on a thread that does not keep the JVM alive. */
    private static void startDaemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "gantry-worker-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
