package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.PullRequest;
import io.gantry.testing.HostileServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, item 1: every engine call is bounded. The peer here is a hostile HTTP server written in
 * the test ({@link HostileServer}) on a unix socket and on loopback TCP, because a real dockerd or
 * Podman cannot be made to accept and never answer, drip a byte a second or stream endless JSON.
 * Before the fix the unix-socket cases ran for 42-62 minutes (one at 3.1 GB) and TCP for 122 s.
 */
class HostileEngineTest {

    /** Short bounds so the test is quick; the defaults are 60 s (read), 15 min (slow), 120 s (idle). */
    private static final DockerEngineStore.Timeouts SHORT = new DockerEngineStore.Timeouts(Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofSeconds(3));
    /** The longest a failing call may take here: the bound plus generous slack for a loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private HostileServer server;
    private DockerEngineStore store;
    private Path dir;

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    private DockerEngineStore storeOn(String transport, HostileServer.Behaviour behaviour, DockerEngineStore.Timeouts t)
            throws IOException {
        if (transport.equals("unix")) {
            dir = Files.createTempDirectory("hostile-engine");
            server = HostileServer.unix(dir.resolve("d.sock"), behaviour);
        } else {
            server = HostileServer.tcp(behaviour);
        }
        EngineAddress address = new EngineAddress("hostile", server.dockerHost(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        store = new DockerEngineStore(address, EngineCredentials.anonymous(), t, runnable -> {
            Thread thread = new Thread(runnable, "test-events");
            thread.setDaemon(true);
            return thread;
        });
        return store;
    }

    /** Answers {@code /version} as an engine would, then behaves as {@code then}. */
    private static HostileServer.Behaviour versionThen(HostileServer.Behaviour then) {
        return (exchange, out) -> {
            if (exchange.path().equals("/version")) {
                HostileServer.respond(out, 200, Map.of("Content-Type", "application/json"),
                        "{\"ApiVersion\":\"1.43\",\"Version\":\"24.0.0\"}");
            } else {
                then.answer(exchange, out);
            }
        };
    }

    private static GantryException failsWithin(Runnable call) {
        long start = System.nanoTime();
        Throwable[] thrown = new Throwable[1];
        try {
            call.run();
        } catch (Throwable t) {
            thrown[0] = t;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown[0]).as("the call must fail").isInstanceOf(GantryException.class);
        assertThat(took).as("how long the call took").isLessThan(WITHIN);
        return (GantryException) thrown[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aPeerThatAcceptsAndNeverAnswersFailsAtTheReadDeadline(String transport) throws IOException {
        DockerEngineStore engine = storeOn(transport, HostileServer::neverAnswer, SHORT);
        GantryException e = failsWithin(engine::listImages);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("did not answer within 3 s").doesNotContain("Exception");
        // the store answers again (a fresh pool) once the peer does: the next call is bounded too
        failsWithin(engine::listImages);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aPeerDrippingItsBodyAByteASecondFailsAtTheReadDeadline(String transport) throws IOException {
        DockerEngineStore engine = storeOn(transport, versionThen(HostileServer::dripBody), SHORT);
        GantryException e = failsWithin(engine::listImages);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("did not answer within 3 s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aPeerDrippingItsHeadersFailsAtTheReadDeadline(String transport) throws IOException {
        DockerEngineStore engine = storeOn(transport, HostileServer::dripHead, SHORT);
        GantryException e = failsWithin(engine::info);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("did not answer within 3 s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void endlessJsonIsCutAtTheBodyCap(String transport) throws IOException {
        // a longer deadline, so that the cap (64 MiB), not the clock, ends it
        DockerEngineStore.Timeouts roomy = new DockerEngineStore.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(15),
                Duration.ofSeconds(15), Duration.ofMillis(200), Duration.ofSeconds(15));
        DockerEngineStore engine = storeOn(transport, versionThen(HostileServer::endlessJson), roomy);
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            engine.containers();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
        assertThat(thrown).isInstanceOf(GantryException.class);
        GantryException e = (GantryException) thrown;
        // on a machine too loaded to pass 64 MiB in 15 s, the deadline ends it: bounded either way
        assertThat(e.kind()).isIn(ErrorKind.BAD_CONTENT, ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).matches("(?s).*(larger than 64 MiB|did not answer within 15 s).*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aPullWhoseProgressStopsFailsAfterTheIdleTimeout(String transport) throws IOException {
        DockerEngineStore engine = storeOn(transport, versionThen((exchange, out) -> {
            if (exchange.path().contains("/images/create")) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                        + "{\"status\":\"Pulling from library/x\",\"id\":\"1\"}\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            HostileServer.respond(out, 404, Map.of(), "{\"message\":\"No such image: x:1\"}");
        }), SHORT);
        GantryException e = failsWithin(() -> engine.pull(PullRequest.of("x:1"), p -> { },
                new io.gantry.core.Cancellation()));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("no data for 3 s");
    }

    @Test
    void aPullStreamingOneEndlessMessageIsCutAtTheMessageCap() throws IOException {
        DockerEngineStore.Timeouts roomy = new DockerEngineStore.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(15),
                Duration.ofSeconds(15), Duration.ofMillis(200), Duration.ofSeconds(15));
        DockerEngineStore engine = storeOn("unix", versionThen((exchange, out) -> {
            if (exchange.path().contains("/images/create")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"status\":{\"a\":["
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "[1,2,3],".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(chunk); // one message that never ends
                }
            }
            HostileServer.respond(out, 404, Map.of(), "{\"message\":\"No such image: x:1\"}");
        }), roomy);
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            engine.pull(PullRequest.of("x:1"), p -> { }, new io.gantry.core.Cancellation());
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
        assertThat(thrown).isInstanceOf(GantryException.class);
        assertThat(thrown.getMessage()).contains("larger than 4 MiB");
    }

    @Test
    void theDefaultsAreBoundsOfSecondsToAMinuteForReads() {
        DockerEngineStore.Timeouts defaults = DockerEngineStore.Timeouts.defaults();
        assertThat(defaults.read()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.idle()).isLessThanOrEqualTo(Duration.ofSeconds(120));
        assertThat(defaults.connect()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }


    @Test
    void aPullSendingEndlessProgressWithoutAdvancingFailsAfterTheStallPeriod() throws IOException {
        DockerEngineStore engine = storeOn("unix", versionThen((exchange, out) -> {
            if (exchange.path().contains("/images/create")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] message = ("{\"status\":\"Downloading\",\"id\":\"abc\",\"progressDetail\":{\"current\":5,"
                        + "\"total\":10}}\r\n").getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(message); // valid, small, and never any further: the idle timeout never fires
                    out.flush();
                    Thread.sleep(5);
                }
            }
            HostileServer.respond(out, 404, Map.of(), "{\"message\":\"No such image: x:1\"}");
        }), SHORT);
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        GantryException e = failsWithin(() -> engine.pull(PullRequest.of("x:1"), p -> seen.incrementAndGet(),
                new io.gantry.core.Cancellation()));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).containsPattern("sent \\d+ progress messages in 3 s without any layer advancing");
        assertThat(seen.get()).isGreaterThan(1);
    }

    @Test
    void progressThatAdvancesIsNeverCutButRepeatsAreAndTheTotalIsCapped() {
        long[] now = {0};
        PullStreamGuard guard = new PullStreamGuard("pull x", Duration.ofSeconds(120), () -> now[0]);
        io.gantry.engine.PullProgress.Phase down = io.gantry.engine.PullProgress.Phase.DOWNLOADING;
        // an hour of slow but real progress: a byte more every 10 s
        for (int i = 1; i <= 360; i++) {
            now[0] += Duration.ofSeconds(10).toNanos();
            guard.accept(new io.gantry.engine.PullProgress("abc", down, i, 1000, "Downloading"));
        }
        // the same message again for two minutes: stuck
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                now[0] += Duration.ofMillis(200).toNanos();
                guard.accept(new io.gantry.engine.PullProgress("abc", down, 360, 1000, "Downloading"));
            }
        }).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.getMessage()).contains("without any layer advancing"));
        // endless new layers: capped
        PullStreamGuard layers = new PullStreamGuard("pull x", Duration.ofSeconds(120), () -> 0L);
        assertThatThrownBy(() -> {
            for (int i = 0; i <= PullStreamGuard.MAX_ENTRIES; i++) {
                layers.accept(new io.gantry.engine.PullProgress("l" + i, down, 1, 2, "Downloading"));
            }
        }).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.getMessage()).contains("more than " + PullStreamGuard.MAX_ENTRIES + " layer phases"));
    }
}
