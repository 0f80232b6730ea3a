package io.gantry.registry;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A scripted stand-in for a registry on mockwebserver, for faults a real registry will not
 * produce on demand (truncated bodies, wrong digests, 429 with Retry-After, resets). Responses are
 * queued per {@code "METHOD /path"} (the query is ignored); the last one for a key repeats.
 * Unscripted requests get 404. {@code GET /v2/} answers 200 unless scripted otherwise.
 */
final class MockRegistry implements Closeable {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Deque<Function<RecordedRequest, MockResponse>>> scripts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    MockRegistry() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                String key = request.getMethod() + " " + request.getUrl().encodedPath();
                Deque<Function<RecordedRequest, MockResponse>> queue = scripts.get(key);
                if (queue == null || queue.isEmpty()) {
                    return key.equals("GET /v2/") ? new MockResponse.Builder().code(200).build()
                            : new MockResponse.Builder().code(404).build();
                }
                synchronized (queue) {
                    Function<RecordedRequest, MockResponse> next = queue.size() > 1 ? queue.poll() : queue.peek();
                    return next.apply(request);
                }
            }
        });
        server.start();
    }

    /** Queues {@code response} for {@code METHOD path}. */
    MockRegistry on(String method, String path, MockResponse response) {
        return on(method, path, request -> response);
    }

    /** Queues a response computed from the request. */
    MockRegistry on(String method, String path, Function<RecordedRequest, MockResponse> response) {
        scripts.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(response);
        return this;
    }

    /** {@code 127.0.0.1:PORT}-style registry name (loopback, so plain HTTP is allowed). */
    String registry() {
        return server.getHostName() + ":" + server.getPort();
    }

    String url(String path) {
        return server.url(path).toString();
    }

    /** Requests seen, in order, except the TLS probes a plain-HTTP server cannot parse. */
    List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    List<RecordedRequest> requests(String method, String path) {
        return requests.stream()
                .filter(r -> r.getMethod().equals(method) && r.getUrl().encodedPath().equals(path))
                .toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
