package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.Blob;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Pulls into the embedded store from the private registry. */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class PullTest {

    private final FixtureImages images = new FixtureImages();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final RegistryClient client = RegistryClient.builder().build();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OciLayoutStore open(Path root, int jobs) {
        return OciLayoutStore.open(root, new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(30),
                Platform.parse("linux/amd64")).withPulls(new StorePulls(client, executor, jobs)));
    }

    private static PullResult pull(OciLayoutStore store, String reference, List<PullProgress> events) {
        return store.pull(PullRequest.of(reference), events::add, Cancellation.none());
    }

    @Test
    void pullsByTagVerifiedAndNamedWithTagAndDigest(RegistryPeer registry) {
        String repo = FixtureImages.unique("pull");
        FixtureImage app = images.image(repo).tag("1.0").layer("ADD a", l -> l.file("a", "a"))
                .bigLayer(400_000, 1).layer("ADD c", l -> l.file("c", "c"));
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());
        List<PullProgress> events = new ArrayList<>();
        try (OciLayoutStore store = open(dir, 3)) {
            PullResult result = pull(store, ref, events);
            assertThat(result.imageId().toString()).isEqualTo(app.imageId());
            assertThat(result.digest()).contains(Digest.of(app.manifestDigest()));
            assertThat(result.upToDate()).isFalse();
            assertThat(events).extracting(PullProgress::phase).contains(Phase.PULLING_FS_LAYER, Phase.DOWNLOADING,
                    Phase.VERIFYING, Phase.DOWNLOAD_COMPLETE, Phase.PULL_COMPLETE, Phase.DIGEST, Phase.STATUS);
            assertThat(events.stream().filter(e -> e.phase() == Phase.PULL_COMPLETE)).hasSize(3);
            assertThat(events.get(events.size() - 1).text()).isEqualTo("Status: Downloaded newer image for " + ref);
            ImageSummary image = store.listImages().get(0);
            assertThat(image.repoTags()).containsExactly(ref);
            assertThat(image.repoDigests()).containsExactly(registry.hostPort() + "/" + repo + "@" + app.manifestDigest());
            assertThat(store.verify().ok()).isTrue();
            assertThat(store.verify().unreferenced()).isZero();

            List<PullProgress> again = new ArrayList<>();
            PullResult second = pull(store, ref, again);
            assertThat(second.upToDate()).isTrue();
            assertThat(again.stream().filter(e -> e.phase() == Phase.ALREADY_EXISTS)).hasSize(3);
            assertThat(again).noneMatch(e -> e.phase() == Phase.DOWNLOADING);
            assertThat(again.get(again.size() - 1).text()).startsWith("Status: Image is up to date for");
        }
    }

    /** A listing in a fresh instance, and whether it came from the listing snapshot ({@code ListingSnapshotTest}). */
    private record Listed(List<ImageSummary> images, boolean fromSnapshot) {
    }

    private Listed listOnce() {
        try (OciLayoutStore store = open(dir, 3)) {
            List<ImageSummary> images = store.listImages();
            return new Listed(images, store.snapshotListings() == 1);
        }
    }

    @Test
    void aPullMakesTheListingSnapshotStale(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("snap");
        FixtureImage one = images.image(repo).tag("1").layer("ADD one", l -> l.file("one", "1"));
        FixtureImage two = images.image(repo).tag("2").layer("ADD two", l -> l.file("two", "2"));
        registry.pusher().push(one);
        registry.pusher().push(two);
        try (OciLayoutStore store = open(dir, 3)) {
            pull(store, one.reference(registry.hostPort()), new ArrayList<>());
        }
        assertThat(listOnce().fromSnapshot()).isFalse();
        assertThat(listOnce().fromSnapshot()).isTrue();

        try (OciLayoutStore store = open(dir, 3)) {
            pull(store, two.reference(registry.hostPort()), new ArrayList<>());
        }
        Listed after = listOnce();

        assertThat(after.fromSnapshot()).isFalse();
        assertThat(after.images()).extracting(i -> i.id().toString()).containsExactlyInAnyOrder(one.imageId(), two.imageId());
        Listed next = listOnce();
        assertThat(next.fromSnapshot()).isTrue();
        assertThat(next.images()).isEqualTo(after.images());
        Files.delete(dir.resolve(".gantry").resolve(ListingSnapshot.FILE));
        Files.delete(dir.resolve(".gantry").resolve(ListingCache.FILE));
        assertThat(listOnce().images()).as("the slow way").isEqualTo(after.images());
    }

    @Test
    void layersSharedWithAStoredImageAreNotFetchedAndPullByDigestWorks(RegistryPeer registry) {
        String repo = FixtureImages.unique("family");
        FixtureImage base = images.image(repo).tag("base").layer("ADD base", l -> l.file("etc/base", "base"));
        FixtureImage app = base.child(repo).tag("app").layer("ADD app", l -> l.file("app", "app"));
        registry.pusher().push(base);
        registry.pusher().push(app);
        try (OciLayoutStore store = open(dir, 3)) {
            pull(store, base.reference(registry.hostPort()), new ArrayList<>());
            List<PullProgress> events = new ArrayList<>();
            String byDigest = registry.hostPort() + "/" + repo + "@" + app.manifestDigest();
            PullResult result = pull(store, byDigest, events);
            assertThat(result.imageId().toString()).isEqualTo(app.imageId());
            assertThat(events.stream().filter(e -> e.phase() == Phase.ALREADY_EXISTS)).hasSize(1);
            assertThat(events.stream().filter(e -> e.phase() == Phase.PULL_COMPLETE)).hasSize(1);
            assertThat(store.image(byDigest).id().toString()).isEqualTo(app.imageId());
            assertThat(store.listImages()).filteredOn(i -> i.id().toString().equals(app.imageId()))
                    .singleElement().satisfies(i -> {
                        assertThat(i.repoTags()).isEmpty();
                        assertThat(i.repoDigests()).containsExactly(byDigest);
                        assertThat(i.sharedSize()).isPositive();
                    });
        }
    }

    @Test
    void choosesThePlatformOfAMultiArchImageAndKeepsTheIndex(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("multi");
        FixtureImage amd0 = images.image(repo).platform("linux/amd64").layer("ADD arch", l -> l.file("arch", "amd64"));
        FixtureImage arm0 = images.image(repo).platform("linux/arm64/v8").layer("ADD arch", l -> l.file("arch", "arm64"));
        FixtureIndex index = images.index(repo, amd0, arm0).oci();
        FixtureImage amd = index.images().get(0); // as pushed: in the index's (OCI) format
        FixtureImage arm = index.images().get(1);
        registry.pusher().push(index);
        String ref = index.reference(registry.hostPort());
        try (OciLayoutStore store = open(dir, 3)) {
            PullResult arm64 = store.pull(new PullRequest(ImageReference.parse(ref), Optional.of(Platform.parse("linux/arm64"))), e -> { }, Cancellation.none());
            assertThat(arm64.imageId().toString()).isEqualTo(arm.imageId());
            assertThat(arm64.digest()).contains(Digest.of(index.manifestDigest()));
            LayoutImage stored = store.image(ref);
            assertThat(stored.sourceIndex()).map(Descriptor::digest).contains(Digest.of(index.manifestDigest()));
            assertThat(stored.manifest().digest().toString()).isEqualTo(arm.manifestDigest());
            assertThat(stored.manifest().platform()).map(Platform::toString).contains("linux/arm64/v8");
            assertThat(store.hasBlob(Digest.of(index.manifestDigest()))).isTrue();
            assertThat(store.listImages().get(0).repoDigests())
                    .containsExactly(registry.hostPort() + "/" + repo + "@" + index.manifestDigest());
            assertThat(store.verify().ok()).isTrue();
            // the index survives garbage collection while the image is there, and the image exports unchanged
            store.gc(false);
            assertThat(store.hasBlob(Digest.of(index.manifestDigest()))).isTrue();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            store.save(keys(ref), ArchiveFormat.OCI, out);
            try (OciLayoutStore copy = OciLayoutStore.open(dir.resolve("copy"))) {
                copy.load(new java.io.ByteArrayInputStream(out.toByteArray()));
                assertThat(copy.image(ref).manifest().digest().toString()).isEqualTo(arm.manifestDigest());
            }

            // this machine's platform by default (the store was opened as linux/amd64)
            PullResult mine = store.pull(PullRequest.of(ref), e -> { }, Cancellation.none());
            assertThat(mine.imageId().toString()).isEqualTo(amd.imageId());
            assertThatThrownBy(() -> store.pull(new PullRequest(ImageReference.parse(ref), Optional.of(Platform.parse("linux/s390x"))), e -> { }, Cancellation.none()))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.code()).contains(RegistryClient.NO_MATCHING_PLATFORM);
                        assertThat(e.getMessage()).contains("linux/arm64");
                    });
        }
    }

    @Test
    void downloadsAtMostTheConfiguredNumberOfLayersAtOnce(RegistryPeer registry) {
        String repo = FixtureImages.unique("jobs");
        FixtureImage app = images.image(repo);
        for (int i = 0; i < 5; i++) {
            // big enough that two downloads overlap: a 200 kB layer could finish before the other started
            app = app.bigLayer(8_000_000, 100 + i);
        }
        registry.pusher().push(app);
        List<PullProgress> events = new ArrayList<>();
        try (OciLayoutStore store = open(dir, 2)) {
            pull(store, app.reference(registry.hostPort()), events);
        }
        // two start at once, the other three wait for a slot
        assertThat(events.stream().filter(e -> e.phase() == Phase.WAITING)).hasSize(3);
        // at no time are more than two layers between their first Downloading and Download complete.
        // Whether two downloads overlap in time depends on the machine: in CI at load 12 each 8 MB
        // layer finished before the other's first progress event. That N workers do run at once is
        // shown with latches by ParallelWorkTest, which the puller's downloads run on.
        List<String> active = new ArrayList<>();
        int most = 0;
        for (PullProgress e : events) {
            if (e.phase() == Phase.DOWNLOADING && !active.contains(e.layer())) {
                active.add(e.layer());
            } else if (e.phase() == Phase.DOWNLOAD_COMPLETE) {
                active.remove(e.layer());
            }
            most = Math.max(most, active.size());
        }
        assertThat(most).isBetween(1, 2);
    }

    @Test
    void anInterruptedPullResumesWithTheLayersItHad(RegistryPeer registry) {
        String repo = FixtureImages.unique("resume");
        FixtureImage app = images.image(repo).bigLayer(300_000, 11).bigLayer(3_000_000, 12).bigLayer(3_000_000, 13);
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());
        try (OciLayoutStore store = open(dir, 1)) {
            Cancellation cancel = new Cancellation();
            List<PullProgress> first = new ArrayList<>();
            assertThatThrownBy(() -> store.pull(PullRequest.of(ref), e -> {
                first.add(e);
                if (e.phase() == Phase.PULL_COMPLETE) {
                    cancel.cancel();
                }
            }, cancel)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
            assertThat(store.listImages()).isEmpty();
            assertThat(store.verify().ok()).isTrue();

            List<PullProgress> second = new ArrayList<>();
            pull(store, ref, second);
            assertThat(second.stream().filter(e -> e.phase() == Phase.ALREADY_EXISTS)).hasSizeGreaterThanOrEqualTo(1);
            assertThat(store.image(ref).id().toString()).isEqualTo(app.imageId());
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void aLayerInterruptedPartWayContinuesFromTheBytesItKept(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("partial");
        FixtureImage app = images.image(repo).bigLayer(24_000_000, 14);
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());
        String layer = app.layerBlobs().get(0).digest();
        try (OciLayoutStore store = open(dir, 1)) {
            Cancellation cancel = new Cancellation();
            long[] cancelledAt = {0};
            assertThatThrownBy(() -> store.pull(PullRequest.of(ref), e -> {
                if (e.phase() == Phase.DOWNLOADING && e.current() > 0 && cancelledAt[0] == 0) {
                    cancelledAt[0] = e.current();
                    cancel.cancel();
                }
            }, cancel)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
            assertThat(cancelledAt[0]).isBetween(1L, 24_000_000L - 1);
            assertThat(store.listImages()).isEmpty();
            assertThat(store.verify().ok()).isTrue();

            List<PullProgress> second = new ArrayList<>();
            pull(store, ref, second);
            assertThat(second).filteredOn(e -> e.phase() == Phase.DOWNLOADING).first()
                    .satisfies(e -> assertThat(e.current()).as("first progress of the second pull")
                            .isGreaterThan(cancelledAt[0]));
            assertThat(store.image(ref).id().toString()).isEqualTo(app.imageId());
            assertThat(store.verify().ok()).isTrue();
        }
        try (var lines = Files.lines(registry.logFile())) {
            assertThat(lines.filter(l -> l.contains("\"GET /v2/" + repo + "/blobs/" + layer + " ")
                    && l.contains("\" 206 ")).count()).as("ranged GETs of the layer").isEqualTo(1);
        }
    }

    @Test
    void twoPullsSharingALayerFetchItOnce(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("shared");
        FixtureImage base = images.image(repo).tag("base").bigLayer(6_000_000, 21);
        FixtureImage one = base.child(repo).tag("one").layer("ADD one", l -> l.file("one", "1"));
        FixtureImage two = base.child(repo).tag("two").layer("ADD two", l -> l.file("two", "2"));
        registry.pusher().push(one);
        registry.pusher().push(two);
        String shared = base.layerBlobs().get(0).digest();
        long before = blobGets(registry, shared);
        try (OciLayoutStore store = open(dir, 3)) {
            List<PullProgress> a = Collections.synchronizedList(new ArrayList<>());
            List<PullProgress> b = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<PullResult> first = CompletableFuture.supplyAsync(() -> pull(store, one.reference(registry.hostPort()), a));
            CompletableFuture<PullResult> second = CompletableFuture.supplyAsync(() -> pull(store, two.reference(registry.hostPort()), b));
            first.get();
            second.get();
            assertThat(store.listImages()).hasSize(2);
            assertThat(store.verify().ok()).isTrue();
        }
        assertThat(blobGets(registry, shared) - before).as("GETs of the shared layer").isEqualTo(1);
    }

    @Test
    void aRegistryLyingAboutALayersSizeIsRefusedAndStoresNothing(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("liar");
        FixtureImage honest = images.image(repo).bigLayer(100_000, 31);
        registry.pusher().push(honest);
        Blob layer = honest.layerBlobs().get(0);
        // the same image with a manifest that says the layer is smaller than it is
        String manifest = new String(honest.manifest().bytes(), StandardCharsets.UTF_8)
                .replace("\"size\":" + layer.size(), "\"size\":" + (layer.size() - 1000));
        Blob lying = Blob.of(honest.manifest().mediaType(), manifest.getBytes(StandardCharsets.UTF_8));
        registry.pusher().putManifest(repo, "lying", lying);
        try (OciLayoutStore store = open(dir, 3)) {
            assertThatThrownBy(() -> pull(store, registry.hostPort() + "/" + repo + ":lying", new ArrayList<>()))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
            assertThat(store.listImages()).isEmpty();
            assertThat(store.hasBlob(Digest.of(layer.digest()))).isFalse();
            assertThat(store.verify().ok()).isTrue();
            try (var partials = Files.list(dir.resolve(".gantry/partial"))) {
                assertThat(partials.filter(p -> !p.toString().endsWith(".lock")).toList()).isEmpty();
            }
        }
    }

    @Test
    void aBadConfigFailsThePullThatFetchesItBesideTheLayers(RegistryPeer registry) {
        String repo = FixtureImages.unique("badconfig");
        FixtureImage honest = images.image(repo).bigLayer(4_000_000, 32).bigLayer(4_000_000, 33);
        registry.pusher().push(honest);
        Blob config = honest.configBlob();
        // the config is fetched while the layers download: its failure must still fail the pull
        String sizeAndDigest = "\"size\":%d,\"digest\":\"" + config.digest() + "\"";
        String manifest = new String(honest.manifest().bytes(), StandardCharsets.UTF_8)
                .replace(sizeAndDigest.formatted(config.size()), sizeAndDigest.formatted(config.size() - 10));
        assertThat(manifest).contains(sizeAndDigest.formatted(config.size() - 10));
        registry.pusher().putManifest(repo, "lying", Blob.of(honest.manifest().mediaType(),
                manifest.getBytes(StandardCharsets.UTF_8)));
        try (OciLayoutStore store = open(dir, 3)) {
            assertThatThrownBy(() -> pull(store, registry.hostPort() + "/" + repo + ":lying", new ArrayList<>()))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                        assertThat(e.describe()).contains(config.digest());
                    });
            assertThat(store.listImages()).isEmpty();
            assertThat(store.hasBlob(Digest.of(config.digest()))).isFalse();
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void aMissingImageIsNotFound(RegistryPeer registry) {
        try (OciLayoutStore store = open(dir, 3)) {
            assertThatThrownBy(() -> pull(store, registry.hostPort() + "/nothing-here:1", new ArrayList<>()))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }

    /** Successful GETs of a blob, from the registry's access log. */
    private static long blobGets(RegistryPeer registry, String digest) throws Exception {
        try (var lines = Files.lines(registry.logFile())) {
            return lines.filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/" + digest + " ")
                    && (l.contains("\" 200 ") || l.contains("\" 206 "))).count();
        }
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
