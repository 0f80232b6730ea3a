package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.DockerdPeers;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine going away mid-session and coming back, on a daemon of the test's own: calls fail
 * fast with {@code UNAVAILABLE} (never hang), the same store answers again once it is back, and a
 * live subscription reports the break, reconnects and replays what happened while it was down.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class DockerEngineReconnectTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void stoppedEngineIsUnavailableAndTheSameStoreReconnects(DockerdPeers peers) throws Exception {
        DockerdPeer dockerd = peers.start();
        FixtureImage image = images.image("reconnect").layer("ADD a", l -> l.file("a", "a"));
        dockerd.load(image);
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        try (DockerEngineStore store = EngineStores.on(dockerd);
             Subscription ignored = store.subscribe(new StoreEventListener() {
                 @Override
                 public void onEvent(StoreEvent event) {
                     signals.add(event.action() + " " + event.attribute("name"));
                 }

                 @Override
                 public void onConnected() {
                     signals.add("connected");
                 }

                 @Override
                 public void onDisconnected(GantryException error) {
                     signals.add("disconnected " + error.kind());
                 }
             })) {
            assertThat(signals.poll(10, TimeUnit.SECONDS)).isEqualTo("connected");
            assertThat(store.listImages()).extracting(ImageSummary::repoTags).contains(java.util.List.of("reconnect:latest"));

            dockerd.stopDaemon();

            long started = System.nanoTime();
            assertThatThrownBy(store::listImages).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                assertThat(e.action()).isPresent();
                assertThat(e.getMessage()).contains(dockerd.host());
            });
            assertThatThrownBy(store::info).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("fails fast").isLessThan(Duration.ofSeconds(10));
            assertThat(signals.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected UNAVAILABLE");

            Thread.sleep(3_000); // several failed reconnects (every 200 ms) while it is down
            dockerd.restartDaemon();
            // Tagged while the subscription may still be waiting to reconnect: it must replay it.
            dockerd.dockerOk("tag", image.reference(), "reconnect:again");

            assertThat(store.listImages()).extracting(ImageSummary::repoTags)
                    .anySatisfy(tags -> assertThat(tags).contains("reconnect:again"));
            assertThat(store.info().apiVersion()).isEqualTo("1.41");
            String next = signals.poll(15, TimeUnit.SECONDS);
            String after = signals.poll(15, TimeUnit.SECONDS);
            assertThat(java.util.List.of(String.valueOf(next), String.valueOf(after)))
                    .containsExactlyInAnyOrder("connected", "tag reconnect:again");
        }
    }
}
