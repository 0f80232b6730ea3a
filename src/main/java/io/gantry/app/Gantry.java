package io.gantry.app;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.engine.docker.EngineDiscovery;
import io.gantry.registry.RegistryClient;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.PullService;
import io.gantry.service.RegistryBrowser;
import io.gantry.store.OciLayoutStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: builds the services the GUI and the CLI run on. Owns the registry client
 * (one per process, from the user's Docker config) and the download threads (daemon threads, so
 * they never keep the JVM alive).
 */
public final class Gantry {

    private final AppPaths paths;
    private final Map<String, String> env;
    private final Clock clock = Clock.systemUTC();
    private RegistryClient registryClient;
    private ExecutorService downloads;

    public Gantry(AppPaths paths, Map<String, String> env) {
        this.paths = paths;
        this.env = Map.copyOf(env);
    }

    /** The registry client, built on first use from the user's Docker config (credentials, certificates). */
    public synchronized RegistryClient registryClient() {
        if (registryClient == null) {
            registryClient = RegistryClient.builder().fromDockerConfig(env, Path.of(System.getProperty("user.home"))).build();
        }
        return registryClient;
    }

    /** The threads layer downloads run on. */
    public synchronized ExecutorService downloads() {
        if (downloads == null) {
            AtomicInteger counter = new AtomicInteger();
            downloads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "gantry-download-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return downloads;
    }

    public PullService pullService() {
        return new PullService(clock);
    }

    public RegistryBrowser registryBrowser() {
        return new RegistryBrowser(registryClient());
    }

    /** The embedded store at {@code storeDir}, pulling {@code parallelDownloads} layers at once. */
    public OciLayoutStore openStore(Path storeDir, int parallelDownloads) {
        return OciLayoutStore.open(storeDir, OciLayoutStore.Options.defaults()
                .withPulls(new OciLayoutStore.Pulls(this::registryClient, downloads(), parallelDownloads)));
    }

    public AppPaths paths() {
        return paths;
    }

    /** The embedded store at {@code storeDir}, then every Docker-compatible engine found. */
    public EndpointCatalog openCatalog(Path storeDir) {
        return openCatalog(storeDir, OciLayoutStore.Pulls.DEFAULT_PARALLEL_DOWNLOADS);
    }

    /** {@link #openCatalog(Path)} with the embedded store pulling {@code parallelDownloads} layers at once. */
    public EndpointCatalog openCatalog(Path storeDir, int parallelDownloads) {
        List<ImageStore> stores = new ArrayList<>();
        stores.add(openStore(storeDir, parallelDownloads));
        EngineDiscovery discovery = new EngineDiscovery(env, Path.of(System.getProperty("user.home")),
                Path.of("/").toAbsolutePath().getRoot(), System.getProperty("os.name", ""));
        // Engine pulls are anonymous until the registry's credential chain is adapted to EngineCredentials.
        for (EngineAddress address : discovery.discover()) {
            stores.add(DockerEngineStore.of(address, EngineCredentials.anonymous()));
        }
        return new EndpointCatalog(stores);
    }
}
