package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A private CNCF distribution registry ({@code docker-registry serve}) on a free loopback port, with
 * its storage in a temporary directory, deletes enabled, and the authentication its
 * {@link RegistryConfig} asks for.
 *
 * <p>{@link #start} returns once {@code GET /v2/} answers (200, or 401 when authentication is on).
 * {@link #close()} stops the process and removes the storage; the log stays in
 * {@code target/peer-logs}. Tests normally get one from {@link RegistryExtension} rather than
 * starting it themselves.
 */
public final class RegistryPeer implements Peer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int BIND_ATTEMPTS = 3;

    private final RegistryConfig config;
    private final Path dir;
    private final int port;
    private final PeerProcess process;
    private final OkHttpClient http;

    private RegistryPeer(RegistryConfig config, Path dir, int port, PeerProcess process, OkHttpClient http) {
        this.config = config;
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.http = http;
    }

    /** Starts an anonymous registry. */
    public static RegistryPeer start() {
        return start(RegistryConfig.anonymous(), ToolFinder.fromEnvironment());
    }

    /** Starts a registry configured by {@code config}; {@code tools} finds {@code docker-registry}. */
    public static RegistryPeer start(RegistryConfig config, ToolFinder tools) {
        Path binary = tools.require(RequiredTool.DOCKER_REGISTRY);
        Path dir = PeerFiles.newTempDir("gantry-registry-");
        try {
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, config.users().stream().map(Htpasswd::line)
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.createDirectories(dir.resolve("storage"));
            OkHttpClient http = new OkHttpClient.Builder().proxy(Proxy.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(60)).build();
            Path logFile = PeerFiles.newLogFile("registry");
            for (int attempt = 1; ; attempt++) {
                int port = FreePort.onLoopback();
                Path configFile = dir.resolve("config.yml");
                Files.writeString(configFile, config.render(port, dir.resolve("storage"), htpasswd, randomSecret()));
                PeerProcess process = PeerProcess.start(List.of(binary.toString(), "serve", configFile.toString()),
                        Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), dir, logFile);
                long started = System.nanoTime();
                RegistryPeer peer = new RegistryPeer(config, dir, port, process, http);
                if (peer.awaitReady()) {
                    process.note("ready in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                    return peer;
                }
                process.stop(Duration.ofSeconds(5));
                boolean portTaken = LogTail.of(logFile, 20).contains("address already in use");
                if (!portTaken || attempt == BIND_ATTEMPTS) {
                    PeerFiles.deleteRecursively(dir);
                    throw new IllegalStateException("the test registry did not start (config " + config + ")\n"
                            + LogTail.framed(peer, 40));
                }
            }
        } catch (IOException e) {
            PeerFiles.deleteRecursively(dir);
            throw new UncheckedIOException("cannot prepare the test registry in " + dir, e);
        }
    }

    /** Polls {@code GET /v2/} until it answers 200 or 401; false when the process dies or time runs out. */
    private boolean awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Request ping = new Request.Builder().url(baseUrl() + "/v2/").build();
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (Response response = http.newCall(ping).execute()) {
                if (response.code() == 200 || response.code() == 401) {
                    return true;
                }
            } catch (javax.net.ssl.SSLException listeningWithTls) {
                // The server speaks TLS with a certificate this client does not trust (yet): it is up.
                return true;
            } catch (IOException notYetListening) {
                // keep polling
            }
            sleep(Duration.ofMillis(50));
        }
        return false;
    }

    /** {@code http://127.0.0.1:PORT} (or {@code https://} with TLS), without a trailing slash. */
    public String baseUrl() {
        return (config.tls().isPresent() ? "https://" : "http://") + hostPort();
    }

    /** {@code 127.0.0.1:PORT}: the registry part of an image reference. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** An image reference in this registry, e.g. {@code 127.0.0.1:PORT/repo:tag}. */
    public String reference(String repository, String tag) {
        return hostPort() + "/" + repository + ":" + tag;
    }

    /** The first htpasswd user, when authentication is on. */
    public Optional<Credentials> credentials() {
        return config.users().stream().findFirst();
    }

    public RegistryConfig config() {
        return config;
    }

    /** Where the registry keeps blobs and repositories ({@code docker/registry/v2/...}). */
    public Path storageDir() {
        return dir.resolve("storage");
    }

    /**
     * An HTTP client for this registry: no proxy, short connect timeout. Shared; do not shut it
     * down. It does not trust a test CA yet, so with {@link RegistryConfig#tls} it cannot talk
     * HTTPS to the registry.
     */
    public OkHttpClient http() {
        return http;
    }

    /** A pusher for fixture images, logged in as {@link #credentials()} when there are any. */
    public RegistryPusher pusher() {
        return new RegistryPusher(http, baseUrl(), credentials());
    }

    /** The registry's process id (benchmarks read its CPU time from {@code /proc}). */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public String name() {
        return "registry " + hostPort();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
        PeerFiles.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return name();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
