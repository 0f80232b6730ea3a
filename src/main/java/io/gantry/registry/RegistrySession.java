package io.gantry.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What the client learned about one registry: where its API lives (scheme, host, port), the HTTP
 * client with its TLS trust, the auth challenge it answers {@code /v2/} with, and the tokens
 * obtained so far (by scope). Created once per registry by {@link RegistryCaller}'s ping.
 */
final class RegistrySession {

    /** An auth challenge from {@code WWW-Authenticate}: Basic or Bearer with its parameters. */
    record Challenge(String scheme, Map<String, String> params) {

        Challenge {
            params = Map.copyOf(params);
        }

        boolean isBearer() {
            return scheme.equalsIgnoreCase("Bearer");
        }

        boolean isBasic() {
            return scheme.equalsIgnoreCase("Basic");
        }

        Optional<String> param(String name) {
            return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
        }
    }

    /** A bearer token and when to stop using it. */
    record Token(String value, Instant expiresAt) {

        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    private final String registry;
    private final HttpUrl base;
    private final OkHttpClient http;
    private final TlsOnDemand tls;
    private volatile Optional<Challenge> challenge;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    RegistrySession(String registry, HttpUrl base, OkHttpClient http, Optional<Challenge> challenge, TlsOnDemand tls) {
        this.registry = registry;
        this.base = base;
        this.http = http;
        this.tls = tls;
        this.challenge = challenge;
    }

    /** The registry as named in references, e.g. {@code docker.io} or {@code localhost:5000}. */
    String registry() {
        return registry;
    }

    /** The API root, e.g. {@code https://registry-1.docker.io/}; endpoints append {@code v2/…}. */
    HttpUrl base() {
        return base;
    }

    OkHttpClient http() {
        return http;
    }

    /** The client for {@code url}: {@link #http()}, or its TLS variant for an https URL (a token realm, say). */
    OkHttpClient http(HttpUrl url) {
        return tls.forUrl(http, url);
    }

    Optional<Challenge> challenge() {
        return challenge;
    }

    void challenge(Challenge learned) {
        this.challenge = Optional.of(learned);
    }

    Optional<Token> token(String scopeKey) {
        return Optional.ofNullable(tokens.get(scopeKey));
    }

    void token(String scopeKey, Token token) {
        tokens.put(scopeKey, token);
    }

    void forgetToken(String scopeKey) {
        tokens.remove(scopeKey);
    }

    @Override
    public String toString() {
        return "RegistrySession[" + registry + " at " + base + ", challenge=" + challenge.map(Challenge::scheme).orElse("none") + "]";
    }
}
