package io.gantry.store;

import static io.gantry.store.StoreFixtures.image;
import static io.gantry.store.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {

    @TempDir
    Path dir;

    @Test
    void layersAndHistoryPairStepsWithLayersOneWaySkippingEmptyLayerSteps() {
        io.gantry.testing.FixtureImage image = new io.gantry.testing.FixtureImages().image("example.com/paired")
                .layer("ADD base", l -> l.file("a", "a")).emptyLayer("ENV A=1")
                .layer("COPY app", l -> l.randomFile("b", 3_000, 7)).emptyLayer("CMD [\"app\"]");
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.store(store, image, "example.com/paired:1");
            ImageKey key = ImageKey.parse("example.com/paired:1");

            List<io.gantry.engine.ImageLayer> layers = store.layers(key);
            List<io.gantry.engine.HistoryEntry> history = store.history(key);

            assertThat(layers).extracting(io.gantry.engine.ImageLayer::createdBy).containsExactly("ADD base", "COPY app");
            assertThat(layers).extracting(l -> l.blob().orElseThrow().toString())
                    .containsExactlyElementsOf(image.layerBlobs().stream().map(io.gantry.testing.Blob::digest).toList());
            assertThat(history).extracting(io.gantry.engine.HistoryEntry::createdBy)
                    .containsExactly("CMD [\"app\"]", "COPY app", "ENV A=1", "ADD base");
            assertThat(history).extracting(io.gantry.engine.HistoryEntry::size)
                    .containsExactly(0L, layers.get(1).size(), 0L, layers.get(0).size());
        }
    }

    /**
     * The same image (one config, one ID) under two names whose layers are other blobs, as after a
     * pull from a registry (gzipped) and a copy from Docker (uncompressed): the disk use counts the
     * blobs of both, as {@code du} of the blobs does (it counted one name's blobs only).
     */
    @Test
    void diskUseCountsTheBlobsOfEveryNameOfAnImageStoredTwiceAsOtherBlobs() throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image("example.com/twice")
                .layer("ADD app", l -> l.randomFile("app", 40_000, 9));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, "example.com/twice:gz")
                    .writeTo(dir.resolve("gz.tar")));
            store.load(new io.gantry.testing.DockerArchive().add(app, "example.com/twice:plain")
                    .writeTo(dir.resolve("plain.tar")));
            long blobBytes;
            try (java.util.stream.Stream<Path> files = Files.walk(store.root().resolve("blobs"))) {
                blobBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }

            io.gantry.engine.ImageStore.Listing listing = store.listWithDiskUsage();

            assertThat(listing.images()).singleElement().satisfies(image -> assertThat(image.repoTags())
                    .containsExactlyInAnyOrder("example.com/twice:gz", "example.com/twice:plain"));
            assertThat(listing.diskUsage()).hasValue(blobBytes);
            assertThat(store.diskUsage()).hasValue(blobBytes);
        }
    }

    @Test
    void aNameMovedByALoadToAnotherManifestOfTheSameImageLeavesNoBlobBehind() throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image("example.com/moved")
                .layer("ADD app", l -> l.randomFile("app", 40_000, 11));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, "example.com/moved:1")
                    .writeTo(dir.resolve("gz.tar")));
            Digest gzipped = store.image("example.com/moved:1").content().layers().get(0).digest();
            store.load(new io.gantry.testing.DockerArchive().add(app, "example.com/moved:1")
                    .writeTo(dir.resolve("plain.tar")));

            assertThat(store.image("example.com/moved:1").content().layers().get(0).digest()).isNotEqualTo(gzipped);
            assertThat(store.hasBlob(gzipped)).isFalse();
            assertNothingUnreferenced(store);
        }
    }

    @Test
    void aTagMovedToAnotherManifestOfTheSameImageFreesWhatOnlyTheOldOneReached() throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image("example.com/retag")
                .layer("ADD app", l -> l.randomFile("app", 40_000, 12));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, "example.com/retag:gz")
                    .writeTo(dir.resolve("gz.tar")));
            store.load(new io.gantry.testing.DockerArchive().add(app, "example.com/retag:plain")
                    .writeTo(dir.resolve("plain.tar")));
            Digest gzipped = store.image("example.com/retag:gz").content().layers().get(0).digest();

            store.tag(ImageKey.parse("example.com/retag:plain"), ImageReference.parse("example.com/retag:gz"));

            assertThat(store.listImages()).singleElement().satisfies(image -> assertThat(image.repoTags())
                    .containsExactlyInAnyOrder("example.com/retag:gz", "example.com/retag:plain"));
            assertThat(store.hasBlob(gzipped)).isFalse();
            assertNothingUnreferenced(store);
        }
    }

    @Test
    void deletingAnImageStoredAsTwoBlobSetsFreesBoth() throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image("example.com/both")
                .layer("ADD app", l -> l.randomFile("app", 40_000, 13));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, "example.com/both:gz")
                    .writeTo(dir.resolve("gz.tar")));
            store.load(new io.gantry.testing.DockerArchive().add(app, "example.com/both:plain")
                    .writeTo(dir.resolve("plain.tar")));
            Digest id = store.image("example.com/both:gz").id();
            long before = blobBytes(store);

            DeleteResult result = store.delete(ImageKey.of(id), true);

            assertThat(result.imageDeleted()).isTrue();
            assertThat(blobBytes(store)).isZero();
            assertThat(before).isPositive();
            assertNothingUnreferenced(store);
        }
    }

    @Test
    void untaggingTheOnlyNameOfOneBlobSetFreesItAndKeepsTheImage() throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image("example.com/untag")
                .layer("ADD app", l -> l.randomFile("app", 40_000, 14));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, "example.com/untag:gz")
                    .writeTo(dir.resolve("gz.tar")));
            Digest gzipped = store.image("example.com/untag:gz").content().layers().get(0).digest();
            store.load(new io.gantry.testing.DockerArchive().add(app, "example.com/untag:plain")
                    .writeTo(dir.resolve("plain.tar")));

            DeleteResult result = store.delete(ImageKey.parse("example.com/untag:gz"), false);

            // the gzipped set had no other name: it goes, and the lines say so (as the preview does)
            assertThat(result.lines()).extracting(Object::toString).containsExactly("Untagged: example.com/untag:gz",
                    "Deleted: " + gzipped);
            assertThat(store.listImages()).singleElement().satisfies(image -> assertThat(image.repoTags())
                    .containsExactly("example.com/untag:plain"));
            assertThat(store.hasBlob(gzipped)).isFalse();
            assertNothingUnreferenced(store);
        }
    }

    private static long blobBytes(OciLayoutStore store) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(store.root().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Every blob on disk is referenced, and the disk use equals the bytes of the blob files, as {@code du}. */
    private static void assertNothingUnreferenced(OciLayoutStore store) throws java.io.IOException {
        assertThat(store.gc(true).blobs()).isEmpty();
        assertThat(store.diskUsage()).hasValue(blobBytes(store));
        assertThat(store.listWithDiskUsage().diskUsage()).hasValue(blobBytes(store));
        assertThat(store.verify().ok()).isTrue();
    }

    @Test
    void createsAnEmptyLayoutThatReopens() throws Exception {
        Path root = dir.resolve("store");
        try (OciLayoutStore store = OciLayoutStore.open(root)) {
            assertThat(store.listImages()).isEmpty();
        }
        assertThat(Files.readString(root.resolve("oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
        assertThat(Files.readString(root.resolve("index.json"))).contains("\"manifests\":[]");
        try (OciLayoutStore store = OciLayoutStore.open(root)) {
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void refusesADirectoryThatIsNotALayoutAndLeavesItAlone() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> OciLayoutStore.open(dir))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE);
                    assertThat(e.code()).contains("NOT_A_LAYOUT");
                    assertThat(e.getMessage()).contains("not an OCI image layout");
                });
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
        Path file = dir.resolve("notes.txt");
        assertThatThrownBy(() -> OciLayoutStore.open(file)).isInstanceOf(GantryException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void refusesADamagedIndexWithoutTouchingIt() throws Exception {
        Path root = dir.resolve("store");
        OciLayoutStore.open(root).close();
        Files.writeString(root.resolve("index.json"), "{\"manifests\": [ {\"digest\": 12");
        assertThatThrownBy(() -> OciLayoutStore.open(root))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.code()).contains("LAYOUT_DAMAGED");
                    assertThat(e.getMessage()).startsWith("index.json is damaged: not valid JSON: ")
                            .contains("(line 1, column ").doesNotContain("Source:", "byte[]");
                });
        assertThat(Files.readString(root.resolve("index.json"))).isEqualTo("{\"manifests\": [ {\"digest\": 12");
    }

    @Test
    void anUnreadableIndexIsReportedInWordsAndLeftAlone() throws Exception {
        Path root = dir.resolve("store");
        OciLayoutStore.open(root).close();
        Files.delete(root.resolve("index.json"));
        Files.createDirectory(root.resolve("index.json"));
        assertThatThrownBy(() -> OciLayoutStore.open(root))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.describe())
                        .contains("index.json").doesNotContain("Exception", "java."));
        assertThat(root.resolve("index.json")).isDirectory();
    }

    @Test
    void refusesAnUnsupportedLayoutVersion() throws Exception {
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        assertThatThrownBy(() -> OciLayoutStore.open(dir)).isInstanceOf(GantryException.class)
                .hasMessageContaining("unsupported imageLayoutVersion");
    }

    @Test
    void listsImagesWithSharedAndUniqueSizeByStoredBlob() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image base = image("base", 1, 2);
            StoreFixtures.Image app = image("app", 1, 2, 3);
            StoreFixtures.Image other = image("other", 2, 1); // the same blobs in another order: stored once
            StoreFixtures.Image twin = StoreFixtures.imageGzippedAt(Deflater.NO_COMPRESSION, "twin", 1, 2); // base's diff IDs, other blobs
            store(store, base, "example.com/base:1");
            store(store, app, "example.com/app:1");
            store(store, other, "example.com/other:1");
            store(store, twin, "example.com/twin:1");
            Map<String, ImageSummary> byTag = store.listImages().stream()
                    .collect(Collectors.toMap(i -> i.repoTags().get(0), Function.identity()));
            long l1 = base.layers().get(0).blob().length;
            long l2 = base.layers().get(1).blob().length;
            long l3 = app.layers().get(2).blob().length;
            assertThat(twin.layers().get(0).diffId()).isEqualTo(base.layers().get(0).diffId());
            assertThat(twin.layers().get(0).digest()).isNotEqualTo(base.layers().get(0).digest());
            assertThat(byTag.get("example.com/base:1").size()).isEqualTo(l1 + l2);
            assertThat(byTag.get("example.com/base:1").sharedSize()).isEqualTo(l1 + l2);
            assertThat(byTag.get("example.com/app:1").sharedSize()).isEqualTo(l1 + l2);
            assertThat(byTag.get("example.com/app:1").uniqueSize()).isEqualTo(l3);
            assertThat(byTag.get("example.com/other:1").sharedSize()).isEqualTo(l1 + l2);
            assertThat(byTag.get("example.com/twin:1").sharedSize()).isZero();
            assertThat(byTag.get("example.com/app:1").id()).isEqualTo(app.id());
        }
    }

    /** UNIQUE is what deleting the image alone frees on disk, checked by deleting each image of a fresh store. */
    @Test
    void uniqueSizeIsWhatDeletingTheImageFreesOnDisk() throws Exception {
        Map<String, StoreFixtures.Image> images = new java.util.LinkedHashMap<>();
        images.put("example.com/base:1", image("base", 1, 2));
        images.put("example.com/app:1", image("app", 1, 2, 3));
        images.put("example.com/other:1", image("other", 2, 1));
        images.put("example.com/twin:1", StoreFixtures.imageGzippedAt(Deflater.NO_COMPRESSION, "twin", 1, 2));
        images.put("example.com/repeat:1", image("repeat", 4, 1, 4)); // one blob listed twice, kept once
        List<Digest> layerBlobs = images.values().stream()
                .flatMap(i -> i.layers().stream().map(StoreFixtures.Layer::digest)).distinct().toList();
        int run = 0;
        for (String deleted : images.keySet()) {
            Path root = dir.resolve("store-" + run++);
            try (OciLayoutStore store = OciLayoutStore.open(root)) {
                images.forEach((tag, image) -> store(store, image, tag));
                ImageSummary listed = store.listImages().stream().filter(i -> i.repoTags().contains(deleted))
                        .findFirst().orElseThrow();
                long before = bytesOnDisk(root, layerBlobs);
                assertThat(store.delete(ImageKey.parse(deleted), false).conflict()).isEmpty();
                long freed = before - bytesOnDisk(root, layerBlobs);
                assertThat(freed).as("layer bytes freed by deleting %s", deleted).isEqualTo(listed.uniqueSize());
            }
        }
    }

    private static long bytesOnDisk(Path root, List<Digest> blobs) throws Exception {
        long bytes = 0;
        for (Digest blob : blobs) {
            Path file = root.resolve("blobs").resolve(blob.algorithm()).resolve(blob.hex());
            bytes += Files.exists(file) ? Files.size(file) : 0;
        }
        return bytes;
    }

    @Test
    void inspectAndHistoryDescribeTheImage() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image app = image("app", 1, 2);
            store(store, app, "alpine:3.20", "docker.io/library/alpine@" + app.manifestDescriptor().digest());
            ImageDetails details = store.inspect(ImageKey.parse("alpine:3.20"));
            assertThat(details.id()).isEqualTo(app.id());
            assertThat(details.repoTags()).containsExactly("alpine:3.20");
            assertThat(details.repoDigests()).containsExactly("alpine@" + app.manifestDescriptor().digest());
            assertThat(details.diffIds()).containsExactly(app.layers().get(0).diffId(), app.layers().get(1).diffId());
            assertThat(details.config().labels()).containsEntry("x", "app");
            assertThat(details.platform()).contains(io.gantry.core.Platform.of("linux", "amd64"));
            assertThat(details.size()).isEqualTo(app.layers().get(0).blob().length + app.layers().get(1).blob().length);
            assertThat(store.inspect(ImageKey.parse(app.id().hex().substring(0, 8))).id()).isEqualTo(app.id());
            assertThat(store.inspect(ImageKey.parse(app.id().toString())).id()).isEqualTo(app.id());

            List<HistoryEntry> history = store.history(ImageKey.parse("alpine:3.20"));
            assertThat(history).hasSize(3);
            assertThat(history.get(0).size()).isZero();
            assertThat(history.get(0).imageId()).contains(app.id());
            assertThat(history.get(0).tags()).containsExactly("alpine:3.20");
            assertThat(history.get(1).size()).isEqualTo(app.layers().get(1).blob().length);
            assertThat(history.get(2).createdBy()).isEqualTo("/bin/sh -c add layer 0");

            assertThatThrownBy(() -> store.inspect(ImageKey.parse("nope:1")))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }

    @Test
    void findingOneImageReadsOnlyThatImageAndFindsItByNameIdPrefixAndDigest() throws Exception {
        StoreFixtures.Image one = image("one", 1, 2);
        StoreFixtures.Image two = image("two", 1, 3);
        StoreFixtures.Image broken = image("broken", 4);
        List<ImageSummary> listed;
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            store(store, one, "one:1", "one:2");
            store(store, two, "two:1");
            store(store, broken, "broken:1");
            for (int i = 0; i < 30; i++) {
                store(store, image("filler-" + i, 1, 100 + i), "filler/" + i + ":latest");
            }
            listed = store.listImages(); // writes the listing cache, as any listing does
        }
        Files.delete(dir.resolve("blobs/sha256").resolve(broken.id().hex())); // its config: damaged from now on
        String oneId = one.id().toString();
        List<ImageSummary> readable = listed.stream().filter(i -> !i.id().equals(broken.id())).toList();
        String unique = one.id().hex().substring(0, 12);
        assertThat(readable).filteredOn(i -> i.id().hex().startsWith(unique)).hasSize(1);
        // a one-character prefix that several of the readable images' IDs start with (34 IDs, 16 characters)
        String shared = readable.stream().map(i -> i.id().hex().substring(0, 1))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        long sharing = readable.stream().filter(i -> i.id().hex().startsWith(shared)).count();

        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            Map<String, Digest> found = new java.util.LinkedHashMap<>();
            for (String input : List.of("one:2", "docker.io/library/one:1", unique, "sha256:" + unique, oneId,
                    one.manifestDescriptor().digest().toString(), "two:1")) {
                long before = store.smallBlobReads();
                ImageDetails details = store.inspect(ImageKey.parse(input));
                found.put(input, details.id());
                // the found image's manifest and config, maybe twice (two entries); never the 32 others'
                assertThat(store.smallBlobReads() - before).as("blobs read to find " + input).isLessThanOrEqualTo(4L);
                if (details.id().equals(one.id())) {
                    assertThat(details.repoTags()).containsExactly("one:1", "one:2");
                }
            }
            assertThat(found).containsEntry("one:2", one.id()).containsEntry("docker.io/library/one:1", one.id())
                    .containsEntry(unique, one.id()).containsEntry("sha256:" + unique, one.id())
                    .containsEntry(oneId, one.id()).containsEntry(one.manifestDescriptor().digest().toString(), one.id())
                    .containsEntry("two:1", two.id());

            assertThatThrownBy(() -> store.inspect(ImageKey.parse(shared)))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                        assertThat(e.getMessage()).contains("is the start of " + sharing + " image IDs");
                    });
            assertThatThrownBy(() -> store.inspect(ImageKey.parse("broken:1")))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE));
            assertThatThrownBy(() -> store.inspect(ImageKey.parse("nope:1")))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }

        Files.delete(new LayoutPaths(dir).work().resolve(ListingCache.FILE));
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            long before = store.smallBlobReads();
            assertThat(store.inspect(ImageKey.parse("two:1")).id()).isEqualTo(two.id());
            // without the listing cache: every entry's manifest for its ID, and two's config; no other config
            assertThat(store.smallBlobReads() - before).isLessThanOrEqualTo(35 + 1);
        }
    }

    @Test
    void removingOneOfSeveralTagsOnlyUntags() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image app = image("app", 1, 2);
            store(store, app, "example.com/app:1", "example.com/app:latest");
            DeleteResult result = store.delete(ImageKey.parse("example.com/app:1"), false);
            assertThat(result.lines()).containsExactly(DeleteLine.untagged("example.com/app:1"));
            assertThat(store.listImages()).singleElement().satisfies(i -> assertThat(i.repoTags()).containsExactly("example.com/app:latest"));
            for (StoreFixtures.Layer layer : app.layers()) {
                assertThat(store.hasBlob(layer.digest())).isTrue();
            }
        }
    }

    @Test
    void removingTheLastTagDeletesTheImageButSharedLayersSurvive() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image base = image("base", 1, 2);
            StoreFixtures.Image app = image("app", 1, 2, 3);
            store(store, base, "example.com/base:1");
            store(store, app, "example.com/app:1", "example.com/app@" + app.manifestDescriptor().digest());
            DeleteResult result = store.delete(ImageKey.parse("example.com/app:1"), false);
            // as docker rmi: the names, the image ID once, then each layer freed (never the config or manifest)
            assertThat(result.lines()).containsExactly(
                    DeleteLine.untagged("example.com/app:1"),
                    DeleteLine.untagged("example.com/app@" + app.manifestDescriptor().digest()),
                    DeleteLine.deleted(app.id().toString()),
                    DeleteLine.deleted(app.layers().get(2).digest().toString()));
            // the manifest and config go from disk, but the lines name the image and its layers only
            assertThat(store.hasBlob(app.manifestDescriptor().digest())).isFalse();
            assertThat(store.hasBlob(app.layers().get(2).digest())).isFalse();
            assertThat(store.hasBlob(app.layers().get(0).digest())).isTrue();
            assertThat(store.hasBlob(app.layers().get(1).digest())).isTrue();
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void deletingByIdWhenSeveralRepositoriesNameItIsASoftConflict() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image app = image("app", 1);
            store(store, app, "example.com/app:1", "example.com/mirror:1");
            DeleteResult refused = store.delete(ImageKey.parse(app.id().toString()), false);
            assertThat(refused.refused()).isTrue();
            assertThat(refused.conflict()).get().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(DeleteConflict.Kind.MULTIPLE_REFERENCES);
                assertThat(c.forcible()).isTrue();
                assertThat(c.references()).containsExactly("example.com/app:1", "example.com/mirror:1");
            });
            assertThat(store.listImages()).hasSize(1);
            DeleteResult forced = store.delete(ImageKey.parse(app.id().hex().substring(0, 12)), true);
            assertThat(forced.lines()).startsWith(DeleteLine.untagged("example.com/app:1"),
                    DeleteLine.untagged("example.com/mirror:1"), DeleteLine.deleted(app.id().toString()));
            assertThat(store.listImages()).isEmpty();
        }
    }

    @Test
    void deletingByIdWithTwoTagsOfOneRepositoryNeedsForceAsInDocker() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image app = image("app", 1);
            store(store, app, "example.com/app:1", "example.com/app:2");
            DeleteResult refused = store.delete(ImageKey.parse(app.id().toString()), false);
            assertThat(refused.conflict()).hasValueSatisfying(
                    c -> assertThat(c.kind()).isEqualTo(DeleteConflict.Kind.MULTIPLE_REFERENCES));
            assertThat(store.listImages()).hasSize(1);
            assertThat(store.delete(ImageKey.parse(app.id().toString()), true).imageDeleted()).isTrue();
            assertThat(store.listImages()).isEmpty();
        }
    }

    @Test
    void taggingMovesANameAndLeavesTheOldImageDangling() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image v1 = image("v1", 1);
            StoreFixtures.Image v2 = image("v2", 2);
            store(store, v1, "example.com/app:latest");
            store(store, v2, "example.com/app:2");
            store.tag(ImageKey.parse("example.com/app:2"), ImageReference.parse("example.com/app:latest"));
            Map<Digest, ImageSummary> byId = store.listImages().stream()
                    .collect(Collectors.toMap(ImageSummary::id, Function.identity()));
            assertThat(byId.get(v2.id()).repoTags()).containsExactlyInAnyOrder("example.com/app:2", "example.com/app:latest");
            assertThat(byId.get(v1.id()).dangling()).isTrue();
            assertThatThrownBy(() -> store.tag(ImageKey.parse("example.com/app:2"), ImageReference.parse("example.com/app@" + v1.id())))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }

    @Test
    void pruneRemovesDanglingImagesAndADryRunOnlyPlans() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image v1 = image("v1", 1, 5);
            StoreFixtures.Image v2 = image("v2", 1, 6);
            store(store, v1, "example.com/app:latest");
            store(store, v2, "example.com/app:latest");
            // as Docker's SpaceReclaimed: the layers freed, each once (the manifest and config go too, uncounted)
            long expected = v1.layers().get(1).blob().length;

            PruneResult plan = store.prune(PruneMode.DANGLING, true);
            assertThat(plan.dryRun()).isTrue();
            assertThat(plan.spaceReclaimed()).isEqualTo(expected);
            assertThat(plan.lines()).contains(DeleteLine.deleted(v1.id().toString()));
            assertThat(plan.imagesDeleted()).containsExactly(v1.id());
            assertThat(store.listImages()).hasSize(2);

            PruneResult done = store.prune(PruneMode.DANGLING, false);
            assertThat(done.spaceReclaimed()).isEqualTo(expected);
            assertThat(done.lines()).isEqualTo(plan.lines());
            assertThat(store.listImages()).extracting(ImageSummary::id).containsExactly(v2.id());
            assertThat(store.hasBlob(v1.layers().get(0).digest())).isTrue();
            assertThat(store.hasBlob(v1.manifestDescriptor().digest())).isFalse();
            assertThat(store.verify().ok()).isTrue();

            PruneResult all = store.prune(PruneMode.ALL_UNUSED, false);
            assertThat(all.lines()).contains(DeleteLine.untagged("example.com/app:latest"));
            assertThat(store.listImages()).isEmpty();
            assertThat(store.verify().unreferenced()).isZero();
        }
    }

    @Test
    void gcRemovesOnlyUnreferencedBlobs() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image app = image("app", 1, 2);
            store(store, app, "example.com/app:1");
            Descriptor stray = store.writeBlob("application/octet-stream", "stray".getBytes(StandardCharsets.UTF_8));
            GcReport plan = store.gc(true);
            assertThat(plan.blobs()).extracting(Descriptor::digest).containsExactly(stray.digest());
            assertThat(store.hasBlob(stray.digest())).isTrue();
            GcReport done = store.gc(false);
            assertThat(done.reclaimedBytes()).isEqualTo(5);
            assertThat(store.hasBlob(stray.digest())).isFalse();
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void addImageRefusesAManifestWithMissingBlobs() {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image app = image("app", 1, 2);
            store.writeBlob(app.manifestDescriptor(), new ByteArrayInputStream(app.manifest()));
            store.writeBlob(app.configDescriptor(), new ByteArrayInputStream(app.config()));
            assertThatThrownBy(() -> store.addImage(app.manifestDescriptor(), List.of(ImageName.of(ImageReference.parse("a:1"))), java.util.Optional.empty()))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                        assertThat(e.code()).contains("BLOB_UNKNOWN");
                    });
            assertThat(store.listImages()).isEmpty();
        }
    }

    /**
     * The index parsed when the store opened serves the first listing only while index.json is
     * unchanged: images another instance added, and one it deleted, after this store opened and
     * before its first listing are seen.
     */
    @Test
    void theFirstListingSeesWhatAnotherInstanceChangedAfterTheStoreOpened() {
        try (OciLayoutStore writer = OciLayoutStore.open(dir)) {
            store(writer, image("base", 1), "example.com/base:1");
            store(writer, image("gone", 2), "example.com/gone:1");
        }
        try (OciLayoutStore unchanged = OciLayoutStore.open(dir)) {
            assertThat(unchanged.listImages()).flatExtracting(ImageSummary::repoTags)
                    .containsExactlyInAnyOrder("example.com/base:1", "example.com/gone:1");
        }
        try (OciLayoutStore reader = OciLayoutStore.open(dir); OciLayoutStore writer = OciLayoutStore.open(dir)) {
            store(writer, image("app", 3), "example.com/app:1");
            writer.delete(ImageKey.parse("example.com/gone:1"), false);
            assertThat(reader.listImages()).flatExtracting(ImageSummary::repoTags)
                    .containsExactlyInAnyOrder("example.com/base:1", "example.com/app:1");
            assertThat(reader.listImages()).flatExtracting(ImageSummary::repoTags)
                    .containsExactlyInAnyOrder("example.com/base:1", "example.com/app:1");
        }
    }

    @Test
    void subscribersHearChangesMadeByAnotherStoreInstance() throws Exception {
        try (OciLayoutStore watched = OciLayoutStore.open(dir); OciLayoutStore other = OciLayoutStore.open(dir)) {
            java.util.concurrent.BlockingQueue<io.gantry.engine.StoreEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
            try (io.gantry.engine.Subscription subscription = watched.subscribe(events::add)) {
                store(other, image("app", 1), "example.com/app:1");
                io.gantry.engine.StoreEvent event = events.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(event).isNotNull();
                assertThat(event.type()).isEqualTo(io.gantry.engine.StoreEvent.Type.IMAGE);
                assertThat(event.action()).isEqualTo("update");
            }
        }
    }
}
