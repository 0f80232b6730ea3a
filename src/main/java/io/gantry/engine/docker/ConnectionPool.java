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

    /** When a deadline last tore a client of this pool down ({@link System#nanoTime}), 0 if never. */
    private volatile long killedAt;

    /** Closes {@code client} (if it is still this pool's, the next call makes a new one). */
    void kill(DockerHttpClient client) {
        killedAt = System.nanoTime();
        current.compareAndSet(client, null);
        closeQuietly(client);
    }

    /** Whether a deadline tore the pool down since {@code nanos}: a request on it failed because another timed out. */
    boolean killedSince(long nanos) {
        long at = killedAt;
        return at != 0 && at - nanos >= 0;
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
