package io.gantry.store;

import io.gantry.registry.RegistryClient;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What an {@link OciLayoutStore} needs to pull ({@link StoreOptions#pulls()}).
 *
 * @param client            the registry client, asked for on the first pull (building one loads
 *                          the TLS trust store, which a store that only lists need not pay for)
 * @param executor          runs the download workers (a pull uses up to {@code parallelDownloads} of its threads)
 * @param parallelDownloads layers downloaded at once per pull (Docker's default is 3)
 */
public record StorePulls(Supplier<RegistryClient> client, Executor executor, int parallelDownloads) {

    public static final int DEFAULT_PARALLEL_DOWNLOADS = 3;

    /** With a client built already. */
    public StorePulls(RegistryClient client, Executor executor, int parallelDownloads) {
        this(() -> client, executor, parallelDownloads);
    }

    public StorePulls {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(executor, "executor");
        if (parallelDownloads < 1) {
            throw new IllegalArgumentException("parallelDownloads must be at least 1, got " + parallelDownloads);
        }
    }
}
