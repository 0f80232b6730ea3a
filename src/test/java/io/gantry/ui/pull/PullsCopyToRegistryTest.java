package io.gantry.ui.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.registry.RegistryClient;
import io.gantry.service.PullService;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.collections.ListChangeListener;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Copy to" › "A registry…" as the pull panel runs it ({@link PullsViewModel#copyToRegistry}): the
 * embedded store (a temp dir) pushes to the harness registry. A copy cancelled as its first rows
 * arrive ends cancelled and leaves no manifest in the registry; a copy that runs ends done with one
 * "Pushed" row per layer and the digest the registry serves; a second copy into another repository
 * of the same registry mounts every layer. The copies run on the test's thread (a queued executor,
 * the FX thread is the calling thread), so no step depends on timing.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class PullsCopyToRegistryTest {

    private final FixtureImages images = new FixtureImages();
    private final ExecutorService uploads = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        uploads.shutdownNow();
        uploads.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void aCancelledCopyPutsNoManifestAndACopyEndsWithPushedRowsAndTheDigest(RegistryPeer registry) throws Exception {
        String u = FixtureImages.unique("card-push");
        String local = "example.com/" + u + ":1";
        FixtureImage image = images.image(u).layer("ADD a", l -> l.randomFile("a", 300_000, 1))
                .layer("ADD b", l -> l.randomFile("b", 200_000, 2)).oci();
        List<String> layerIds = image.layerBlobs().stream().map(b -> Digest.of(b.digest()).shortHex()).toList();
        List<Runnable> queued = new ArrayList<>();
        List<PullJob> done = new ArrayList<>();
        List<Throwable> failed = new ArrayList<>();
        PullsViewModel model = new PullsViewModel(new PullService(), queued::add, Runnable::run, done::add,
                (job, error) -> failed.add(error));
        StoreOptions options = new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(30), Platform.parse("linux/amd64"))
                .withPulls(new StorePulls(RegistryClient.builder().build(), uploads, 3));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"), options)) {
            StoreFixtures.store(store, image, local);

            ImageReference cancelledTarget = ImageReference.parse(registry.hostPort() + "/" + u + "-cancelled:1");
            PullJob cancelled = model.copyToRegistry(store, ImageReference.parse(local), cancelledTarget);
            // cancel as soon as the first layer row is shown: before any upload can have finished the push
            cancelled.layers().addListener((ListChangeListener<LayerRow>) change -> cancelled.cancel());
            queued.remove(0).run();
            assertThat(cancelled.stateProperty().get()).isEqualTo(PullJob.State.CANCELLED);
            assertThat(cancelled.statusProperty().get()).isEqualTo("Cancelled");
            assertThat(cancelled.layers()).as("cancelled while preparing: nothing was sent").hasSize(layerIds.size())
                    .allSatisfy(row -> assertThat(row.statusProperty().get()).isEqualTo("Cancelled"));
            assertThat(manifestStatus(registry, u + "-cancelled", "1")).as("no manifest under the tag").isEqualTo(404);

            ImageReference target = ImageReference.parse(registry.hostPort() + "/" + u + ":1");
            PullJob job = model.copyToRegistry(store, ImageReference.parse(local), target);
            assertThat(job.isCopy()).isTrue();
            assertThat(job.title()).isEqualTo("Copy " + local + ": Embedded store → " + target.familiar());
            queued.remove(0).run();
            assertThat(failed).isEmpty();
            assertThat(job.stateProperty().get()).isEqualTo(PullJob.State.DONE);
            assertThat(job.statusProperty().get()).isEqualTo("Pushed, image ID " + image.imageId().substring(7, 19));
            assertThat(job.digestProperty().get()).as("the manifest bytes kept: the fixture's digest")
                    .isEqualTo(image.manifestDigest());
            assertThat(manifestStatus(registry, u, "1")).isEqualTo(200);
            assertThat(job.layers()).extracting(LayerRow::id).containsExactlyInAnyOrderElementsOf(layerIds);
            assertThat(job.layers()).allSatisfy(row -> {
                assertThat(row.statusProperty().get()).isEqualTo("Pushed");
                assertThat(row.progressProperty().get()).isEqualTo(1.0);
            });
            assertThat(done).containsExactly(job);

            // the store now knows the image in that repository: another repository mounts from it
            PullJob mounted = model.copyToRegistry(store, ImageReference.parse(local),
                    ImageReference.parse(registry.hostPort() + "/" + u + "-mounted:2"));
            queued.remove(0).run();
            assertThat(mounted.stateProperty().get()).isEqualTo(PullJob.State.DONE);
            assertThat(mounted.layers()).hasSize(layerIds.size()).allSatisfy(row ->
                    assertThat(row.statusProperty().get()).isEqualTo("Mounted from " + u));
            assertThat(mounted.digestProperty().get()).isEqualTo(image.manifestDigest());
            assertThat(failed).isEmpty();
            assertThat(model.runningProperty().get()).isZero();
        }
    }

    private static int manifestStatus(RegistryPeer registry, String repository, String tag) throws Exception {
        Request head = new Request.Builder().head().url(registry.baseUrl() + "/v2/" + repository + "/manifests/" + tag)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build();
        try (Response response = registry.http().newCall(head).execute()) {
            return response.code();
        }
    }
}
