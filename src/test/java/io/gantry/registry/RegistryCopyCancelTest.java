package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancelling a registry-to-registry copy ({@link RegistryClient#copy}, blobs streamed between two
 * harness registries, several at once): whenever the cancel comes (while the blobs are looked at,
 * or once bytes stream), the copy ends {@code CANCELLED} and the destination has no manifest under
 * the tag; the next copy finishes it with the source's digest. The cancel is given from the
 * listener, which runs on the copying thread, so the outcome does not depend on timing: the
 * manifest is only ever put after every blob has ended.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryCopyCancelTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void aCopyCancelledWhileBlobsStreamPutsNoManifestAndTheNextCopyFinishesIt(RegistryPeer source,
                                                                             RegistryPeers registries) {
        FixtureImage app = images.image(FixtureImages.unique("cancel-copy")).tag("1")
                .layer("ADD a", l -> l.randomFile("a", 1_500_000, 31)).layer("ADD b", l -> l.randomFile("b", 1_000_000, 32))
                .layer("ADD c", l -> l.randomFile("c", 800_000, 33)).layer("ADD d", l -> l.randomFile("d", 600_000, 34));
        source.pusher().push(app);
        RegistryPeer destination = registries.start(RegistryConfig.anonymous());
        ImageReference from = ImageReference.parse(app.reference(source.hostPort()));
        ImageReference to = ImageReference.parse(destination.hostPort() + "/" + FixtureImages.unique("team/cancel") + ":1");
        RegistryClient client = RegistryClient.builder().build();

        Cancellation streaming = new Cancellation();
        List<CopyEvent> events = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> client.copy(from, to, Optional.empty(), event -> {
            events.add(event);
            if (event.step() == CopyEvent.Step.PUSHING) {
                streaming.cancel(); // bytes of a blob are on their way
            }
        }, streaming)).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED);
            assertThat(e.getMessage()).doesNotContain("Exception");
        });
        assertThat(events).anyMatch(e -> e.step() == CopyEvent.Step.PUSHING);
        assertThat(client.headManifest(to, Cancellation.none())).as("no manifest after a cancel").isEmpty();

        Cancellation preparing = new Cancellation();
        List<CopyEvent> early = new CopyOnWriteArrayList<>();
        ImageReference second = ImageReference.parse(destination.hostPort() + "/" + FixtureImages.unique("team/cancel") + ":1");
        assertThatThrownBy(() -> client.copy(from, second, Optional.empty(), event -> {
            early.add(event);
            preparing.cancel(); // at the first event: before any blob is sent
        }, preparing)).isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(early).as("nothing sent").allMatch(e -> e.step() == CopyEvent.Step.PREPARING);
        assertThat(client.headManifest(second, Cancellation.none())).isEmpty();

        Descriptor copied = client.copy(from, to, Optional.empty(), event -> { }, Cancellation.none());
        assertThat(copied.digest().toString()).isEqualTo(app.manifestDigest());
        assertThat(client.pullManifest(to, Cancellation.none()).bytes())
                .isEqualTo(client.pullManifest(from, Cancellation.none()).bytes());
    }
}
