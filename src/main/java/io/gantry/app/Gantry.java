package io.gantry.app;

import io.gantry.store.StorePulls;
import io.gantry.store.StoreOptions;
import io.gantry.core.Platform;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.containerd.ContainerdDiscovery;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.engine.docker.EngineDiscovery;
import io.gantry.registry.DockerConfigCredentials;
import io.gantry.registry.SystemProcessRunner;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.TransportSettings;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.PullService;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.settings.Settings;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the services the GUI and the CLI run on. Owns the registry client
 * (one per process, from the user's Docker config plus the settings' insecure registries and
 * custom CAs) and the download threads (daemon threads, so they never keep the JVM alive).
 */
public final class Gantry {

    /** A logger fetched when needed: the first one waits for Logback's set-up, which Main overlaps with other work. */
    private static Logger log() {
        return LoggerFactory.getLogger(Gantry.class);
    }

    private final AppPaths paths;
    private final Map<String, String> env;
    private final Object registryClientLock = new Object();
    private RegistryClient registryClient;
    private ExecutorService downloads;

    public Gantry(AppPaths paths, Map<String, String> env) {
        this.paths = paths;
        this.env = Map.copyOf(env);
    }

    /** The Kubernetes clusters of the user's kubeconfig ({@code KUBECONFIG}, else {@code ~/.kube/config}). */
    public io.gantry.engine.cluster.Clusters clusters() {
        return new io.gantry.engine.cluster.fabric8.Fabric8Clusters(env, Path.of(System.getProperty("user.home")));
    }

    /** The user's registry logins, as engines and pull secrets get them. */
    public EngineCredentials registryLogins() {
        return engineLogins();
    }

    /**
     * The check of a pod's image at its registry: a registry client with the user's transport
     * settings (CAs, plain-HTTP registries) and the pod's logins instead of the user's.
     */
    public io.gantry.service.PodRegistryCheck podRegistryCheck() {
        return new io.gantry.service.PodRegistryCheck(credentials -> RegistryClient.builder()
                .transport(transport(settingsStore().load())).credentials(credentials).build());
    }

    /**
     * The CRIs of the containerd sockets on this machine, matched to a cluster's nodes by
     * {@link io.gantry.service.NodeCris#RULE}; opened when first asked, closed with it.
     */
    public io.gantry.service.NodeCris nodeCris() {
        return new io.gantry.service.NodeCris(this::discoveredContainerds, io.gantry.service.NodeCris.thisHostName());
    }

    /** Where the settings are kept. */
    public SettingsStore settingsStore() {
        return new SettingsStore(paths.settings());
    }

    /** The registry client, built on first use from the user's Docker config and the saved settings. */
    public RegistryClient registryClient() {
        synchronized (registryClientLock) { // not this: building it must not hold up downloads() or openStore()
            if (registryClient == null) {
                registryClient = registryClient(settingsStore().load());
            }
            return registryClient;
        }
    }

    /**
     * A registry client for {@code settings}: the user's Docker credentials and certs.d, plus
     * registries allowed over plain HTTP and custom CA files (copied into Gantry's own certs.d,
     * which is searched first). The registries that answered over plain HTTP are noted in
     * {@code $GANTRY_HOME/plain-http-registries}, so the next process connects to them without
     * trying HTTPS first (only those the settings allow plain HTTP).
     */
    public RegistryClient registryClient(Settings settings) {
        return RegistryClient.builder().fromDockerConfig(env, Path.of(System.getProperty("user.home")))
                .transport(transport(settings)).knownPlainHttp(paths.home().resolve("plain-http-registries")).build();
    }

    /** The user's certs.d and Docker's, and the registries allowed over plain HTTP. */
    private TransportSettings transport(Settings settings) {
        Path dockerConfig = DockerConfigCredentials.configDir(env, Path.of(System.getProperty("user.home")));
        TransportSettings defaults = TransportSettings.defaults(dockerConfig);
        List<Path> certsDirs = new ArrayList<>();
        certsDirs.add(trustDirectory(settings.registryCas()));
        certsDirs.addAll(defaults.certsDirectories());
        Set<String> insecure = new HashSet<>(settings.insecureRegistries());
        return defaults.withInsecureRegistries(insecure).withCertsDirectories(certsDirs);
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
        return new PullService();
    }

    /** Manifest lists being drafted, pushed with the registry client. */
    public io.gantry.service.ManifestDrafts manifestDrafts() {
        return new io.gantry.service.ManifestDrafts(paths.manifestDrafts(), this::registryClient);
    }

    public RegistryBrowser registryBrowser() {
        return new RegistryBrowser(registryClient());
    }

    /** The embedded store at {@code storeDir}, pulling {@code parallelDownloads} layers at once. */
    public OciLayoutStore openStore(Path storeDir, int parallelDownloads) {
        return openStore(storeDir, parallelDownloads, Optional.empty());
    }

    /** As {@link #openStore(Path, int)}, pulling for {@code platform} by default (else this machine's). */
    public OciLayoutStore openStore(Path storeDir, int parallelDownloads, Optional<Platform> platform) {
        return openStore(storeDir, parallelDownloads, platform, true);
    }

    /**
     * As {@link #openStore(Path, int, Optional)}; with {@code create} false a directory holding no
     * store is not created ({@code NOT_FOUND}), for reading commands on a {@code --store} path.
     */
    public OciLayoutStore openStore(Path storeDir, int parallelDownloads, Optional<Platform> platform, boolean create) {
        StoreOptions options = StoreOptions.defaults()
                .withPulls(new StorePulls(this::registryClient, downloads(), parallelDownloads));
        options = platform.map(options::withPlatform).orElse(options);
        return create ? OciLayoutStore.open(storeDir, options) : OciLayoutStore.openExisting(storeDir, options);
    }

    /**
     * As {@link #openCatalog(Path, int, boolean)}, with the embedded store opened only when asked
     * for: a command aimed at another endpoint ({@code --endpoint}) then reads no {@code index.json}
     * and builds no JSON mapper for it.
     */
    public EndpointCatalog openCatalogDeferringStore(Path storeDir, int parallelDownloads, boolean create) {
        return EndpointCatalog.deferring(OciLayoutStore.endpointAt(storeDir),
                () -> openStore(storeDir, parallelDownloads, Optional.empty(), create), discoveredEngines());
    }

    /** {@link #openCatalog(Path, int)}, not creating a missing store unless {@code create}. */
    public EndpointCatalog openCatalog(Path storeDir, int parallelDownloads, boolean create) {
        List<ImageStore> stores = new ArrayList<>();
        stores.add(openStore(storeDir, parallelDownloads, Optional.empty(), create));
        stores.addAll(discoveredEngines());
        return new EndpointCatalog(stores);
    }

    public AppPaths paths() {
        return paths;
    }

    /** The embedded store at {@code storeDir}, then every Docker-compatible engine found. */
    public EndpointCatalog openCatalog(Path storeDir) {
        return openCatalog(storeDir, StorePulls.DEFAULT_PARALLEL_DOWNLOADS);
    }

    /** {@link #openCatalog(Path)} with the embedded store pulling {@code parallelDownloads} layers at once. */
    public EndpointCatalog openCatalog(Path storeDir, int parallelDownloads) {
        List<ImageStore> stores = new ArrayList<>();
        stores.add(openStore(storeDir, parallelDownloads));
        stores.addAll(discoveredEngines());
        return new EndpointCatalog(stores);
    }

    /**
     * The desktop's catalog: the embedded store at {@code storeDir} pulling for the settings'
     * default platform, every engine found, then the remote engines the user added in the settings.
     */
    public EndpointCatalog openCatalog(Path storeDir, Settings settings) {
        List<ImageStore> stores = new ArrayList<>();
        stores.add(openStore(storeDir, StorePulls.DEFAULT_PARALLEL_DOWNLOADS,
                settings.defaultPlatform().flatMap(Gantry::platform)));
        stores.addAll(discoveredEngines());
        settings.remoteEngines().forEach(engine -> stores.add(openRemoteEngine(engine)));
        return new EndpointCatalog(stores);
    }

    /**
     * A remote engine from the settings: {@code tcp://host:port}, with TLS when it has a cert dir; or
     * a containerd added by its socket ({@code containerd:///PATH}, or a {@code unix://} path with
     * {@code containerd} in it), shown under the name the user gave.
     */
    public ImageStore openRemoteEngine(Settings.RemoteEngine engine) {
        Optional<Path> containerd = containerdSocket(engine.host());
        if (containerd.isPresent()) {
            return ContainerdStore.open(engine.name(), containerd.get(), ContainerdStore.DEFAULT_NAMESPACE,
                    Optional.of(this::registryClient), engineLogins(), containerdListings());
        }
        Optional<EngineAddress.Tls> tls = engine.certPath().filter(path -> !path.isBlank())
                .map(path -> new EngineAddress.Tls(Path.of(path), true));
        EngineAddress address = new EngineAddress(engine.name(), engine.host(), EngineAddress.Source.CONTEXT, false,
                tls, false);
        return DockerEngineStore.of(address, engineLogins());
    }

    /**
     * Engines pull with the same credentials as the registry client: the user's Docker credential
     * chain, looked up per pull (helpers run then, with a timeout), never cached here.
     */
    private EngineCredentials engineLogins() {
        Path dockerConfig = DockerConfigCredentials.configDir(env, Path.of(System.getProperty("user.home")));
        return new EngineLogins(new DockerConfigCredentials(dockerConfig, new SystemProcessRunner(env),
                Duration.ofSeconds(10)));
    }

    /** Where containerd endpoints keep what their listings learn of each image (a file per socket and namespace). */
    private Optional<Path> containerdListings() {
        return Optional.of(paths.home().resolve("containerd-listings"));
    }

    /** Gantry's certs.d: {@code <registry>/gantry-ca.crt} for each custom CA in the settings. */
    private Path trustDirectory(Map<String, String> registryCas) {
        Path certsDir = paths.home().resolve("certs.d");
        registryCas.forEach((registry, caFile) -> {
            try {
                Path dir = Files.createDirectories(certsDir.resolve(registry));
                Files.copy(Path.of(caFile), dir.resolve("gantry-ca.crt"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                log().warn("the CA file {} for registry {} could not be used: {}", caFile, registry, io.gantry.core.IoProblem.describe(e));
            }
        });
        return certsDir;
    }

    /**
     * An endpoint at an address discovery did not find ({@code --endpoint ADDRESS}): a containerd
     * when the address says so ({@code containerd://PATH}, or a socket path with {@code containerd}
     * in it), else a Docker-compatible engine.
     */
    public ImageStore openAddress(String host) {
        Optional<Path> containerd = containerdSocket(host);
        if (containerd.isPresent()) {
            return ContainerdStore.open("containerd", containerd.get(), ContainerdStore.DEFAULT_NAMESPACE,
                    Optional.of(this::registryClient), engineLogins(), containerdListings());
        }
        return openRemoteEngine(new Settings.RemoteEngine(host, host, Optional.empty()));
    }

    /** The socket of a containerd address: {@code containerd://PATH}, or a socket path with {@code containerd} in it. */
    static Optional<Path> containerdSocket(String host) {
        String path = host.startsWith("containerd://") ? host.substring("containerd://".length())
                : host.startsWith("unix://") ? host.substring("unix://".length()) : host;
        return host.startsWith("containerd://") || (path.startsWith("/") && path.contains("containerd"))
                ? Optional.of(Path.of(path)) : Optional.empty();
    }

    /** Every containerd socket found (CONTAINERD_ADDRESS, /run/containerd, k3s, colima, lima…), no I/O. */
    private List<ImageStore> discoveredContainerds() {
        ContainerdDiscovery discovery = new ContainerdDiscovery(env, Path.of(System.getProperty("user.home")),
                Path.of("/").toAbsolutePath().getRoot());
        List<ImageStore> stores = new ArrayList<>();
        EngineCredentials logins = engineLogins();
        for (ContainerdDiscovery.Found found : discovery.discover()) {
            stores.add(ContainerdStore.open(found.name(), found.socket(), found.namespace(),
                    Optional.of(this::registryClient), logins, containerdListings()));
        }
        return stores;
    }

    private List<ImageStore> discoveredEngines() {
        EngineDiscovery discovery = new EngineDiscovery(env, Path.of(System.getProperty("user.home")),
                Path.of("/").toAbsolutePath().getRoot(), System.getProperty("os.name", ""));
        EngineCredentials logins = engineLogins();
        List<ImageStore> stores = new ArrayList<>();
        for (EngineAddress address : discovery.discover()) {
            stores.add(DockerEngineStore.of(address, logins));
        }
        stores.addAll(discoveredContainerds());
        return stores;
    }

    private static Optional<Platform> platform(String text) {
        try {
            return Optional.of(Platform.parse(text));
        } catch (RuntimeException e) {
            log().warn("default platform '{}' in the settings is not a platform: {}", text, e.getMessage());
            return Optional.empty();
        }
    }
}
