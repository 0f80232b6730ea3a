package io.gantry.app;

import io.gantry.core.Platform;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.engine.docker.EngineDiscovery;
import io.gantry.registry.DockerConfigCredentials;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.TransportSettings;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.Settings;
import io.gantry.store.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds the services the GUI and the CLI run on. */
public final class Gantry {

    private static final Logger LOG = LoggerFactory.getLogger(Gantry.class);

    private final AppPaths paths;
    private final Map<String, String> env;

    public Gantry(AppPaths paths, Map<String, String> env) {
        this.paths = paths;
        this.env = Map.copyOf(env);
    }

    public AppPaths paths() {
        return paths;
    }

    /** The embedded store at {@code storeDir}, then every Docker-compatible engine found. */
    public EndpointCatalog openCatalog(Path storeDir) {
        List<ImageStore> stores = new ArrayList<>();
        stores.add(OciLayoutStore.open(storeDir));
        discoveredEngines().forEach(stores::add);
        return new EndpointCatalog(stores);
    }

    /**
     * The desktop's catalog: the embedded store at {@code storeDir} able to pull through
     * {@code registry} (downloads on {@code executor}, for the platform the settings choose), every
     * engine found, then the remote engines the user added in the settings.
     */
    public EndpointCatalog openCatalog(Path storeDir, Settings settings, RegistryClient registry, Executor executor) {
        OciLayoutStore.Options options = OciLayoutStore.Options.defaults()
                .withPulls(new OciLayoutStore.Pulls(registry, executor, OciLayoutStore.Pulls.DEFAULT_PARALLEL_DOWNLOADS));
        Optional<Platform> platform = settings.defaultPlatform().flatMap(Gantry::platform);
        if (platform.isPresent()) {
            options = options.withPlatform(platform.get());
        }
        List<ImageStore> stores = new ArrayList<>();
        stores.add(OciLayoutStore.open(storeDir, options));
        discoveredEngines().forEach(stores::add);
        settings.remoteEngines().forEach(engine -> stores.add(openRemoteEngine(engine)));
        return new EndpointCatalog(stores);
    }

    /** A remote engine from the settings: {@code tcp://host:port}, with TLS when it has a cert dir. */
    public ImageStore openRemoteEngine(Settings.RemoteEngine engine) {
        Optional<EngineAddress.Tls> tls = engine.certPath().filter(path -> !path.isBlank())
                .map(path -> new EngineAddress.Tls(Path.of(path), true));
        EngineAddress address = new EngineAddress(engine.name(), engine.host(), EngineAddress.Source.CONTEXT, false,
                tls, false);
        return DockerEngineStore.of(address, EngineCredentials.anonymous());
    }

    /**
     * The registry client: the user's Docker credentials and certs.d, plus what the settings add:
     * registries allowed over plain HTTP, and custom CA files (copied into Gantry's own certs.d,
     * which is searched first).
     */
    public RegistryClient registryClient(Settings settings) {
        Path home = Path.of(System.getProperty("user.home"));
        Path dockerConfig = DockerConfigCredentials.configDir(env, home);
        TransportSettings defaults = TransportSettings.defaults(dockerConfig);
        List<Path> certsDirs = new ArrayList<>();
        certsDirs.add(trustDirectory(settings.registryCas()));
        certsDirs.addAll(defaults.certsDirectories());
        Set<String> insecure = new HashSet<>(settings.insecureRegistries());
        return RegistryClient.builder().fromDockerConfig(env, home)
                .transport(defaults.withInsecureRegistries(insecure).withCertsDirectories(certsDirs))
                .build();
    }

    /** Gantry's certs.d: {@code <registry>/gantry-ca.crt} for each custom CA in the settings. */
    private Path trustDirectory(Map<String, String> registryCas) {
        Path certsDir = paths.home().resolve("certs.d");
        registryCas.forEach((registry, caFile) -> {
            try {
                Path dir = Files.createDirectories(certsDir.resolve(registry));
                Files.copy(Path.of(caFile), dir.resolve("gantry-ca.crt"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                LOG.warn("the CA file {} for registry {} could not be used: {}", caFile, registry, e.toString());
            }
        });
        return certsDir;
    }

    private List<ImageStore> discoveredEngines() {
        EngineDiscovery discovery = new EngineDiscovery(env, Path.of(System.getProperty("user.home")),
                Path.of("/").toAbsolutePath().getRoot(), System.getProperty("os.name", ""));
        // Engine pulls are anonymous until the registry's credential chain is adapted to EngineCredentials.
        List<ImageStore> stores = new ArrayList<>();
        for (EngineAddress address : discovery.discover()) {
            stores.add(DockerEngineStore.of(address, EngineCredentials.anonymous()));
        }
        return stores;
    }

    private static Optional<Platform> platform(String text) {
        try {
            return Optional.of(Platform.parse(text));
        } catch (RuntimeException e) {
            LOG.warn("default platform '{}' in the settings is not a platform: {}", text, e.getMessage());
            return Optional.empty();
        }
    }
}
