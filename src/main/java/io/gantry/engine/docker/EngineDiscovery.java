package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Docker-compatible engines this user can reach, the way the docker CLI and Podman find
 * theirs:
 * <ol>
 *   <li>{@code DOCKER_HOST}, with TLS from {@code DOCKER_TLS_VERIFY}/{@code DOCKER_TLS} and
 *       {@code DOCKER_CERT_PATH} (default: the Docker config directory);</li>
 *   <li>docker contexts: {@code contexts/meta/<sha256(name)>/meta.json} under the Docker config
 *       directory ({@code DOCKER_CONFIG}, else {@code ~/.docker}), the current one
 *       ({@code DOCKER_CONTEXT}, else {@code currentContext} in {@code config.json}) first, with TLS
 *       material from {@code contexts/tls/<sha256(name)>/docker};</li>
 *   <li>Docker Desktop's per-user socket {@code ~/.docker/run/docker.sock};</li>
 *   <li>the default socket {@code /var/run/docker.sock}, and rootless Docker's
 *       {@code $XDG_RUNTIME_DIR/docker.sock};</li>
 *   <li>Podman: {@code $XDG_RUNTIME_DIR/podman/podman.sock} (user) and {@code /run/podman/podman.sock} (root);</li>
 *   <li>on Windows, the named pipe {@code npipe:////./pipe/docker_engine}.</li>
 * </ol>
 * Unix sockets are listed only when they exist; whether an engine answers is for the caller to
 * find out. The same host found twice is listed once, under the first name found. Exactly one
 * address is marked {@linkplain EngineAddress#current() current}: the one {@code docker} would use.
 *
 * <p>Everything it reads is injected: the environment, the home directory, the root that absolute
 * paths such as {@code /var/run/docker.sock} are resolved under, and the operating system name.
 */
public final class EngineDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(EngineDiscovery.class);
    static final String DEFAULT_CONTEXT = "default";
    static final String WINDOWS_PIPE = "npipe:////./pipe/docker_engine";

    private final Map<String, String> env;
    private final Path home;
    private final Path root;
    private final boolean windows;
    /** Built when a Docker config or context file is there to read (most commands find none). */
    private ObjectMapper json;

    /**
     * @param env    the process environment
     * @param home   the user's home directory
     * @param root   the file system root that absolute engine paths are resolved under ("/" in production)
     * @param osName the {@code os.name} system property
     */
    public EngineDiscovery(Map<String, String> env, Path home, Path root, String osName) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.root = root;
        this.windows = osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The Docker config directory: {@code DOCKER_CONFIG}, else {@code ~/.docker}. */
    public Path configDir() {
        String configured = env("DOCKER_CONFIG");
        return configured.isEmpty() ? home.resolve(".docker") : Path.of(configured);
    }

    /** Each engine address, in the order a user expects to see them, without duplicates. */
    public List<EngineAddress> discover() {
        String currentContext = currentContextName();
        List<EngineAddress> found = new ArrayList<>();
        Set<String> hosts = new HashSet<>();

        String dockerHost = env("DOCKER_HOST");
        boolean defaultIsCurrent = DEFAULT_CONTEXT.equals(currentContext);
        if (!dockerHost.isEmpty()) {
            add(found, hosts, new EngineAddress("DOCKER_HOST", dockerHost, EngineAddress.Source.DOCKER_HOST,
                    looksLikePodman(dockerHost), tlsFromEnv(dockerHost), defaultIsCurrent));
        }
        for (DockerContext context : contexts(currentContext)) {
            add(found, hosts, new EngineAddress("docker (context " + context.name() + ")", context.host(),
                    EngineAddress.Source.CONTEXT, looksLikePodman(context.host()), context.tls(),
                    context.name().equals(currentContext)));
        }
        addSocket(found, hosts, "Docker Desktop", home.resolve(".docker/run/docker.sock"),
                EngineAddress.Source.DOCKER_DESKTOP, false, false);
        if (windows) {
            add(found, hosts, new EngineAddress("docker", WINDOWS_PIPE, EngineAddress.Source.NAMED_PIPE, false,
                    Optional.empty(), defaultIsCurrent && dockerHost.isEmpty()));
        } else {
            addSocket(found, hosts, "docker", absolute("/var/run/docker.sock"),
                    EngineAddress.Source.DEFAULT_SOCKET, false, defaultIsCurrent && dockerHost.isEmpty());
        }
        String runtimeDir = env("XDG_RUNTIME_DIR");
        if (!runtimeDir.isEmpty()) {
            addSocket(found, hosts, "docker (rootless)", Path.of(runtimeDir, "docker.sock"),
                    EngineAddress.Source.ROOTLESS_DOCKER, false, false);
            addSocket(found, hosts, "podman (user)", Path.of(runtimeDir, "podman", "podman.sock"),
                    EngineAddress.Source.PODMAN_USER, true, false);
        }
        if (!windows) {
            addSocket(found, hosts, "podman (root)", absolute("/run/podman/podman.sock"),
                    EngineAddress.Source.PODMAN_ROOT, true, false);
        }
        return found;
    }

    /**
     * The context the docker CLI would use: "default" when {@code DOCKER_HOST} is set, else
     * {@code DOCKER_CONTEXT}, else {@code currentContext} from {@code config.json}, else "default".
     */
    String currentContextName() {
        if (!env("DOCKER_HOST").isEmpty()) {
            return DEFAULT_CONTEXT;
        }
        String fromEnv = env("DOCKER_CONTEXT");
        if (!fromEnv.isEmpty()) {
            return fromEnv;
        }
        Path config = configDir().resolve("config.json");
        if (Files.isRegularFile(config)) {
            try {
                String name = json().readTree(config.toFile()).path("currentContext").asText("");
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", config, io.gantry.core.IoProblem.describe(e));
            }
        }
        return DEFAULT_CONTEXT;
    }

    private ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper();
        }
        return json;
    }

    /** A docker context with a Docker endpoint: its name, host and TLS material. */
    record DockerContext(String name, String host, Optional<EngineAddress.Tls> tls) {
    }

    /** Every context in the context store, the current one first, then by name. */
    List<DockerContext> contexts(String currentContext) {
        Path metaRoot = configDir().resolve("contexts").resolve("meta");
        List<DockerContext> contexts = new ArrayList<>();
        if (!Files.isDirectory(metaRoot)) {
            return contexts;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(metaRoot)) {
            for (Path dir : dirs) {
                readContext(dir).ifPresent(contexts::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot list docker contexts in {}: {}", metaRoot, io.gantry.core.IoProblem.describe(e));
        }
        contexts.sort(Comparator.comparing((DockerContext c) -> !c.name().equals(currentContext))
                .thenComparing(DockerContext::name));
        return contexts;
    }

    private Optional<DockerContext> readContext(Path dir) {
        Path meta = dir.resolve("meta.json");
        try {
            JsonNode node = json().readTree(meta.toFile());
            String name = node.path("Name").asText("");
            JsonNode docker = node.path("Endpoints").path("docker");
            String host = docker.path("Host").asText("");
            if (name.isEmpty() || host.isEmpty()) {
                return Optional.empty();
            }
            if (!dir.getFileName().toString().equals(Digest.sha256(name).hex())) {
                LOG.warn("ignoring docker context {}: its directory is not sha256 of its name", meta);
                return Optional.empty();
            }
            Path tlsDir = configDir().resolve("contexts").resolve("tls").resolve(Digest.sha256(name).hex())
                    .resolve("docker");
            Optional<EngineAddress.Tls> tls = host.startsWith("tcp://") && Files.isDirectory(tlsDir)
                    ? Optional.of(new EngineAddress.Tls(tlsDir, !docker.path("SkipTLSVerify").asBoolean(false)))
                    : Optional.empty();
            return Optional.of(new DockerContext(name, host, tls));
        } catch (IOException e) {
            LOG.warn("cannot read docker context {}: {}", meta, io.gantry.core.IoProblem.describe(e));
            return Optional.empty();
        }
    }

    private Optional<EngineAddress.Tls> tlsFromEnv(String host) {
        boolean verify = !env("DOCKER_TLS_VERIFY").isEmpty();
        boolean tls = verify || !env("DOCKER_TLS").isEmpty();
        if (!tls || !host.startsWith("tcp://")) {
            return Optional.empty();
        }
        String certPath = env("DOCKER_CERT_PATH");
        return Optional.of(new EngineAddress.Tls(certPath.isEmpty() ? configDir() : Path.of(certPath), verify));
    }

    /**
     * Whether a host names a Podman socket by its path, as Podman's own documentation sets
     * {@code DOCKER_HOST}: {@code unix:///run/user/1000/podman/podman.sock}, {@code
     * /run/podman/podman.sock}, a Podman machine's {@code …/podman-machine-default-api.sock} (macOS)
     * or {@code npipe:////./pipe/podman-machine-default} (Windows). An engine behind any other
     * address is recognised when first asked ({@code /version} names a "Podman Engine").
     */
    static boolean looksLikePodman(String host) {
        return host.toLowerCase(Locale.ROOT).contains("podman");
    }

    private Path absolute(String path) {
        return root.resolve(path.substring(1));
    }

    private static void addSocket(List<EngineAddress> found, Set<String> hosts, String name, Path socket,
                                  EngineAddress.Source source, boolean podman, boolean current) {
        if (Files.exists(socket)) {
            add(found, hosts, new EngineAddress(name, "unix://" + socket, source, podman, Optional.empty(), current));
        }
    }

    private static void add(List<EngineAddress> found, Set<String> hosts, EngineAddress address) {
        if (hosts.add(normalize(address.host()))) {
            found.add(address);
        } else if (address.current()) {
            // the same engine under an earlier name: that entry is the current one
            for (int i = 0; i < found.size(); i++) {
                EngineAddress earlier = found.get(i);
                if (normalize(earlier.host()).equals(normalize(address.host()))) {
                    found.set(i, new EngineAddress(earlier.name(), earlier.host(), earlier.source(), earlier.podman(),
                            earlier.tls(), true));
                }
            }
        }
    }

    /** {@code unix:///run/docker.sock} and {@code unix:///var/run/docker.sock} stay distinct; case and a trailing slash do not. */
    private static String normalize(String host) {
        String h = host.trim();
        while (h.endsWith("/")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private String env(String name) {
        String value = env.get(name);
        return value == null ? "" : value.trim();
    }
}
