package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The one caller of a Docker-compatible engine's HTTP API: it alone negotiates the API version,
 * sends requests through docker-java's zerodep transport (unix socket, tcp, TLS, Windows named
 * pipe) and maps transport failures and HTTP statuses to {@link GantryException}s.
 *
 * <p>No call is without a bound (a hostile or hung peer must not hold Gantry): every request has a
 * deadline enforced by a watchdog that closes the connection pool the request is stuck on (docker-java's
 * unix sockets ignore socket read timeouts, and a peer dripping a byte a second defeats them on
 * TCP too). Reads ({@link Speed#QUICK}) must be answered, body included, within the read deadline;
 * deletes and prunes ({@link Speed#SLOW}) within the slow one. Streams get their own connection:
 * their headers must come within the read deadline, then a pull or export ({@link Speed#STREAM})
 * fails after the idle timeout without a byte, and an event stream ({@link Speed#FOLLOW}, quiet
 * for hours when nothing happens) has no idle bound. Bodies read into memory are capped at
 * {@link #MAX_JSON_BODY} bytes, error bodies at {@link #MAX_ERROR_BODY}, and one message of a JSON
 * stream at {@link #MAX_STREAM_MESSAGE}.
 */
final class EngineApi implements AutoCloseable {

    /** The newest Engine API version Gantry has been written against; newer engines are spoken to in it. */
    static final String MAX_API_VERSION = "1.45";
    /** The oldest Engine API version Gantry accepts (Docker 17.09). */
    static final String MIN_API_VERSION = "1.32";

    /** The largest JSON body read into memory (an image listing of thousands of images is a few MB). */
    static final long MAX_JSON_BODY = 64L * 1024 * 1024;
    /** The largest error body read. */
    static final int MAX_ERROR_BODY = 64 * 1024;
    /** The largest single message of a JSON stream (pull progress, events). */
    static final long MAX_STREAM_MESSAGE = 4L * 1024 * 1024;

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
            .startsWith("windows");
    private static final Pattern SAFE_PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._:/@+-]+");

    private final EngineAddress address;
    private final ObjectMapper json;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration slowTimeout;
    private final Duration idleTimeout;
    private final ConnectionPool quick;
    private final ConnectionPool slow;
    private final AtomicReference<String> negotiated = new AtomicReference<>();

    EngineApi(EngineAddress address, ObjectMapper json, Duration connectTimeout, Duration readTimeout,
              Duration slowTimeout, Duration idleTimeout) {
        this.address = address;
        this.json = json;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.slowTimeout = slowTimeout;
        this.idleTimeout = idleTimeout;
        this.quick = new ConnectionPool(() -> ConnectionPool.client(address, connectTimeout, readTimeout, 8));
        this.slow = new ConnectionPool(() -> ConnectionPool.client(address, connectTimeout, slowTimeout, 8));
    }

    /**
     * How long a request may take: reads (answered within the read deadline), mutations that may
     * walk the disk (the slow deadline), streams that carry progress (pull, export: an idle
     * timeout) and streams that may stay quiet for hours (events: no idle bound).
     */
    enum Speed { QUICK, SLOW, STREAM, FOLLOW }

    /** A response whose status was 2xx; its body is open until closed. */
    static final class Response implements AutoCloseable {
        private final DockerHttpClient.Response raw;
        private final String operation;
        private final EngineApi api;
        private final Deadline deadline;
        private final Runnable onClose;
        private final InputStream body;

        private Response(DockerHttpClient.Response raw, String operation, EngineApi api, Deadline deadline,
                         Runnable onClose, InputStream body) {
            this.raw = raw;
            this.operation = operation;
            this.api = api;
            this.deadline = deadline;
            this.onClose = onClose;
            this.body = body;
        }

        int status() {
            return raw.getStatusCode();
        }

        /**
         * The body; a read that breaks off because the deadline or the idle timeout passed throws an
         * {@link IOException} saying so.
         */
        InputStream body() {
            return body;
        }

        /**
         * The body of a JSON stream, each message capped at {@link #MAX_STREAM_MESSAGE}: the reader
         * calls {@link MessageBoundedStream#nextMessage()} after each message.
         */
        MessageBoundedStream messages() {
            return new MessageBoundedStream(body, MAX_STREAM_MESSAGE);
        }

        /** A response header, or null. */
        String header(String name) {
            return raw.getHeader(name);
        }

        /**
         * Reads the whole body as JSON, at most {@link #MAX_JSON_BODY} bytes; a body that breaks off
         * or does not end before the deadline is {@code UNAVAILABLE}, one too large {@code BAD_CONTENT}.
         */
        JsonNode json() {
            try (InputStream in = body) {
                byte[] bytes = in.readNBytes((int) MAX_JSON_BODY + 1);
                if (bytes.length > MAX_JSON_BODY) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, operation, "the engine at "
                            + api.address.host() + " sent an answer larger than " + (MAX_JSON_BODY >> 20)
                            + " MiB, more than any valid one");
                }
                return bytes.length == 0 ? api.json.nullNode() : api.json.readTree(bytes);
            } catch (GantryException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw deadline != null && deadline.fired() ? api.timedOut(operation, deadline) : api.unavailable(operation, e);
            }
        }

        @Override
        public void close() {
            try {
                raw.close();
            } catch (RuntimeException e) {
                // the connection was torn down already
            } finally {
                if (deadline != null) {
                    deadline.cancel();
                }
                onClose.run();
            }
        }
    }

    /** How long a quick call may take (the read deadline). */
    Duration readTimeout() {
        return readTimeout;
    }

    /** GET a versioned path and read its JSON body. */
    JsonNode get(String operation, String path) {
        try (Response response = send(operation, "GET", path, Map.of(), null, Speed.QUICK)) {
            return response.json();
        }
    }

    /**
     * Sends a request to a versioned path; any status but 2xx becomes a {@link GantryException}
     * carrying the status and the engine's message.
     */
    Response send(String operation, String method, String path, Map<String, String> headers, byte[] body,
                  Speed speed) {
        String versioned = "/v" + apiVersion(operation) + path;
        return sendRaw(operation, method, versioned, headers, body, speed);
    }

    private Response sendRaw(String operation, String method, String path, Map<String, String> headers, byte[] body,
                             Speed speed) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path)
                .putHeader("Accept", "application/json");
        headers.forEach(request::putHeader);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").bodyBytes(body);
        }
        // A stream gets a connection of its own, so that its idle timeout tears down nothing else.
        ConnectionPool pool = switch (speed) {
            case QUICK -> quick;
            case SLOW -> slow;
            case STREAM, FOLLOW -> new ConnectionPool(() -> ConnectionPool.client(address, connectTimeout, null, 1));
        };
        DockerHttpClient client = connect(operation, pool);
        Duration limit = speed == Speed.SLOW ? slowTimeout : readTimeout;
        Deadline deadline = new Deadline(limit, () -> pool.kill(client));
        boolean ok = false;
        try {
            DockerHttpClient.Response raw = execute(operation, client, request.build(), method.equals("GET"), deadline,
                    pool);
            int status = raw.getStatusCode();
            if (status >= 200 && status < 300) {
                Response response;
                if (speed == Speed.STREAM || speed == Speed.FOLLOW) {
                    deadline.cancel();
                    Deadline idle = speed == Speed.STREAM ? new Deadline(idleTimeout, () -> pool.kill(client)) : null;
                    InputStream stream = idle == null ? raw.getBody() : new IdleBoundedStream(raw.getBody(), idle);
                    response = new Response(raw, operation, this, idle, pool::close, stream);
                } else {
                    response = new Response(raw, operation, this, deadline, () -> { }, raw.getBody());
                }
                ok = true;
                return response;
            }
            try {
                String message = readMessage(raw);
                if (deadline.fired()) {
                    throw timedOut(operation, deadline);
                }
                throw statusError(operation, status, message);
            } finally {
                try {
                    raw.close();
                } catch (RuntimeException e) {
                    // torn down by the deadline
                }
            }
        } finally {
            if (!ok) {
                deadline.cancel();
                if (pool != quick && pool != slow) {
                    pool.close();
                }
            }
        }
    }

    /**
     * POSTs {@code body} to a versioned path as a stream ({@code docker load}'s archive), on a
     * connection of its own. One idle deadline bounds the whole exchange: it restarts on every read
     * from {@code body} and on every byte of the answer, so a source that stops feeding the upload,
     * an engine that stops reading it, or an answer that stops coming all fail after the idle
     * timeout ({@code UNAVAILABLE}); closing the response tears the connection down.
     */
    Response upload(String operation, String path, InputStream body, String contentType) {
        String versioned = "/v" + apiVersion(operation) + path;
        ConnectionPool pool = new ConnectionPool(() -> ConnectionPool.client(address, connectTimeout, null, 1));
        DockerHttpClient client = connect(operation, pool);
        Deadline idle = new Deadline(idleTimeout, () -> pool.kill(client));
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(versioned)
                .putHeader("Accept", "application/json").putHeader("Content-Type", contentType)
                .body(new IdleBoundedStream(body, idle)).build();
        boolean ok = false;
        try {
            DockerHttpClient.Response raw;
            try {
                raw = client.execute(request);
            } catch (RuntimeException e) {
                throw idle.fired() ? timedOut(operation, idle) : unavailable(operation, e);
            }
            int status = raw.getStatusCode();
            if (status < 200 || status >= 300) {
                try {
                    throw statusError(operation, status, readMessage(raw));
                } finally {
                    try {
                        raw.close();
                    } catch (RuntimeException e) {
                        // torn down by the deadline
                    }
                }
            }
            Response response = new Response(raw, operation, this, idle, pool::close,
                    new IdleBoundedStream(raw.getBody(), idle));
            ok = true;
            return response;
        } finally {
            if (!ok) {
                idle.cancel();
                pool.close();
            }
        }
    }

    /** The pool's client; an address the transport cannot use is {@code UNAVAILABLE} with the reason. */
    private DockerHttpClient connect(String operation, ConnectionPool pool) {
        String host = address.host();
        if (host.startsWith("ssh://")) {
            throw new GantryException(ErrorKind.UNAVAILABLE, operation, "engine addresses over ssh (" + host
                    + ") are not supported", null, 0, "Forward the engine's socket and point DOCKER_HOST at it, e.g. "
                    + "ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST, then DOCKER_HOST=unix:///tmp/docker.sock.", null);
        }
        Optional<String> problem = address.problem(WINDOWS);
        if (problem.isPresent()) {
            throw new GantryException(ErrorKind.UNAVAILABLE, operation, "cannot use the engine address '" + host + "': "
                    + problem.get(), "BAD_ADDRESS", 0, "Give DOCKER_HOST (or the context's host) as "
                    + "unix:///path/to/docker.sock or tcp://HOST:PORT.", null);
        }
        try {
            return pool.get();
        } catch (RuntimeException | LinkageError e) { // a native transport that cannot load is no crash either
            throw new GantryException(ErrorKind.UNAVAILABLE, operation, "cannot use the engine address '" + host + "' ("
                    + describe(e) + ")", null, 0,
                    "Give DOCKER_HOST as unix:///path/to/docker.sock or tcp://HOST:PORT.", null);
        }
    }

    /**
     * Executes a request; a transport failure is {@code UNAVAILABLE}. A pooled connection may
     * belong to an engine that has since restarted, so a read ({@code retry}) is sent once more on
     * a fresh connection before giving up.
     */
    private DockerHttpClient.Response execute(String operation, DockerHttpClient client,
                                              DockerHttpClient.Request request, boolean retry, Deadline deadline,
                                              ConnectionPool pool) {
        long started = System.nanoTime();
        try {
            return client.execute(request);
        } catch (RuntimeException first) {
            if (deadline.fired() || pool.killedSince(started)) {
                // its own deadline, or another request's on the same connections: the engine is hung either way
                negotiated.set(null);
                throw timedOut(operation, deadline);
            }
            if (retry) {
                try {
                    return client.execute(request);
                } catch (RuntimeException second) {
                    second.addSuppressed(first);
                    negotiated.set(null);
                    throw deadline.fired() ? timedOut(operation, deadline) : unavailable(operation, second);
                }
            }
            negotiated.set(null);
            throw unavailable(operation, first);
        }
    }

    private String readMessage(DockerHttpClient.Response raw) {
        try (InputStream in = raw.getBody()) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            try {
                JsonNode node = json.readTree(bytes);
                if (node != null && node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException notJson) {
                // fall through to the raw text
            }
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Maps an Engine API status to an error kind; the engine's message is kept for display only. */
    GantryException statusError(String operation, int status, String message) {
        ErrorKind kind = switch (status) {
            case 400 -> ErrorKind.INVALID_INPUT;
            case 401 -> ErrorKind.UNAUTHORIZED;
            case 403 -> ErrorKind.DENIED;
            case 404 -> ErrorKind.NOT_FOUND;
            case 409 -> ErrorKind.CONFLICT;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 502, 503, 504 -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INTERNAL;
        };
        String shown = message.isEmpty() ? "the engine answered HTTP " + status : message;
        return new GantryException(kind, operation, shown, null, status, null, null);
    }

    GantryException unavailable(String operation, Throwable cause) {
        return new GantryException(ErrorKind.UNAVAILABLE, operation,
                "the engine at " + address.host() + " did not answer (" + describe(cause) + ")",
                null, 0, "Check that the engine is running and that you may use its socket.", cause);
    }

    /** A request that passed its deadline: the peer is hung, or far too slow to be usable. */
    private GantryException timedOut(String operation, Deadline deadline) {
        return new GantryException(ErrorKind.UNAVAILABLE, operation,
                "the engine at " + address.host() + " did not answer within " + deadline.after().toSeconds() + " s",
                null, 0, "Check that the engine is running and responsive (restart it if it hangs).", null);
    }

    private static final Pattern CLASS_NAME_PREFIX = Pattern.compile("^(?:[\\w$]+\\.)+[\\w$]*(?:Exception|Error):\\s*");

    /** The first message of a failure's chain, without Java class names. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            while (message != null && CLASS_NAME_PREFIX.matcher(message).find()) {
                message = CLASS_NAME_PREFIX.matcher(message).replaceFirst("");
            }
            if (message != null && !message.isBlank()) {
                return message.strip();
            }
        }
        return "the connection failed";
    }

    /**
     * The API version to speak: the engine's own, capped at {@link #MAX_API_VERSION}, asked once
     * per connection (and again after the engine was unreachable, in case it was upgraded).
     */
    String apiVersion(String operation) {
        String version = negotiated.get();
        if (version != null) {
            return version;
        }
        JsonNode info = version(operation);
        String server = info.path("ApiVersion").asText("");
        if (server.isEmpty()) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                    "the engine at " + address.host() + " did not say which API version it speaks");
        }
        if (compareVersions(server, MIN_API_VERSION) < 0) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation, "the engine speaks Engine API " + server
                    + ", older than " + MIN_API_VERSION + " which Gantry needs", null, 0,
                    "Upgrade the engine.", null);
        }
        version = compareVersions(server, MAX_API_VERSION) > 0 ? MAX_API_VERSION : server;
        negotiated.set(version);
        return version;
    }

    /** {@code GET /version} without a version prefix, which every engine answers. */
    JsonNode version(String operation) {
        try (Response response = sendRaw(operation, "GET", "/version", Map.of(), null, Speed.QUICK)) {
            return response.json();
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parseOrZero(x[i]) : 0;
            int q = i < y.length ? parseOrZero(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An image reference or ID as a path segment; anything that could escape the path is refused. */
    static String imagePath(String operation, String image) {
        if (image.isEmpty() || !SAFE_PATH_SEGMENT.matcher(image).matches() || image.contains("..")) {
            throw new GantryException(ErrorKind.INVALID_INPUT, operation,
                    "'" + image + "' is not an image reference or ID");
        }
        return image;
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        quick.close();
        slow.close();
    }
}
