package io.gantry.store;

import static io.gantry.store.StoreFixtures.image;
import static io.gantry.store.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.cli.GantryCli;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.ImageSummary;
import io.gantry.service.EndpointCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import io.gantry.core.Platform;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listing snapshot ({@code .gantry/listing-snapshot}): a listing from it equals the one made
 * the slow way (every manifest and config read, no listing cache), and it is not used once
 * {@code index.json} changes in any byte (a tag, delete or load by Gantry, another tool's edit) or a
 * manifest or config it names is gone; a damaged snapshot never changes what is shown. (A pull is
 * checked in {@code PullTest}, beside a real registry.)
 */
class ListingSnapshotTest {

    @TempDir
    Path dir;

    /**
     * The stores' clock: at the epoch, so no directory stamp is ever trusted and every listing from
     * the snapshot checks each manifest and config with a {@code stat}; {@link #SETTLED} trusts them all.
     */
    private Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private static final Clock SETTLED = Clock.fixed(Instant.parse("3000-01-01T00:00:00Z"), ZoneOffset.UTC);

    private StoreOptions options() {
        return new StoreOptions(clock, Duration.ofSeconds(30), Platform.current());
    }

    private StoreFixtures.Image base;
    private StoreFixtures.Image app;
    private StoreFixtures.Image dangling;
    private StoreFixtures.Image appGzipped;

    @BeforeEach
    void images() {
        base = image("base", 1, 2);
        app = image("app", 1, 2, 3);
        dangling = image("dangling", 4);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            store(store, base, "example.com/base:1");
            store(store, app, "example.com/app:1", "example.com/app:latest");
            store.recordDigest(ImageKey.of(app.id()), ImageReference.parse("example.com/app@" + app.manifestDescriptor().digest()));
            store(store, dangling);
            // the same image as app under a second manifest (its layers gzipped otherwise), another name
            appGzipped = StoreFixtures.imageGzippedAt(1, "app", 1, 2, 3);
            store(store, appGzipped, "example.com/app-copy:1");
        }
    }

    private Path snapshotFile() {
        return dir.resolve(".gantry").resolve(ListingSnapshot.FILE);
    }

    /** A listing; {@code fromSnapshot}: whether its list of images came from the snapshot. */
    private record Listing(List<ImageSummary> images, long diskUsage, boolean fromSnapshot) {

        /** The same listing, whichever way it was made. */
        boolean sameAs(Listing other) {
            return images.equals(other.images) && diskUsage == other.diskUsage;
        }
    }

    /** One listing in a fresh store instance (as a cold {@code gantry images} opens one). */
    private Listing list() {
        try (OciLayoutStore store = OciLayoutStore.open(dir, options())) {
            List<ImageSummary> images = store.listImages();
            boolean fromSnapshot = store.snapshotListings() == 1;
            return new Listing(images, store.diskUsage().orElseThrow(), fromSnapshot);
        }
    }

    /** The listing made the slow way: no snapshot and no listing cache, every manifest and config read. */
    private Listing truth() throws Exception {
        Files.deleteIfExists(snapshotFile());
        Files.deleteIfExists(dir.resolve(".gantry").resolve(ListingCache.FILE));
        Listing slow = list();
        assertThat(slow.fromSnapshot()).isFalse();
        return slow;
    }

    private String gantryImages(String... more) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--store", dir.toString(), "images"));
        args.addAll(List.of(more));
        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow(), options()))),
                new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void aListingFromTheSnapshotEqualsTheSlowOne() throws Exception {
        Listing slow = truth();
        assertThat(snapshotFile()).exists();
        assertThat(slow.images()).hasSize(3);

        Listing fast = list();

        assertThat(fast.fromSnapshot()).isTrue();
        assertThat(fast.sameAs(slow)).as("%s\n%s", fast, slow).isTrue();
        assertThat(fast.images()).filteredOn(i -> i.id().equals(app.id())).singleElement().satisfies(i -> {
            assertThat(i.repoTags()).containsExactly("example.com/app:1", "example.com/app:latest", "example.com/app-copy:1");
            assertThat(i.repoDigests()).containsExactly("example.com/app@" + app.manifestDescriptor().digest());
            // app's own top layer, and every layer of its gzipped copy: what deleting app frees
            long gzipped = appGzipped.layers().stream().mapToLong(l -> l.blob().length).sum();
            assertThat(i.uniqueSize()).isEqualTo(app.layers().get(2).blob().length + gzipped);
        });
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            assertThat(store.listWithDiskUsage().images()).isEqualTo(slow.images());
            assertThat(store.listWithDiskUsage().diskUsage()).hasValue(slow.diskUsage());
            assertThat(store.snapshotListings()).isEqualTo(2);
        }
    }

    @Test
    void gantryImagesPrintsTheSameBytesFromTheSnapshot() throws Exception {
        for (String[] options : List.of(new String[0], new String[] {"--digests", "--no-trunc"}, new String[] {"-q"},
                new String[] {"--format", "json"}, new String[] {"--filter", "dangling=false", "example.com/app"})) {
            Files.deleteIfExists(snapshotFile());
            Files.deleteIfExists(dir.resolve(".gantry").resolve(ListingCache.FILE));
            String slow = gantryImages(options);
            try (OciLayoutStore store = OciLayoutStore.open(dir)) {
                store.listImages();
                assertThat(store.snapshotListings()).as("the next listing comes from the snapshot").isEqualTo(1);
            }
            assertThat(gantryImages(options)).as(String.join(" ", options)).isEqualTo(slow).isNotEmpty();
        }
    }

    /** {@code change}, then a listing: made the slow way, equal to the truth, and the next one from the new snapshot. */
    private void staleAfter(Consumer<OciLayoutStore> change) throws Exception {
        truth();
        assertThat(list().fromSnapshot()).isTrue();
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            change.accept(store);
        }
        Listing after = list();
        assertThat(after.fromSnapshot()).as("a listing after the change, from the snapshot").isFalse();
        Listing next = list();
        assertThat(next.fromSnapshot()).as("the listing after that, from the snapshot written anew").isTrue();
        assertThat(next.sameAs(after)).isTrue();
        Listing truth = truth();
        assertThat(after.sameAs(truth)).as("%s\n%s", after, truth).isTrue();
    }

    @Test
    void aTagMakesTheSnapshotStale() throws Exception {
        staleAfter(store -> store.tag(ImageKey.parse("example.com/base:1"), ImageReference.parse("example.com/base:2")));
        assertThat(list().images()).filteredOn(i -> i.id().equals(base.id())).singleElement()
                .satisfies(i -> assertThat(i.repoTags()).containsExactly("example.com/base:1", "example.com/base:2"));
    }

    @Test
    void aDeleteMakesTheSnapshotStale() throws Exception {
        staleAfter(store -> store.delete(ImageKey.parse("example.com/base:1"), false));
        assertThat(list().images()).extracting(ImageSummary::id).containsExactlyInAnyOrder(app.id(), dangling.id());
    }

    @Test
    void aLoadMakesTheSnapshotStale() throws Exception {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            store.save(List.of(ImageKey.parse("example.com/base:1")), ArchiveFormat.OCI, archive);
            store.delete(ImageKey.parse("example.com/base:1"), false);
        }
        Path tar = Files.write(dir.resolveSibling(dir.getFileName() + "-base.tar"), archive.toByteArray());
        try {
            staleAfter(store -> store.load(tar));
        } finally {
            Files.delete(tar);
        }
        assertThat(list().images()).extracting(ImageSummary::id).contains(base.id());
    }

    @Test
    void anEditOfIndexJsonByAnotherToolMakesItStale() throws Exception {
        Path index = dir.resolve("index.json");
        String json = Files.readString(index);
        // the same entries, only spaced otherwise: not byte for byte the file the snapshot was made from
        staleAfter(store -> rewrite(index, json.replace(",", ", ")));
        // a name changed by hand
        staleAfter(store -> rewrite(index, json.replace("example.com/base:1", "example.com/base:edited")));
        assertThat(list().images()).flatExtracting(ImageSummary::repoTags).contains("example.com/base:edited")
                .doesNotContain("example.com/base:1");
    }

    private static void rewrite(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aManifestOrConfigGoneBehindGantrysBackIsNotListedFromTheSnapshot() throws Exception {
        for (StoreFixtures.Image image : List.of(dangling, base)) {
            truth();
            Path blob = dir.resolve("blobs/sha256").resolve(image == dangling
                    ? image.manifestDescriptor().digest().hex() : image.id().hex());
            byte[] kept = Files.readAllBytes(blob);
            Files.delete(blob);

            Listing after = list();

            assertThat(after.fromSnapshot()).isFalse();
            assertThat(after.images()).extracting(ImageSummary::id).doesNotContain(image.id()).contains(app.id());
            assertThat(snapshotFile()).as("no snapshot of a listing with a damaged entry").doesNotExist();
            Files.write(blob, kept);
            // a blob of another size under the name: not the blob the snapshot counted
            truth();
            Files.write(blob, java.util.Arrays.copyOf(kept, kept.length - 1));
            assertThat(list().fromSnapshot()).isFalse();
            Files.write(blob, kept);
        }
    }

    @Test
    void aDamagedSnapshotIsIgnoredAndWrittenAnew() throws Exception {
        Listing slow = truth();
        byte[] good = Files.readAllBytes(snapshotFile());
        List<byte[]> damaged = new ArrayList<>();
        damaged.add(new byte[0]);
        damaged.add("\u0000\u0001 not a snapshot".getBytes(StandardCharsets.UTF_8));
        damaged.add(java.util.Arrays.copyOf(good, good.length / 2));
        damaged.add(java.util.Arrays.copyOf(good, good.length - 1));
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        damaged.add(longer);
        for (int at : new int[] {good.length - 40, good.length / 2, good.length - 3}) {
            byte[] flipped = good.clone();
            flipped[at] ^= 0x10; // a size, a name or the checksum itself
            damaged.add(flipped);
        }
        byte[] otherVersion = good.clone();
        otherVersion["gantry listing snapshot\n".length() + 3] = 9;
        damaged.add(otherVersion);
        for (byte[] content : damaged) {
            Files.write(snapshotFile(), content);

            Listing listed = list();

            assertThat(listed.fromSnapshot()).as("damaged at %d bytes", content.length).isFalse();
            assertThat(listed.sameAs(slow)).isTrue();
            assertThat(Files.readAllBytes(snapshotFile())).as("written anew").isEqualTo(good);
        }
        assertThat(list().fromSnapshot()).isTrue();
    }

    @Test
    void aDamagedIndexJsonIsStillReportedAtOpen() throws Exception {
        truth();
        Files.writeString(dir.resolve("index.json"), "{\"manifests\": [", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> OciLayoutStore.open(dir).close())
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE);
                    assertThat(e.getMessage()).contains("index.json is damaged");
                });
    }

    @Test
    void aStoreGantryMayNotWriteToGetsNoSnapshot() throws Exception {
        // (as root, permissions cannot make a store read-only: the snapshot is given the flag the store computes)
        Listing slow = truth();
        byte[] good = Files.readAllBytes(snapshotFile());
        Files.delete(snapshotFile());
        ListingSnapshot readOnly = new ListingSnapshot(new LayoutPaths(dir), false, clock);
        readOnly.save(Files.readAllBytes(dir.resolve("index.json")), readOnly.stamp(), List.of(),
                new ListingSnapshot.Listing(slow.images(), slow.diskUsage()));
        assertThat(snapshotFile()).doesNotExist();
        Files.write(snapshotFile(), good);
        assertThat(readOnly.listing(Files.readAllBytes(dir.resolve("index.json")))).hasValue(
                new ListingSnapshot.Listing(slow.images(), slow.diskUsage()));
    }
    @Test
    void aSettledStampSparesTheChecksAndAnyBlobAddedOrRemovedUnsettlesIt() throws Exception {
        truth(); // made while the directory stamps were not trusted: it has the blobs checked
        byte[] unsettled = Files.readAllBytes(snapshotFile());
        clock = SETTLED;

        assertThat(list().fromSnapshot()).isTrue();
        byte[] settled = Files.readAllBytes(snapshotFile());
        assertThat(settled).as("written again with the stamp, trusted now").isNotEqualTo(unsettled);
        assertThat(list().fromSnapshot()).isTrue();
        assertThat(Files.readAllBytes(snapshotFile())).as("not written again").isEqualTo(settled);

        // a blob removed behind Gantry's back changes its directory: the stamp no longer holds, the stat finds it gone
        Path config = dir.resolve("blobs/sha256").resolve(base.id().hex());
        byte[] kept = Files.readAllBytes(config);
        Files.delete(config);
        Listing without = list();
        assertThat(without.fromSnapshot()).isFalse();
        assertThat(without.images()).extracting(ImageSummary::id).doesNotContain(base.id()).contains(app.id());
        // put back: the stamp differs from the one recorded, so the blobs are checked again, and found
        Files.write(config, kept);
        Listing restored = list();
        assertThat(restored.images()).extracting(ImageSummary::id).contains(base.id());
        assertThat(list().fromSnapshot()).isTrue();
        clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        assertThat(list().sameAs(truth())).isTrue();
    }
}
