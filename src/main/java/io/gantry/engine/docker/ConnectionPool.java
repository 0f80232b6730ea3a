package io.gantry.engine.docker;

import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection pool that a deadline may tear down: closing it closes every socket it holds,
 * which is the one way to free a thread blocked reading a unix socket. The next call gets a
 * fresh pool.
 */
final class ConnectionPool {
    private final java.util.function.Supplier<DockerHttpClient> factory;
    private final AtomicReference<DockerHttpClient> current = new AtomicReference<>();

    ConnectionPool(java.util.function.Supplier<DockerHttpClient> factory) {
        this.factory = factory;
    }

    DockerHttpClient get() {
        DockerHttpClient client = current.get();
        while (client == null) {
            DockerHttpClient fresh = factory.get();
            if (current.compareAndSet(null, fresh)) {
                return fresh;
            }
            closeQuietly(fresh);
            client = current.get();
        }
        return client;
    }

    /** Closes {@code client} (if it is still this pool's, the next call makes a new one). */
    void kill(DockerHttpClient client) {
        current.compareAndSet(client, null);
        closeQuietly(client);
    }

    void close() {
        DockerHttpClient client = current.getAndSet(null);
        if (client != null) {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(DockerHttpClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // closing a connection pool; nothing the user can act on
        }
    }

    static DockerHttpClient client(EngineAddress address, Duration connectTimeout, Duration responseTimeout,
                                           int maxConnections) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(address.host()))
                .maxConnections(maxConnections)
                .connectionTimeout(connectTimeout);
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        address.tls().ifPresent(tls -> builder.sslConfig(new LocalDirectorySSLConfig(tls.certDir().toString())));
        return builder.build();
    }
}
