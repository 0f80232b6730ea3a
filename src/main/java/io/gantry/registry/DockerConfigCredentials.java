package io.gantry.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ImageReference;
import io.gantry.registry.WireTemplates.AuthEntryTemplate;
import io.gantry.registry.WireTemplates.DockerConfigTemplate;
import io.gantry.registry.WireTemplates.HelperCredentialTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials from the user's Docker configuration, looked up as the Docker CLI does:
 * <ol>
 *   <li>{@code credHelpers[host]} in {@code config.json}: run {@code docker-credential-<name> get};</li>
 *   <li>else {@code credsStore}: the same with the default helper;</li>
 *   <li>else {@code auths[host]}: base64 {@code auth} ({@code user:password}), or an
 *       {@code identitytoken}.</li>
 * </ol>
 * The config directory is {@code $DOCKER_CONFIG}, else {@code ~/.docker}. Docker Hub's key is
 * {@value ImageReference#DOCKER_HUB_CREDENTIALS_KEY}; {@code auths} keys written as URLs
 * ({@code https://host/v2/}) match their host name. The file is read on every lookup, so a
 * {@code docker login} takes effect without a restart.
 *
 * <p>A helper that is missing, fails or times out is logged (never with its output) and treated as
 * having no credential, so public images still pull; a protected one then fails with
 * {@code UNAUTHORIZED} and the action to log in.
 */
public final class DockerConfigCredentials implements CredentialStore {

    private static final Logger LOG = LoggerFactory.getLogger(DockerConfigCredentials.class);
    private static final String HELPER_PREFIX = "docker-credential-";
    /** Docker Hub's other names, which older tools used as keys. */
    private static final List<String> HUB_KEYS = List.of(ImageReference.DOCKER_HUB_CREDENTIALS_KEY,
            "index.docker.io", "docker.io", "registry-1.docker.io", "https://index.docker.io/v1");

    private final Path configDir;
    private final ProcessRunner processRunner;
    private final Duration helperTimeout;

    /** The JSON mapper, built when a config file or a helper's answer is first read (a holder class: lazily, once). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /**
     * @param configDir     the Docker config directory (holding {@code config.json})
     * @param processRunner runs credential helpers
     * @param helperTimeout how long a helper may take
     */
    public DockerConfigCredentials(Path configDir, ProcessRunner processRunner, Duration helperTimeout) {
        this.configDir = configDir;
        this.processRunner = processRunner;
        this.helperTimeout = helperTimeout;
    }

    /**
     * The Docker config directory: {@code $DOCKER_CONFIG} when set, else {@code <home>/.docker}.
     */
    public static Path configDir(Map<String, String> environment, Path home) {
        String override = environment.get("DOCKER_CONFIG");
        return override == null || override.isBlank() ? home.resolve(".docker") : Path.of(override);
    }

    public Path configDir() {
        return configDir;
    }

    @Override
    public Optional<Credential> credentialFor(String registry) {
        Optional<DockerConfigTemplate> config = readConfig();
        if (config.isEmpty()) {
            return Optional.empty();
        }
        DockerConfigTemplate c = config.get();
        List<String> keys = registry.equals(ImageReference.DOCKER_HUB) ? HUB_KEYS : List.of(registry);
        if (c.credHelpers() != null) {
            for (String key : keys) {
                String helper = c.credHelpers().get(key);
                if (helper != null && !helper.isBlank()) {
                    Optional<Credential> found = fromHelper(helper, serverAddress(registry));
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        if (c.credsStore() != null && !c.credsStore().isBlank()) {
            Optional<Credential> found = fromHelper(c.credsStore(), serverAddress(registry));
            if (found.isPresent()) {
                return found;
            }
        }
        return fromAuths(c.auths(), keys);
    }

    /**
     * The registries the config names: the keys of {@code auths} and {@code credHelpers}, and what
     * the {@code credsStore} helper lists ({@code docker-credential-<name> list}, with the same
     * timeout); Docker Hub's keys as {@code docker.io}. A helper that cannot list is logged and left out.
     */
    @Override
    public List<String> registries() {
        Optional<DockerConfigTemplate> config = readConfig();
        if (config.isEmpty()) {
            return List.of();
        }
        java.util.SortedSet<String> hosts = new java.util.TreeSet<>();
        DockerConfigTemplate c = config.get();
        if (c.auths() != null) {
            c.auths().keySet().forEach(key -> hosts.add(registryOf(key)));
        }
        if (c.credHelpers() != null) {
            c.credHelpers().keySet().forEach(key -> hosts.add(registryOf(key)));
        }
        if (c.credsStore() != null && !c.credsStore().isBlank()) {
            listFromHelper(c.credsStore()).forEach(key -> hosts.add(registryOf(key)));
        }
        hosts.remove("");
        return List.copyOf(hosts);
    }

    /** A config key as a registry name: its host, Docker Hub's keys as {@code docker.io}. */
    private static String registryOf(String key) {
        String host = hostOf(key.trim()).toLowerCase(Locale.ROOT);
        return HUB_KEYS.stream().anyMatch(hub -> hostOf(hub).equals(host)) ? ImageReference.DOCKER_HUB : host;
    }

    /** The server URLs {@code docker-credential-<helper> list} prints (a JSON object: URL → user name). */
    private List<String> listFromHelper(String helper) {
        String program = HELPER_PREFIX + helper;
        try {
            ProcessRunner.Result result = processRunner.run(List.of(program, "list"), "", helperTimeout);
            if (result.exitCode() != 0) {
                LOG.warn("Credential helper {} could not list its logins: exit code {}", program, result.exitCode());
                return List.of();
            }
            Map<?, ?> listed = Json.MAPPER.readValue(result.stdout(), Map.class);
            return listed == null ? List.of() : listed.keySet().stream().map(String::valueOf).toList();
        } catch (IOException e) {
            LOG.warn("Credential helper {} could not list its logins: {}", program, e.getClass().getSimpleName());
            return List.of();
        }
    }

    /** What Docker passes to a helper for this registry. */
    private static String serverAddress(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB) ? ImageReference.DOCKER_HUB_CREDENTIALS_KEY : registry;
    }

    private Optional<DockerConfigTemplate> readConfig() {
        Path file = configDir.resolve("config.json");
        try {
            return Optional.ofNullable(Json.MAPPER.readValue(Files.readAllBytes(file), DockerConfigTemplate.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable Docker config {}: {}", file, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private Optional<Credential> fromHelper(String helper, String serverAddress) {
        String program = HELPER_PREFIX + helper;
        ProcessRunner.Result result;
        try {
            result = processRunner.run(List.of(program, "get"), serverAddress, helperTimeout);
        } catch (IOException e) {
            LOG.warn("Credential helper {} could not run for {}: {}", program, serverAddress, e.getMessage());
            return Optional.empty();
        }
        if (result.exitCode() != 0) {
            if (!result.stdout().toLowerCase(Locale.ROOT).contains("credentials not found")) {
                LOG.warn("Credential helper {} failed for {} with exit code {}", program, serverAddress,
                        result.exitCode());
            }
            return Optional.empty();
        }
        try {
            HelperCredentialTemplate answer = Json.MAPPER.readValue(result.stdout(), HelperCredentialTemplate.class);
            if (answer == null || answer.secret() == null || answer.secret().isEmpty()) {
                return Optional.empty();
            }
            String username = answer.username() == null ? "" : answer.username();
            if (username.equals("<token>")) {
                return Optional.of(Credential.identity("", answer.secret()));
            }
            return Optional.of(Credential.basic(username, answer.secret()));
        } catch (IOException e) {
            LOG.warn("Credential helper {} printed something that is not a credential for {}", program, serverAddress);
            return Optional.empty();
        }
    }

    private static Optional<Credential> fromAuths(Map<String, AuthEntryTemplate> auths, List<String> keys) {
        if (auths == null) {
            return Optional.empty();
        }
        for (String key : keys) {
            AuthEntryTemplate exact = auths.get(key);
            if (exact != null) {
                return decode(exact);
            }
        }
        for (Map.Entry<String, AuthEntryTemplate> entry : auths.entrySet()) {
            String host = hostOf(entry.getKey());
            if (keys.stream().anyMatch(k -> hostOf(k).equals(host))) {
                return decode(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@code https://host:5000/v2/} → {@code host:5000} (Docker's {@code ConvertToHostname}). */
    static String hostOf(String key) {
        String rest = key;
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            rest = rest.substring(scheme + 3);
        }
        int slash = rest.indexOf('/');
        return slash >= 0 ? rest.substring(0, slash) : rest;
    }

    private static Optional<Credential> decode(AuthEntryTemplate entry) {
        if (entry.identitytoken() != null && !entry.identitytoken().isEmpty()) {
            return Optional.of(Credential.identity(username(entry), entry.identitytoken()));
        }
        if (entry.auth() != null && !entry.auth().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(entry.auth().trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring an auths entry whose auth field is not base64");
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                LOG.warn("Ignoring an auths entry whose auth field is not user:password");
                return Optional.empty();
            }
            return Optional.of(Credential.basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        if (entry.username() != null && entry.password() != null) {
            return Optional.of(Credential.basic(entry.username(), entry.password()));
        }
        return Optional.empty();
    }

    private static String username(AuthEntryTemplate entry) {
        if (entry.username() != null) {
            return entry.username();
        }
        if (entry.auth() != null) {
            try {
                String decoded = new String(Base64.getDecoder().decode(entry.auth().trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon >= 0 ? decoded.substring(0, colon) : "";
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "";
    }
}
