package io.gantry.ui.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.service.PullService;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Copy to" as the pull panel runs it, between two real embedded stores (in-process, no peer): the
 * card ends done with the image ID and one "Copied" row per layer, the destination has the same
 * image; a copy cancelled before it ran ends cancelled and leaves the destination empty.
 */
class PullsCopyTest {

    private final FixtureImages images = new FixtureImages();

    @TempDir
    Path dir;

    @Test
    void aCopyEndsDoneWithTheSameImageIdAndACancelledOneChangesNothing() {
        String ref = "example.com/" + FixtureImages.unique("panel-copy") + ":1";
        FixtureImage image = images.image("x").layer("ADD a", l -> l.file("a", "a")).layer("ADD b", l -> l.file("b", "b"))
                .oci();
        List<Runnable> queued = new ArrayList<>();
        List<PullJob> done = new ArrayList<>();
        List<Throwable> failed = new ArrayList<>();
        PullsViewModel model = new PullsViewModel(new PullService(), queued::add, Runnable::run, done::add,
                (job, error) -> failed.add(error));
        try (OciLayoutStore from = OciLayoutStore.open(dir.resolve("from"));
             OciLayoutStore to = OciLayoutStore.open(dir.resolve("to"))) {
            StoreFixtures.store(from, image, ref);

            PullJob cancelled = model.copy(from, ImageReference.parse(ref), to, false);
            cancelled.cancel();
            queued.remove(0).run();
            assertThat(cancelled.stateProperty().get()).isEqualTo(PullJob.State.CANCELLED);
            assertThat(to.listImages()).isEmpty();

            PullJob job = model.copy(from, ImageReference.parse(ref), to, false);
            assertThat(job.isCopy()).isTrue();
            assertThat(job.title()).startsWith("Copy ").contains("→");
            queued.remove(0).run();
            assertThat(job.stateProperty().get()).isEqualTo(PullJob.State.DONE);
            assertThat(job.statusProperty().get()).contains(image.imageId().substring(7, 19));
            assertThat(to.inspect(ImageKey.parse(ref)).id().toString()).isEqualTo(image.imageId());
            assertThat(job.layers()).as("one row per layer, each copied whole")
                    .extracting(LayerRow::id).containsExactlyElementsOf(image.layerBlobs().stream()
                            .map(b -> io.gantry.core.Digest.of(b.digest()).shortHex()).toList());
            assertThat(job.layers()).allSatisfy(row -> {
                assertThat(row.statusProperty().get()).isEqualTo("Copied");
                assertThat(row.progressProperty().get()).isEqualTo(1.0);
            });
            assertThat(cancelled.layers()).as("a copy cancelled before it ran streamed nothing")
                    .allSatisfy(row -> assertThat(row.statusProperty().get()).isNotEqualTo("Copied"));
            assertThat(done).containsExactly(job);
            assertThat(failed).isEmpty();
            assertThat(model.runningProperty().get()).isZero();
        }
    }
}
