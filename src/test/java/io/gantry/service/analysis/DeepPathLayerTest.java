package io.gantry.service.analysis;

import static io.gantry.service.analysis.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageLayer;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 3: a hostile layer (built here) with one entry whose path has 60,000 levels once
 * exhausted memory in the file analysis the Layers tab uses (1.93 GB at 40,000 levels). The entry
 * is flagged and left out of the tree; the rest of the layer is analysed.
 */
class DeepPathLayerTest {

    @Test
    void aSixtyThousandLevelPathIsFlaggedAndTheRestAnalysed() {
        String deep = "a/".repeat(60_000) + "f"; // the attack's size, given as a PAX path (see TarBuilder.paxFile)
        TarBuilder layer = tar().file("etc/ok.conf", 10).paxFile(deep, 5).file("usr/bin/tool", 20);
        byte[] blob = layer.gzip();
        ImageLayer ref = new ImageLayer(layer.diffId(), Digest.sha256(blob), blob.length, "");
        ImageFileAnalyzer analyzer = new ImageFileAnalyzer(l -> new ByteArrayInputStream(blob), new LayerScanner(),
                new LayerScanCache(4));
        long before = usedHeap();
        ImageFiles files = analyzer.analyze(new ImageLayers(Digest.sha256("deep"), List.of("t:1"), List.of(ref)));
        assertThat(files.finalTree().find("etc/ok.conf")).isPresent();
        assertThat(files.finalTree().find("usr/bin/tool")).isPresent();
        assertThat(files.totalFileBytes()).isEqualTo(30);
        assertThat(files.finalTree().find("a")).isEmpty();
        assertThat(files.layers().get(0).scan().entries().stream().filter(e -> e.flags().contains(EntryFlag.PATH_TOO_LONG)))
                .hasSize(1);
        assertThat(usedHeap() - before).as("heap grown by the analysis").isLessThan(256L << 20);
    }

    @Test
    void theScannerFlagsOverLongAndOverDeepNames() throws Exception {
        String tooDeep = "d/".repeat(LayerScanner.MAX_PATH_DEPTH + 1) + "f";
        String tooLong = "x".repeat(LayerScanner.MAX_PATH_LENGTH + 1);
        byte[] blob = tar().file(tooDeep, 1).file(tooLong, 1).file("fine", 1).gzip();
        List<LayerEntry> entries = new LayerScanner().scan(new ByteArrayInputStream(blob)).entries();
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).flags()).contains(EntryFlag.PATH_TOO_LONG);
        assertThat(entries.get(1).flags()).contains(EntryFlag.PATH_TOO_LONG);
        assertThat(entries.get(0).path().length()).isLessThan(300);
        assertThat(entries.get(2).flags()).isEmpty();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
