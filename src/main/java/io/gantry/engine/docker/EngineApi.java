package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The one caller of a Docker-compatible engine's HTTP API: it alone negotiates the API version,
 * sends requests through docker-java's zerodep transport (unix socket, tcp, TLS, Windows named
 * pipe) and maps transport failures and HTTP statuses to {@link GantryException}s.
 *
 * <p>Three connection pools: one with a short response timeout for reads, one with a long one for
 * deletes and prunes, and one without a timeout for streams (pull progress, events), which a
 * caller aborts by closing the stream.
 */
final class EngineApi implements AutoCloseable {

    /** The newest Engine API version Gantry has been written against; newer engines are spoken to in it. */
    static final String MAX_API_VERSION = "1.45";
    /** The oldest Engine API version Gantry accepts (Docker 17.09). */
    static final String MIN_API_VERSION = "1.32";

    private static final Pattern SAFE_PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._:/@+-]+");

    private final EngineAddress address;
    private final ObjectMapper json;
    private final DockerHttpClient quick;
    private final DockerHttpClient slow;
    private final DockerHttpClient streaming;
    private final AtomicReference<String> negotiated = new AtomicReference<>();

    EngineApi(EngineAddress address, ObjectMapper json, Duration connectTimeout, Duration readTimeout,
              Duration slowTimeout) {
        this.address = address;
        this.json = json;
        this.quick = client(address, connectTimeout, readTimeout);
        this.slow = client(address, connectTimeout, slowTimeout);
        this.streaming = client(address, connectTimeout, null);
    }

    private static DockerHttpClient client(EngineAddress address, Duration connectTimeout, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(address.host()))
                .maxConnections(8)
                .connectionTimeout(connectTimeout);
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        address.tls().ifPresent(tls -> builder.sslConfig(new LocalDirectorySSLConfig(tls.certDir().toString())));
        return builder.build();
    }

    /** How long a request may take: reads, mutations that may walk the disk, or open-ended streams. */
    enum Speed { QUICK, SLOW, STREAM }

    /** A response whose status was 2xx; its body is open until closed. */
    static final class Response implements AutoCloseable {
        private final DockerHttpClient.Response raw;
        private final String operation;
        private final EngineApi api;

        private Response(DockerHttpClient.Response raw, String operation, EngineApi api) {
            this.raw = raw;
            this.operation = operation;
            this.api = api;
        }

        int status() {
            return raw.getStatusCode();
        }

        InputStream body() {
            return raw.getBody();
        }

        /** A response header, or null. */
        String header(String name) {
            return raw.getHeader(name);
        }

        /** Reads the whole body as JSON; a body that breaks off is {@code UNAVAILABLE}. */
        JsonNode json() {
            try (InputStream in = raw.getBody()) {
                byte[] bytes = in.readAllBytes();
                return bytes.length == 0 ? api.json.nullNode() : api.json.readTree(bytes);
            } catch (IOException | RuntimeException e) {
                throw api.unavailable(operation, e);
            }
        }

        @Override
        public void close() {
            raw.close();
        }
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
        DockerHttpClient client = switch (speed) {
            case QUICK -> quick;
            case SLOW -> slow;
            case STREAM -> streaming;
        };
        DockerHttpClient.Response raw = execute(operation, client, request.build(), method.equals("GET"));
        int status = raw.getStatusCode();
        if (status >= 200 && status < 300) {
            return new Response(raw, operation, this);
        }
        try (raw) {
            throw statusError(operation, status, readMessage(raw));
        }
    }

    /**
     * Executes a request; a transport failure is {@code UNAVAILABLE}. A pooled connection may
     * belong to an engine that has since restarted, so a read ({@code retry}) is sent once more on
     * a fresh connection before giving up.
     */
    private DockerHttpClient.Response execute(String operation, DockerHttpClient client,
                                              DockerHttpClient.Request request, boolean retry) {
        try {
            return client.execute(request);
        } catch (RuntimeException first) {
            if (retry) {
                try {
                    return client.execute(request);
                } catch (RuntimeException second) {
                    second.addSuppressed(first);
                    negotiated.set(null);
                    throw unavailable(operation, second);
                }
            }
            negotiated.set(null);
            throw unavailable(operation, first);
        }
    }

    private String readMessage(DockerHttpClient.Response raw) {
        try (InputStream in = raw.getBody()) {
            byte[] bytes = in.readNBytes(64 * 1024);
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

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
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
        for (DockerHttpClient client : new DockerHttpClient[] {quick, slow, streaming}) {
            try {
                client.close();
            } catch (IOException e) {
                // closing a connection pool; nothing the user can act on
            }
        }
    }
}
