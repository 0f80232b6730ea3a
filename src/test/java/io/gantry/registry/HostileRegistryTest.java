package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import io.gantry.testing.HostileServer;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, items 1 and 2: every registry call bounded, and paging that cannot loop. The registry is a hostile HTTP server written in the
 * test ({@link HostileServer}, loopback), because a real registry cannot be made to send a
 * {@code Link} back to the page just read. Before the fix {@code tags} sent ~2,700 requests in
 * 120 s with memory growing.
 */
class HostileRegistryTest {

    private HostileServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static RegistryClient clientWithTimeouts(java.nio.file.Path dir, java.time.Duration read, java.time.Duration request) {
        TransportSettings transport = TransportSettings.defaults(dir);
        return RegistryClient.builder().transport(new TransportSettings(java.util.Set.of(), transport.certsDirectories(),
                transport.connectTimeout(), read, request)).build();
    }

    @Test
    void aManifestThatIsNeverAnsweredFailsOnceAfterTheReadTimeoutNotFiveTimes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else {
                HostileServer.neverAnswer(exchange, out);
            }
        });
        RegistryClient client = clientWithTimeouts(dir, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(6));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.pullManifest(io.gantry.core.ImageReference.parse(server.hostPort() + "/app:1"),
                new Cancellation())).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(15));
        assertThat(server.exchanges().stream().filter(x -> x.path().contains("manifests")).count()).isEqualTo(1);
    }

    @Test
    void aManifestDrippedAByteASecondFailsAtTheRequestDeadline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else {
                HostileServer.dripBody(exchange, out);
            }
        });
        RegistryClient client = clientWithTimeouts(dir, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.pullManifest(io.gantry.core.ImageReference.parse(server.hostPort() + "/app:1"),
                new Cancellation())).isInstanceOf(GantryException.class);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(15));
    }

    @Test
    void retryAfterIsCappedAndTheRetriesEndWithinTheRequestDeadline() throws IOException {
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else {
                HostileServer.respond(out, 503, Map.of("Retry-After", "59"), "busy");
            }
        });
        RegistryClient client = RegistryClient.builder().build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.pullManifest(io.gantry.core.ImageReference.parse(server.hostPort() + "/app:1"),
                new Cancellation())).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.getMessage()).contains("asked to wait 59 s"));
        // 59 s is past the 10 s cap: no wait at all
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
        assertThat(RetryPolicy.DEFAULT.maxRetryAfter()).isLessThanOrEqualTo(java.time.Duration.ofSeconds(10));
    }

    @Test
    void aTagListWhoseLinkPointsBackToItselfStopsWithAClearError() throws IOException {
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else {
                HostileServer.respond(out, 200, Map.of("Content-Type", "application/json",
                        "Link", "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\""), "{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}");
            }
        });
        RegistryClient client = RegistryClient.builder().build();
        Repository repository = Repository.parse(server.hostPort() + "/team/app");
        assertThatThrownBy(() -> client.listAllTags(repository, new Cancellation()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.getMessage()).contains("next-page link back to a page already read");
                });
        long tagRequests = server.exchanges().stream().filter(x -> x.path().contains("tags/list")).count();
        assertThat(tagRequests).isLessThanOrEqualTo(3);
    }

    @Test
    void aCatalogThatIgnoresTheCursorStopsWithAClearError() throws IOException {
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else {
                // always the first page, whatever "last" asks for, and always "more"
                HostileServer.respond(out, 200, Map.of("Content-Type", "application/json",
                        "Link", "</v2/_catalog?n=100&last=zz>; rel=\"next\""), "{\"repositories\":[\"x/one\",\"x/two\"]}");
            }
        });
        RegistryClient client = RegistryClient.builder().build();
        assertThatThrownBy(() -> client.searchCatalog(server.hostPort(), "nomatch", 10, Optional.empty(), new Cancellation()))
                .isInstanceOfSatisfying(GantryException.class, e ->
                        assertThat(e.getMessage()).contains("next-page link back to a page already read"));
        assertThat(server.exchanges().size()).isLessThanOrEqualTo(5);
    }

    @Test
    void endlessDistinctPagesStopAtThePageLimit() throws IOException {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else {
                int page = n.incrementAndGet();
                HostileServer.respond(out, 200, Map.of("Content-Type", "application/json",
                        "Link", "</v2/team/app/tags/list?last=t" + page + ">; rel=\"next\""),
                        "{\"tags\":[\"t" + page + "\"]}");
            }
        });
        RegistryClient client = RegistryClient.builder().build();
        Repository repository = Repository.parse(server.hostPort() + "/team/app");
        assertThatThrownBy(() -> client.listAllTags(repository, new Cancellation()))
                .isInstanceOfSatisfying(GantryException.class, e ->
                        assertThat(e.getMessage()).contains("more than " + PageGuard.MAX_PAGES + " pages"));
        assertThat(n.get()).isEqualTo(PageGuard.MAX_PAGES);
    }

    @Test
    void aBlobDrippedAByteAtATimeFailsAtTheMinimumSpeedAndTheNextPullResumes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        byte[] content = TestSupport.bytes(200_000, 3);
        io.gantry.core.Descriptor blob = TestSupport.layer(content);
        int fast = 64 * 1024;
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
                return;
            }
            String range = exchange.header("Range");
            if (range == null) {
                // the first 64 KiB at once, then a byte every 100 ms: each read resets the read timeout
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + content.length + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(content, 0, fast);
                out.flush();
                for (int i = fast; i < content.length; i++) {
                    out.write(content[i]);
                    out.flush();
                    Thread.sleep(100);
                }
                return;
            }
            int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            out.write(("HTTP/1.1 206 Partial Content\r\nContent-Length: " + (content.length - from)
                    + "\r\nContent-Range: bytes " + from + "-" + (content.length - 1) + "/" + content.length
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(content, from, content.length - from);
            out.flush();
        });
        TransportSettings transport = TransportSettings.defaults(dir)
                .withMinimumSpeed(new TransportSettings.MinimumSpeed(16 * 1024, java.time.Duration.ofSeconds(2)));
        RegistryClient client = RegistryClient.builder().transport(transport).build();
        Repository repository = Repository.parse(server.hostPort() + "/app");
        MemorySink sink = new MemorySink();

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.pullBlob(repository, blob, sink, (done, total) -> { }, new Cancellation()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).containsPattern("the registry sent only \\d+ bytes in [23] s");
                    assertThat(e.action()).isPresent();
                });
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(15));
        // not retried: one blob request, and what arrived is kept (suspended, not aborted)
        assertThat(server.exchanges().stream().filter(x -> x.path().contains("/blobs/")).count()).isEqualTo(1);
        assertThat(sink.suspended).isTrue();
        assertThat(sink.aborted).isFalse();
        long kept = sink.bytes.size();
        assertThat(kept).isGreaterThanOrEqualTo(fast).isLessThan(content.length);

        assertThat(client.pullBlob(repository, blob, sink, (done, total) -> { }, new Cancellation())).isEqualTo(blob.digest());
        assertThat(sink.committed).isTrue();
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
        assertThat(server.exchanges().get(server.exchanges().size() - 1).header("Range")).isEqualTo("bytes=" + kept + "-");
    }

    @Test
    void theDefaultMinimumSpeedEndsADripWithinAMinute() {
        TransportSettings.MinimumSpeed speed = TransportSettings.defaults(java.nio.file.Path.of("/nonexistent")).minimumSpeed();
        assertThat(speed.window()).isBetween(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60));
        assertThat(speed.bytes()).isGreaterThan(60); // a byte a second cannot pass
    }
}
