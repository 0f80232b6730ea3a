package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageSummary;
import io.gantry.testing.HostileServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Docker before 23.0 refuses a {@code /system/df} asked while another runs (HTTP 500, "a disk usage
 * operation is already running"). The debian dockerd the peer tests use (20.10) did so in CI when a
 * window opened while the previous window's listing was still being computed: the window said the
 * engine was "not answering … Please report this". A real dockerd cannot be made to be busy on
 * cue, so the engine here is {@link HostileServer} answering as dockerd 20.10 answers.
 */
class DiskUsageBusyTest {

    private static final String IMAGE_ID = "sha256:" + "ab".repeat(32);
    private static final String DF = "{\"LayersSize\":100,\"Images\":[{\"Id\":\"" + IMAGE_ID + "\",\"ParentId\":\"\","
            + "\"RepoTags\":[\"app:1\"],\"RepoDigests\":[],\"Created\":1700000000,\"Size\":100,\"SharedSize\":0,"
            + "\"Containers\":0}],\"Containers\":[],\"Volumes\":[]}";
    private static final String BUSY = "{\"message\":\"a disk usage operation is already running\"}";
    private static final DockerEngineStore.Timeouts SHORT = new DockerEngineStore.Timeouts(Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofSeconds(3));

    private HostileServer server;
    private DockerEngineStore store;

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** An engine answering {@code /version} as dockerd 20.10 and {@code /system/df} with {@code df}. */
    private DockerEngineStore engine(HostileServer.Behaviour df) throws IOException {
        server = HostileServer.tcp((exchange, out) -> {
            if (exchange.path().endsWith("/version")) {
                HostileServer.respond(out, 200, Map.of("Content-Type", "application/json"),
                        "{\"ApiVersion\":\"1.41\",\"Version\":\"20.10.24\"}");
            } else if (exchange.path().contains("/system/df")) {
                df.answer(exchange, out);
            } else {
                HostileServer.respond(out, 404, Map.of("Content-Type", "application/json"), "{\"message\":\"no\"}");
            }
        });
        EngineAddress address = new EngineAddress("busy", server.dockerHost(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        store = new DockerEngineStore(address, EngineCredentials.anonymous(), SHORT, runnable -> {
            Thread thread = new Thread(runnable, "test-events");
            thread.setDaemon(true);
            return thread;
        });
        return store;
    }

    @Test
    void aDiskUsageRefusedWhileAnotherRunsIsAskedAgainUntilTheEngineAnswers() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        DockerEngineStore engine = engine((exchange, out) -> {
            boolean busy = asked.incrementAndGet() <= 2;
            HostileServer.respond(out, busy ? 500 : 200, Map.of("Content-Type", "application/json"), busy ? BUSY : DF);
        });

        List<ImageSummary> images = engine.listImages();

        assertThat(images).extracting(i -> i.id().toString()).containsExactly(IMAGE_ID);
        assertThat(asked).hasValue(3);
    }

    @Test
    void anEngineStillBusyAfterTheReadDeadlineFailsInWords() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        DockerEngineStore engine = engine((exchange, out) -> {
            asked.incrementAndGet();
            HostileServer.respond(out, 500, Map.of("Content-Type", "application/json"), BUSY);
        });

        assertThatThrownBy(engine::listImages).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("the engine was still computing its disk usage for another client "
                    + "after 3 s");
            assertThat(e.action()).get().asString().contains("docker system df");
        });
        assertThat(asked.get()).as("asked again while waiting").isGreaterThan(2);
    }

    @Test
    void callsThatComeWhileOneRunsShareItsAnswer() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        DockerEngineStore engine = engine((exchange, out) -> {
            asked.incrementAndGet();
            release.await(20, TimeUnit.SECONDS);
            HostileServer.respond(out, 200, Map.of("Content-Type", "application/json"), DF);
        });
        engine.podman("learn the engine"); // /version first, so that both calls go straight to /system/df

        CompletableFuture<List<ImageSummary>> first = CompletableFuture.supplyAsync(engine::listImages);
        waitUntil(() -> asked.get() == 1);
        Thread[] second = new Thread[1];
        CompletableFuture<List<ImageSummary>> joined = new CompletableFuture<>();
        second[0] = new Thread(() -> joined.complete(engine.listImages()));
        second[0].start();
        // the second call waits for the first's answer (parked), without asking the engine itself
        waitUntil(() -> second[0].getState() == Thread.State.WAITING);
        assertThat(asked).hasValue(1);
        release.countDown();

        assertThat(first.get(20, TimeUnit.SECONDS)).extracting(i -> i.id().toString()).containsExactly(IMAGE_ID);
        assertThat(joined.get(20, TimeUnit.SECONDS)).extracting(i -> i.id().toString()).containsExactly(IMAGE_ID);
        assertThat(asked).hasValue(1);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("not reached within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
