package io.gantry.store;

import static io.gantry.store.StoreFixtures.image;
import static io.gantry.store.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listing cache ({@code .gantry/listing}): a listing from it equals one that reads every
 * manifest and config, and a cache that is damaged, of another version or names content that is
 * gone never changes what a listing shows.
 */
class ListingCacheTest {

    @TempDir
    Path dir;

    private StoreFixtures.Image base;
    private StoreFixtures.Image app;
    private StoreFixtures.Image other;

    @BeforeEach
    void threeImages() {
        base = image("base", 1, 2);
        app = image("app", 1, 2, 3);
        other = image("other", 4);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            store(store, base, "example.com/base:1");
            store(store, app, "example.com/app:1", "example.com/app:latest");
            store(store, other);
        }
    }

    private Path cacheFile() {
        return dir.resolve(".gantry").resolve(ListingCache.FILE);
    }

    private record Listing(List<ImageSummary> images, long diskUsage) {
    }

    /** A listing by way of the cache: the listing snapshot (a whole listing, {@code ListingSnapshotTest}) removed first. */
    private Listing list() throws Exception {
        Files.deleteIfExists(dir.resolve(".gantry").resolve(ListingSnapshot.FILE));
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            return new Listing(store.listImages(), store.diskUsage().orElseThrow());
        }
    }

    /** The listing with no cache file: every manifest and config read and parsed. */
    private Listing uncached() throws Exception {
        Files.deleteIfExists(cacheFile());
        Listing listing = list();
        assertThat(cacheFile()).exists();
        return listing;
    }

    @Test
    void aListingFromTheCacheEqualsOneThatReadsEveryManifest() throws Exception {
        Listing read = uncached();
        assertThat(read.images()).hasSize(3);
        assertThat(Files.readAllLines(cacheFile())).hasSize(1 + 3).first().isEqualTo("gantry-listing 2");

        Listing cached = list();

        assertThat(cached).isEqualTo(read);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            assertThat(store.listWithDiskUsage().images()).isEqualTo(read.images());
            assertThat(store.listWithDiskUsage().diskUsage()).hasValue(read.diskUsage());
        }
        assertThat(cached.images()).filteredOn(i -> i.repoTags().contains("example.com/app:1")).singleElement()
                .satisfies(i -> {
                    assertThat(i.id()).isEqualTo(app.id());
                    assertThat(i.repoTags()).containsExactly("example.com/app:1", "example.com/app:latest");
                    assertThat(i.size()).isEqualTo(app.layers().stream().mapToLong(l -> l.blob().length).sum());
                    assertThat(i.uniqueSize()).isEqualTo(app.layers().get(2).blob().length);
                });
    }

    @Test
    void aRemovedImageLeavesTheCacheAndAnAddedOneEntersIt() throws Exception {
        uncached();
        StoreFixtures.Image added = image("added", 1, 5);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            store.delete(ImageKey.parse("example.com/base:1"), false);
            store(store, added, "example.com/added:1");
            List<ImageSummary> images = store.listImages();
            assertThat(images).extracting(ImageSummary::id).containsExactlyInAnyOrder(app.id(), other.id(), added.id());
        }
        String cache = Files.readString(cacheFile());
        assertThat(cache).contains(added.manifestDescriptor().digest().toString())
                .doesNotContain(base.manifestDescriptor().digest().toString());
        assertThat(list()).isEqualTo(uncached());
    }

    @Test
    void aDamagedCacheIsIgnoredAndWrittenAnew() throws Exception {
        Listing truth = uncached();
        List<String> lines = Files.readAllLines(cacheFile());
        List<String> damaged = List.of(
                "",
                "gantry-listing 99\n" + String.join("\n", lines.subList(1, lines.size())),
                "gantry-listing 1\n" + String.join("\n", lines.subList(1, lines.size())), // the format before dates were numbers
                lines.get(0) + "\n" + lines.get(1).substring(0, lines.get(1).length() / 2),
                lines.get(0) + "\n" + lines.get(1).replace("sha256:", "sha256:zz"),
                "\u0000\u0001 not a cache at all");
        for (String content : damaged) {
            Files.writeString(cacheFile(), content, StandardCharsets.UTF_8);
            assertThat(list()).as("cache %s", content.length() > 40 ? content.substring(0, 40) : content).isEqualTo(truth);
            assertThat(Files.readAllLines(cacheFile())).hasSize(1 + 3).first().isEqualTo("gantry-listing 2");
        }
    }

    @Test
    void anImageWhoseManifestIsGoneIsNotListedFromTheCache() throws Exception {
        uncached();
        Path manifest = dir.resolve("blobs/sha256").resolve(other.manifestDescriptor().digest().hex());
        Files.delete(manifest);

        assertThat(list().images()).extracting(ImageSummary::id).containsExactlyInAnyOrder(base.id(), app.id());
    }

    @Test
    void aStoreGantryMayNotWriteToGetsNoCacheFile() throws Exception {
        // (as root, a directory's permissions cannot make a store read-only: the cache is given the flag the store computes)
        Files.deleteIfExists(cacheFile());
        LayoutPaths paths = new LayoutPaths(dir);
        ListingCache readOnly = new ListingCache(paths, false);
        Digest manifest = other.manifestDescriptor().digest();
        readOnly.put(manifest, new ListingCache.Facts(new ListingCache.Blob(other.id(), other.config().length),
                List.of(), List.of(), Optional.empty()));
        readOnly.save(Set.of(manifest));
        assertThat(cacheFile()).doesNotExist();
        assertThat(readOnly.get(manifest, other.manifestDescriptor().size())).isPresent();
    }

    @Test
    void createdTimesKeepTheirNanosecondsAndTimesBefore1970SurviveTheFile() {
        // (the images are stored: get() finds their manifests and configs with their sizes)
        Digest manifest = other.manifestDescriptor().digest();
        Digest manifest2 = app.manifestDescriptor().digest();
        java.time.Instant precise = java.time.Instant.parse("2024-05-06T07:08:09.123456789Z");
        java.time.Instant early = java.time.Instant.parse("1969-12-31T23:59:58.000000001Z");
        ListingCache writer = new ListingCache(new LayoutPaths(dir), true);
        writer.put(manifest, new ListingCache.Facts(new ListingCache.Blob(other.id(), other.config().length),
                List.of(), List.of(), Optional.of(precise)));
        writer.put(manifest2, new ListingCache.Facts(new ListingCache.Blob(app.id(), app.config().length),
                List.of(), List.of(), Optional.of(early)));
        writer.save(Set.of(manifest, manifest2));

        ListingCache reader = new ListingCache(new LayoutPaths(dir), true);
        assertThat(reader.get(manifest, other.manifestDescriptor().size()).orElseThrow().created()).hasValue(precise);
        assertThat(reader.get(manifest2, app.manifestDescriptor().size()).orElseThrow().created()).hasValue(early);
    }
}
