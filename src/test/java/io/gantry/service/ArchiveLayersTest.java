package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ArchiveLayers}, the per-layer rows of a copy between endpoints, on archives the embedded
 * store really writes and on tars with long names (pax and GNU), fed in chunks of awkward sizes
 * (1 byte, a block less or more one, 4 KiB) so that headers and entries are split everywhere.
 */
class ArchiveLayersTest {

    private static final int[] CHUNKS = {1, 511, 513, 4096, 7};

    private final FixtureImages images = new FixtureImages();

    @TempDir
    Path dir;

    /** Feeds {@code archive} through the watcher in {@link #CHUNKS}-sized pieces, cycling. */
    private static List<PullProgress> watch(List<ImageLayer> layers, byte[] archive, boolean finish) {
        List<PullProgress> events = new ArrayList<>();
        ArchiveLayers rows = new ArchiveLayers(layers, events::add);
        rows.started();
        int at = 0;
        for (int i = 0; at < archive.length; i++) {
            int n = Math.min(CHUNKS[i % CHUNKS.length], archive.length - at);
            rows.passed(archive, at, n);
            at += n;
        }
        if (finish) {
            rows.finished();
        }
        return events;
    }

    private static Map<String, List<PullProgress>> byLayer(List<PullProgress> events) {
        return events.stream().collect(Collectors.groupingBy(PullProgress::layer, java.util.LinkedHashMap::new,
                Collectors.toList()));
    }

    @ParameterizedTest
    @EnumSource(ArchiveFormat.class)
    void everyLayerOfASavedImageGoesFromWaitingThroughCopyingToCopiedWithItsSize(ArchiveFormat format) throws IOException {
        FixtureImage image = images.image("x").layer("ADD a", l -> l.randomFile("a", 20_000, 3))
                .layer("ADD b", l -> l.file("b", "b")).layer("ADD c", l -> l.randomFile("c", 5_000, 4)).oci();
        String ref = "example.com/" + FixtureImages.unique("archive-rows") + ":1";
        byte[] archive;
        List<ImageLayer> layers;
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            StoreFixtures.store(store, image, ref);
            layers = store.layers(ImageKey.parse(ref));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.save(List.of(ImageKey.parse(ref)), format, out);
            archive = out.toByteArray();
        }

        Map<String, List<PullProgress>> rows = byLayer(watch(layers, archive, false));

        assertThat(rows.keySet()).containsExactlyElementsOf(layers.stream()
                .map(l -> l.blob().orElseThrow().shortHex()).toList());
        for (ImageLayer layer : layers) {
            List<PullProgress> row = rows.get(layer.blob().orElseThrow().shortHex());
            assertThat(row.get(0).phase()).isEqualTo(Phase.WAITING);
            assertThat(row).anySatisfy(e -> {
                assertThat(e.phase()).isEqualTo(Phase.DOWNLOADING);
                assertThat(e.text()).isEqualTo(ArchiveLayers.COPYING);
            });
            assertThat(row.get(row.size() - 1)).satisfies(e -> {
                assertThat(e.phase()).isEqualTo(Phase.PULL_COMPLETE);
                assertThat(e.text()).isEqualTo(ArchiveLayers.COPIED);
                assertThat(e.total()).isPositive().isEqualTo(e.current());
                if (format == ArchiveFormat.OCI) {
                    assertThat(e.total()).as("the blob itself").isEqualTo(layer.size());
                }
            });
            assertThat(row).filteredOn(e -> e.phase() == Phase.PULL_COMPLETE).as("copied once").hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU})
    void layersUnderLongNamesAndByDiffIdAreFoundAndOtherEntriesMakeNoRows(int longNames) throws IOException {
        byte[] first = "first layer".repeat(300).getBytes(StandardCharsets.UTF_8);
        byte[] second = "second layer".repeat(50).getBytes(StandardCharsets.UTF_8);
        Digest firstDigest = Digest.sha256(first);
        Digest secondDiff = Digest.sha256(second);
        List<ImageLayer> layers = List.of(new ImageLayer(Digest.sha256("first diff"), firstDigest, first.length, ""),
                new ImageLayer(secondDiff, java.util.Optional.empty(), 123, ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(longNames);
            put(tar, "manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
            put(tar, "deep/".repeat(30) + "blobs/sha256/" + firstDigest.hex(), first); // a name longer than 100 bytes
            put(tar, secondDiff.hex() + ".tar", second); // Podman's docker-archive names a layer by its diff ID
            put(tar, "unrelated/layer.tar", "not a layer we know".getBytes(StandardCharsets.UTF_8));
        }

        Map<String, List<PullProgress>> rows = byLayer(watch(layers, out.toByteArray(), false));

        assertThat(rows.keySet()).containsExactly(firstDigest.shortHex(), secondDiff.shortHex());
        Function<String, PullProgress> last = id -> rows.get(id).get(rows.get(id).size() - 1);
        assertThat(last.apply(firstDigest.shortHex()).total()).isEqualTo(first.length);
        assertThat(last.apply(firstDigest.shortHex()).phase()).isEqualTo(Phase.PULL_COMPLETE);
        assertThat(last.apply(secondDiff.shortHex()).total()).as("the entry's size, not the endpoint's count")
                .isEqualTo(second.length);
        assertThat(last.apply(secondDiff.shortHex()).phase()).isEqualTo(Phase.PULL_COMPLETE);
    }

    @Test
    void legacyLayerDirectoriesAreTakenBottomFirstAndALayerNeverNamedIsCopiedOnlyAtTheEnd() throws IOException {
        List<ImageLayer> layers = List.of(ImageLayer.uncompressed(Digest.sha256("bottom"), 10),
                ImageLayer.uncompressed(Digest.sha256("middle"), 10), ImageLayer.uncompressed(Digest.sha256("top"), 10));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "v1one/json", "{}".getBytes(StandardCharsets.UTF_8));
            put(tar, "v1one/layer.tar", "legacy bottom".getBytes(StandardCharsets.UTF_8));
            put(tar, "v1two/layer.tar", "legacy middle".getBytes(StandardCharsets.UTF_8));
        }
        String bottom = Digest.sha256("bottom").shortHex();
        String middle = Digest.sha256("middle").shortHex();
        String top = Digest.sha256("top").shortHex();

        Map<String, List<PullProgress>> streamed = byLayer(watch(layers, out.toByteArray(), false));
        assertThat(streamed.get(bottom)).extracting(PullProgress::text).containsExactly("Waiting", "Copying", "Copied");
        assertThat(streamed.get(middle)).extracting(PullProgress::text).containsExactly("Waiting", "Copying", "Copied");
        assertThat(streamed.get(top)).extracting(PullProgress::text).containsExactly("Waiting");
        Map<String, List<PullProgress>> finished = byLayer(watch(layers, out.toByteArray(), true));
        assertThat(finished.get(top)).extracting(PullProgress::text).containsExactly("Waiting", "Copied");
        assertThat(finished.get(bottom)).extracting(PullProgress::text).as("not copied twice")
                .containsExactly("Waiting", "Copying", "Copied");
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
