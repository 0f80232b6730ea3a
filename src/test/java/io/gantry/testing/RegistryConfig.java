package io.gantry.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a test registry is configured: anonymous or with htpasswd users, plain HTTP or TLS, or
 * token authentication, plus any other setting of the distribution registry's configuration file.
 *
 * <p>An immutable value: every method returns a changed copy, so a shared default cannot be
 * changed by accident. {@link #render} writes the file the registry reads; it is JSON, which is
 * valid YAML, so the registry's YAML parser reads it and no YAML library is needed.
 *
 * <pre>{@code
 * RegistryConfig.anonymous()
 *     .htpasswd("alice", "secret")                       // basic auth, bcrypt htpasswd file
 *     .set("http.headers.X-Test", List.of("yes"));       // anything else, by dotted path
 * }</pre>
 *
 * See <a href="https://distribution.github.io/distribution/about/configuration/">the registry's
 * configuration reference</a> for the settings.
 */
public final class RegistryConfig {

    /** TLS for the registry's HTTP server: PEM certificate (chain) and key files. */
    public record Tls(Path certificate, Path key) {
    }

    /**
     * Token authentication: clients get a 401 with a {@code Bearer realm=...,service=...} challenge
     * and must present a JWT from {@code realm} signed by a key certified in {@code rootCertBundle}.
     */
    public record TokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
    }

    private final List<Credentials> users;
    private final Optional<Tls> tls;
    private final Optional<TokenAuth> tokenAuth;
    private final Map<String, Object> settings;

    private RegistryConfig(List<Credentials> users, Optional<Tls> tls, Optional<TokenAuth> tokenAuth,
            Map<String, Object> settings) {
        if (!users.isEmpty() && tokenAuth.isPresent()) {
            throw new IllegalArgumentException("a registry has one auth method: htpasswd or token, not both");
        }
        this.users = List.copyOf(users);
        this.tls = tls;
        this.tokenAuth = tokenAuth;
        this.settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** No authentication, plain HTTP, deletes enabled. */
    public static RegistryConfig anonymous() {
        return new RegistryConfig(List.of(), Optional.empty(), Optional.empty(), Map.of());
    }

    /** Adds a user to an htpasswd file and turns on basic authentication. */
    public RegistryConfig htpasswd(String username, String password) {
        List<Credentials> more = new ArrayList<>(users);
        more.add(new Credentials(username, password));
        return new RegistryConfig(more, tls, tokenAuth, settings);
    }

    /**
     * Serves HTTPS with this certificate and key. The harness makes no certificates yet, and its
     * HTTP client and pusher do not trust a test CA yet: a test that uses TLS brings both.
     */
    public RegistryConfig tls(Path certificate, Path key) {
        return new RegistryConfig(users, Optional.of(new Tls(certificate, key)), tokenAuth, settings);
    }

    /**
     * Turns on token authentication against a test token server (which the harness does not
     * provide yet); the registry then answers 401 with a Bearer challenge naming {@code realm}.
     */
    public RegistryConfig tokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
        return new RegistryConfig(users, tls, Optional.of(new TokenAuth(realm, service, issuer, rootCertBundle)),
                settings);
    }

    /**
     * Sets any configuration value by its dotted path, e.g. {@code set("log.level", "debug")}; the
     * value may be a string, number, boolean, list or map. Applied last, so it wins.
     */
    public RegistryConfig set(String dottedPath, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(settings);
        more.put(dottedPath, value);
        return new RegistryConfig(users, tls, tokenAuth, more);
    }

    public List<Credentials> users() {
        return users;
    }

    public Optional<Tls> tls() {
        return tls;
    }

    public Optional<TokenAuth> tokenAuth() {
        return tokenAuth;
    }

    /** The configuration file's content for a registry on {@code port}. */
    String render(int port, Path storageDir, Path htpasswdFile, String httpSecret) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "0.1");
        put(root, "log.level", "info");
        put(root, "log.formatter", "text");
        put(root, "storage.filesystem.rootdirectory", storageDir.toString());
        put(root, "storage.delete.enabled", true);
        put(root, "storage.maintenance.uploadpurging.enabled", false);
        put(root, "http.addr", "127.0.0.1:" + port);
        put(root, "http.secret", httpSecret);
        tls.ifPresent(t -> {
            put(root, "http.tls.certificate", t.certificate().toString());
            put(root, "http.tls.key", t.key().toString());
        });
        if (!users.isEmpty()) {
            put(root, "auth.htpasswd.realm", "gantry-test");
            put(root, "auth.htpasswd.path", htpasswdFile.toString());
        }
        tokenAuth.ifPresent(t -> {
            put(root, "auth.token.realm", t.realm());
            put(root, "auth.token.service", t.service());
            put(root, "auth.token.issuer", t.issuer());
            put(root, "auth.token.rootcertbundle", t.rootCertBundle().toString());
        });
        settings.forEach((path, value) -> put(root, path, value));
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a registry setting cannot be written as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String dottedPath, Object value) {
        String[] keys = dottedPath.split("\\.");
        Map<String, Object> node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            Object child = node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map)) {
                throw new IllegalArgumentException(dottedPath + ": " + keys[i] + " is already a value");
            }
            node = (Map<String, Object>) child;
        }
        node.put(keys[keys.length - 1], value);
    }

    @Override
    public String toString() {
        return "RegistryConfig[users=" + users + ", tls=" + tls.isPresent() + ", token=" + tokenAuth.isPresent()
                + ", settings=" + settings.keySet() + "]";
    }
}
