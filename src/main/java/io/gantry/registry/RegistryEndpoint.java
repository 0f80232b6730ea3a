package io.gantry.registry;

import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One registry operation as {@link RegistryCaller} runs it (Jib's
 * {@code RegistryEndpointProvider}): what to send, which token scopes it needs, and what to make
 * of a successful answer. Errors are not its business: the caller turns every status it does not
 * {@linkplain #handles(int) handle} into a {@link io.gantry.core.GantryException}.
 *
 * @param <T> what the operation returns
 */
interface RegistryEndpoint<T> {

    /** What is being done, for errors and logs, e.g. "pull manifest localhost:5000/app:1". */
    String description();

    /**
     * The request, without {@code Authorization}; called again for each attempt, so it may depend
     * on progress (a {@code Range} header when resuming).
     *
     * @param base the registry's API root, e.g. {@code https://host/}
     */
    Request request(HttpUrl base);

    /** The token scopes the request needs. */
    List<Scope> scopes();

    /** Whether the request may be sent again after a dropped connection or a 429/5xx. */
    default boolean idempotent() {
        return true;
    }

    /** Whether the request may run long (a blob transfer): then only the read timeout applies. */
    default boolean streaming() {
        return false;
    }

    /** Whether {@link #handle} deals with this status; by default any 2xx. */
    default boolean handles(int status) {
        return status >= 200 && status < 300;
    }

    /**
     * Makes the result from a response whose status this endpoint {@linkplain #handles handles}.
     * An {@link IOException} (a dropped connection mid-body) lets the caller retry.
     */
    T handle(Response response) throws IOException;
}
