package io.gantry.service.analysis;

import static io.gantry.service.analysis.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageLayer;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamedReplay} (the replay done while the layers are scanned) gives exactly what
 * {@link ImageFileAnalyzer#combine} gives for the same scans: the changes of every layer in the same
 * order, the wasted files, the totals. Checked on random layer stacks (whiteouts and opaque
 * directories before, between and after the entries they concern, flagged entries, failed and
 * cached layers) and on real tars through the scanner.
 */
class StreamedReplayTest {

    private static final String[] PATHS = {"a", "a/b", "a/b/c", "a/b/c/d", "a/x", "e", "e/f", "e/g", "h/i/j", "k"};

    private static LayerEntry entry(String path, EntryType type, long size, Set<EntryFlag> flags) {
        return new LayerEntry(path, path, type, size, type == EntryType.DIRECTORY ? 0755 : 0644, 0, 0,
                type == EntryType.SYMLINK ? "../k" : "", flags);
    }

    private static LayerEntry randomEntry(Random random) {
        String path = PATHS[random.nextInt(PATHS.length)];
        int kind = random.nextInt(20);
        if (kind < 7) {
            return entry(path, EntryType.FILE, random.nextInt(1000), Set.of());
        } else if (kind < 11) {
            return entry(path, EntryType.DIRECTORY, 0, Set.of());
        } else if (kind < 12) {
            return entry(path, EntryType.SYMLINK, 0, Set.of());
        } else if (kind < 15) {
            return entry(path, EntryType.WHITEOUT, 0, Set.of());
        } else if (kind < 17) {
            return entry(path, EntryType.OPAQUE_WHITEOUT, 0, Set.of());
        } else if (kind < 18) {
            return entry("../" + path, EntryType.FILE, 5, EnumSet.of(EntryFlag.ESCAPES_ROOT));
        } else if (kind < 19) {
            return entry(path + "…", EntryType.FILE, 0, EnumSet.of(EntryFlag.PATH_TOO_LONG));
        }
        return entry(path, EntryType.HARDLINK, 0, Set.of());
    }

    private static LayerScan scan(List<LayerEntry> entries, boolean complete) {
        return new LayerScan(entries, Compression.GZIP, 100, 1000, complete ? Optional.empty()
                : Optional.of(new ScanFailure(ScanFailure.Problem.TRUNCATED, "the layer data ends early")));
    }

    private static ImageLayers image(int layers) {
        List<ImageLayer> refs = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            refs.add(new ImageLayer(Digest.sha256("diff " + i), Digest.sha256("blob " + i), 100, "layer " + i));
        }
        return new ImageLayers(Digest.sha256("image " + layers), List.of("t:1"), refs);
    }

    @Test
    void randomLayerStacksGiveWhatTheReplayAfterTheScanGives() {
        Random random = new Random(20261207);
        int streamedThrough = 0;
        int replayedAgain = 0;
        for (int round = 0; round < 2000; round++) {
            int layerCount = 1 + random.nextInt(4);
            ImageLayers image = image(layerCount);
            List<LayerScan> scans = new ArrayList<>();
            StreamedReplay streamed = new StreamedReplay(image);
            for (int layer = 0; layer < layerCount; layer++) {
                List<LayerEntry> entries = new ArrayList<>();
                int count = random.nextInt(16);
                for (int i = 0; i < count; i++) {
                    entries.add(randomEntry(random));
                }
                boolean complete = random.nextInt(8) != 0;
                LayerScan scan = scan(entries, complete);
                scans.add(scan);
                if (random.nextInt(5) == 0) {
                    streamed.add(scan); // from the cache: the listener never heard its entries
                } else {
                    Consumer<LayerEntry> listener = streamed.listener();
                    // as the scanner hands them over: a failed scan's entries up to where it stopped
                    entries.forEach(listener);
                    streamed.add(scan);
                }
            }
            ImageFiles expected = ImageFileAnalyzer.combine(image, scans);
            if (streamed.replaysAgain()) {
                replayedAgain++;
            } else {
                streamedThrough++;
            }
            assertThat(streamed.finish()).as("round %d", round).isEqualTo(expected);
        }
        // both ways were taken often enough to mean something
        assertThat(streamedThrough).isGreaterThan(300);
        assertThat(replayedAgain).isGreaterThan(300);
    }

    @Test
    void aWhiteoutAfterAnEntryOfItsOwnLayerIsAppliedFirstAsInTheReplayAfterTheScan() {
        ImageLayers image = image(2);
        List<LayerScan> scans = List.of(
                scan(List.of(entry("a", EntryType.DIRECTORY, 0, Set.of()), entry("a/b", EntryType.FILE, 10, Set.of())), true),
                // a/b written again, then (later in the archive) its lower copy whited out
                scan(List.of(entry("a/b", EntryType.FILE, 20, Set.of()), entry("a/b", EntryType.WHITEOUT, 0, Set.of())), true));
        StreamedReplay streamed = new StreamedReplay(image);
        for (LayerScan scan : scans) {
            scan.entries().forEach(streamed.listener());
            streamed.add(scan);
        }

        ImageFiles files = streamed.finish();

        assertThat(streamed.replaysAgain()).isTrue();
        assertThat(files).isEqualTo(ImageFileAnalyzer.combine(image, scans));
        // the new a/b survives: the whiteout deleted the lower copy only
        assertThat(files.layers().get(1).changes()).extracting(FileChange::path, FileChange::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a/b", ChangeKind.MODIFIED));
        assertThat(files.wastedBytes()).isEqualTo(10);
    }

    @Test
    void realLayersScannedWithTheListenerGiveWhatTheScansGive() {
        LayerScanner scanner = new LayerScanner();
        List<byte[]> blobs = List.of(
                tar().dir("usr").dir("usr/bin").file("usr/bin/env", 100).file("usr/bin/sh", 50).dir("etc")
                        .file("etc/passwd", 10).gzip(),
                // whiteouts first, as some tools write them
                tar().file("etc/.wh.passwd", 0).file("etc/group", 7).file("usr/bin/env", 120).gzip(),
                // a whiteout after an entry of the same layer, as a sorted walk writes them
                tar().file("etc/shadow", 3).file("usr/bin/.wh.sh", 0).file("usr/.wh..wh..opq", 0).gzip());
        byte[] truncated = Arrays.copyOf(blobs.get(2), blobs.get(2).length / 2);
        for (List<byte[]> layers : List.of(blobs.subList(0, 2), blobs, List.of(blobs.get(0), blobs.get(1), truncated))) {
            ImageLayers image = image(layers.size());
            List<LayerScan> scans = new ArrayList<>();
            StreamedReplay streamed = new StreamedReplay(image);
            for (byte[] blob : layers) {
                LayerScan scan = scanner.scan(new ByteArrayInputStream(blob), streamed.listener());
                scans.add(scan);
                streamed.add(scan);
            }
            assertThat(streamed.finish()).isEqualTo(ImageFileAnalyzer.combine(image, scans));
        }
    }
}
