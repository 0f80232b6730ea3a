package io.gantry.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * OkHttp builds the platform's trust store and a TLS context as soon as a client that may speak
 * TLS is built (about a tenth of a second of CPU in a cold JVM), even when the client only ever
 * talks plain HTTP to a registry on loopback. So the registry client's own OkHttp client is built
 * for cleartext only, and this makes the TLS-capable variant of such a client when the first
 * {@code https} URL is called; the variant shares the client's connection pool and dispatcher.
 * A client that can already speak TLS (one the caller brought, or one with a registry's own CA) is
 * used as it is.
 */
final class TlsOnDemand {

    /** OkHttp's default connection specs: modern TLS, then cleartext. */
    static final List<ConnectionSpec> TLS_AND_CLEARTEXT = List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT);

    private final Map<OkHttpClient, OkHttpClient> withTls = new ConcurrentHashMap<>();

    /** A builder's client that speaks plain HTTP only, so building it sets up no TLS. */
    static OkHttpClient.Builder cleartextOnly(OkHttpClient.Builder builder) {
        return builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    }

    /** {@code client} trusting {@code trustManager} for TLS (a registry's own CA), cleartext still allowed. */
    static OkHttpClient withTrust(OkHttpClient client, SSLSocketFactory socketFactory, X509TrustManager trustManager) {
        return client.newBuilder().connectionSpecs(TLS_AND_CLEARTEXT).sslSocketFactory(socketFactory, trustManager)
                .build();
    }

    /** The client to call {@code url} with: {@code client} itself, or for an https URL its TLS variant when it has none. */
    OkHttpClient forUrl(OkHttpClient client, HttpUrl url) {
        if (!url.isHttps() || speaksTls(client)) {
            return client;
        }
        return withTls.computeIfAbsent(client, c -> c.newBuilder().connectionSpecs(TLS_AND_CLEARTEXT).build());
    }

    /** Whether a TLS variant has been built (for tests: a plain-HTTP registry needs none). */
    boolean builtAny() {
        return !withTls.isEmpty();
    }

    private static boolean speaksTls(OkHttpClient client) {
        return client.connectionSpecs().stream().anyMatch(ConnectionSpec::isTls);
    }
}
