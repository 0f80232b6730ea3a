package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import static io.gantry.service.analysis.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.gantry.core.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ImageFileAnalyzerTest {

    /** Layer blobs by blob digest, with a count of how often each was opened. */
    private final Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    private final AtomicInteger opens = new AtomicInteger();
    private final ImageFileAnalyzer analyzer = new ImageFileAnalyzer(layer -> {
        opens.incrementAndGet();
        byte[] blob = blobs.get(layer.blobOrDiffId());
        if (blob == null) {
            throw new IOException("blob " + layer.blobOrDiffId().shortHex() + " is missing from the store");
        }
        return new ByteArrayInputStream(blob);
    }, new LayerScanner(), new LayerScanCache(16));

    private ImageLayer gzipLayer(TarBuilder tar) {
        byte[] blob = tar.gzip();
        ImageLayer ref = new ImageLayer(tar.diffId(), Digest.sha256(blob), blob.length, "");
        blobs.put(ref.blobOrDiffId(), blob);
        return ref;
    }

    private ImageLayer zstdLayer(TarBuilder tar) {
        byte[] blob = tar.zstd();
        ImageLayer ref = new ImageLayer(tar.diffId(), Digest.sha256(blob), blob.length, "");
        blobs.put(ref.blobOrDiffId(), blob);
        return ref;
    }

    private ImageFiles analyze(ImageLayer... layers) {
        return analyzer.analyze(new ImageLayers(Digest.sha256("img" + List.of(layers)), List.of("t:1"), List.of(layers)));
    }

    @Test
    void overwriteChainOfThreeCopiesWastesTheTwoSupersededOnes() {
        ImageFiles files = analyze(
                gzipLayer(tar().dir("app").file("app/data.bin", 100)),
                zstdLayer(tar().file("app/data.bin", 200)),
                gzipLayer(tar().file("app/data.bin", 300)));
        assertThat(files.wastedBytes()).as("100 + 200, not dive's 600").isEqualTo(300);
        assertThat(files.totalFileBytes()).isEqualTo(600);
        assertThat(files.efficiency()).isEqualTo(0.5);
        assertThat(files.wastedFiles()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo("app/data.bin");
            assertThat(w.copies()).isEqualTo(3);
            assertThat(w.wastedBytes()).isEqualTo(300);
            assertThat(w.removed()).isFalse();
            assertThat(w.layers()).containsExactly(0, 1, 2);
        });
        assertThat(files.layers()).extracting(LayerReport::supersededBytes).containsExactly(0L, 100L, 200L);
        assertThat(files.layers().get(1).changes()).extracting(FileChange::path, FileChange::kind, FileChange::bytes)
                .containsExactly(tuple("app/data.bin", ChangeKind.MODIFIED, 200L));
    }

    @Test
    void whiteoutDeletesAFileAndItsBytesAreAllWasted() {
        ImageFiles files = analyze(
                gzipLayer(tar().file("tmp/build.tar", 1000).file("keep", 10)),
                gzipLayer(tar().whiteout("tmp/build.tar")));
        assertThat(files.wastedBytes()).isEqualTo(1000);
        assertThat(files.efficiency()).isCloseTo(10.0 / 1010, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(files.layers().get(1).changes()).extracting(FileChange::path, FileChange::kind, FileChange::bytes)
                .containsExactly(tuple("tmp/build.tar", ChangeKind.DELETED, 1000L));
        assertThat(files.wastedFiles()).singleElement().satisfies(w -> {
            assertThat(w.copies()).isEqualTo(1);
            assertThat(w.removed()).isTrue();
        });
        FileNode top = files.finalTree();
        assertThat(top.find("tmp/build.tar")).get().satisfies(n -> assertThat(n.deleted()).isTrue());
        assertThat(top.find("tmp")).get().extracting(FileNode::totalSize).isEqualTo(0L);
        assertThat(top.totalSize()).isEqualTo(10);
    }

    @Test
    void whiteoutOfADirectoryWastesItsWholeSubtree() {
        ImageFiles files = analyze(
                gzipLayer(tar().dir("src").file("src/a.c", 30).file("src/lib/b.c", 40)),
                gzipLayer(tar().whiteout("src")));
        assertThat(files.wastedBytes()).isEqualTo(70);
        assertThat(files.layers().get(1).changes()).singleElement()
                .extracting(FileChange::kind, FileChange::bytes).containsExactly(ChangeKind.DELETED, 70L);
        FileNode tree = files.treeAt(1);
        FileNode src = tree.find("src").orElseThrow();
        assertThat(src.deleted()).isTrue();
        assertThat(src.find("lib/b.c")).get().satisfies(n -> assertThat(n.deleted()).isTrue());
        assertThat(tree.totalSize()).isZero();
        assertThat(files.treeAt(0).find("src/lib/b.c")).get().satisfies(n -> {
            assertThat(n.change()).contains(ChangeKind.ADDED);
            assertThat(n.layerIndex()).isZero();
        });
    }

    @Test
    void opaqueDirectoryHidesLowerContentAndReaddedFilesAreModified() {
        ImageFiles files = analyze(
                gzipLayer(tar().dir("etc/conf.d").file("etc/conf.d/a", 5).file("etc/conf.d/b", 7).file("etc/other", 1)),
                gzipLayer(tar().dir("etc/conf.d").opaque("etc/conf.d").file("etc/conf.d/b", 9).file("etc/conf.d/c", 2)));
        LayerReport top = files.layers().get(1);
        assertThat(top.changes()).extracting(FileChange::path, FileChange::kind).containsExactlyInAnyOrder(
                tuple("etc/conf.d/a", ChangeKind.DELETED), tuple("etc/conf.d/b", ChangeKind.MODIFIED),
                tuple("etc/conf.d/c", ChangeKind.ADDED));
        assertThat(files.wastedBytes()).isEqualTo(12);
        FileNode tree = files.finalTree();
        assertThat(tree.find("etc/conf.d").orElseThrow().children()).extracting(FileNode::name, FileNode::deleted)
                .containsExactly(tuple("a", true), tuple("b", false), tuple("c", false));
        assertThat(tree.find("etc/other")).get().satisfies(n -> assertThat(n.change()).isEmpty());
        assertThat(tree.find("etc/conf.d").orElseThrow().totalSize()).isEqualTo(11);
    }

    @Test
    void reEmittedParentDirectoriesAreNotChanges() {
        ImageFiles files = analyze(
                gzipLayer(tar().dir("usr").dir("usr/bin").file("usr/bin/a", 1)),
                gzipLayer(tar().dir("usr").dir("usr/bin").file("usr/bin/b", 1).dir("usr/share", 0700)));
        assertThat(files.layers().get(1).changes()).extracting(FileChange::path, FileChange::kind)
                .containsExactly(tuple("usr/bin/b", ChangeKind.ADDED), tuple("usr/share", ChangeKind.ADDED));
        ImageFiles chmod = analyze(
                gzipLayer(tar().dir("data")),
                gzipLayer(tar().dir("data", 0700)));
        assertThat(chmod.layers().get(1).changes()).extracting(FileChange::path, FileChange::kind)
                .containsExactly(tuple("data", ChangeKind.MODIFIED));
    }

    @Test
    void duplicateEntriesInOneLayerWasteTheEarlierCopy() {
        ImageFiles files = analyze(gzipLayer(tar().file("x", 50).file("x", 70)));
        assertThat(files.wastedBytes()).isEqualTo(50);
        assertThat(files.layers().get(0).changes()).extracting(FileChange::kind, FileChange::bytes)
                .containsExactly(tuple(ChangeKind.ADDED, 70L));
    }

    @Test
    void linksAndSpecialFilesAreShownNotFollowed() {
        ImageFiles files = analyze(gzipLayer(tar()
                .file("bin/busybox", 100)
                .hardlink("bin/sh", "bin/busybox")
                .symlink("bin/evil", "../../../../etc/shadow")
                .file("../../outside", 3)
                .charDevice("dev/console", 5, 1)));
        FileNode tree = files.finalTree();
        assertThat(tree.find("bin/sh").orElseThrow().entry().type()).isEqualTo(EntryType.HARDLINK);
        assertThat(tree.find("bin/sh").orElseThrow().totalSize()).isZero();
        assertThat(tree.find("bin/evil").orElseThrow().entry().flags()).containsExactly(EntryFlag.LINK_ESCAPES);
        assertThat(tree.find("outside")).isEmpty();
        assertThat(tree.children()).extracting(FileNode::name).containsExactly("bin", "dev");
        assertThat(files.layers().get(0).scan().flaggedEntries()).extracting(LayerEntry::rawName)
                .containsExactly("bin/evil", "../../outside", "dev/console");
        assertThat(files.totalFileBytes()).as("the escaping entry is listed but not counted").isEqualTo(100);
    }

    @Test
    void aCorruptLayerFailsAloneAndTheOthersAreStillAnalysed() {
        ImageLayer good = gzipLayer(tar().file("a", 10));
        byte[] broken = tar().file("b", new byte[100_000], 0644).gzip();
        ImageLayer truncated = new ImageLayer(Digest.sha256("diff broken"), Digest.sha256("blob broken"), 1, "");
        blobs.put(truncated.blobOrDiffId(), java.util.Arrays.copyOf(broken, broken.length / 3));
        ImageLayer missing = new ImageLayer(Digest.sha256("diff missing"), Digest.sha256("blob missing"), 1, "");
        ImageLayer last = gzipLayer(tar().file("c", 5).whiteout("a"));

        ImageFiles files = analyze(good, truncated, missing, last);
        assertThat(files.complete()).isFalse();
        assertThat(files.layers()).extracting(LayerReport::ok).containsExactly(true, false, false, true);
        assertThat(files.layers().get(1).failure()).get().extracting(ScanFailure::problem)
                .isEqualTo(ScanFailure.Problem.TRUNCATED);
        assertThat(files.layers().get(2).failure()).get().satisfies(f -> {
            assertThat(f.problem()).isEqualTo(ScanFailure.Problem.READ_FAILED);
            assertThat(f.message()).contains("missing from the store");
        });
        assertThat(files.layers().get(3).lowerLayersIncomplete()).isTrue();
        assertThat(files.layers().get(3).changes()).extracting(FileChange::path, FileChange::kind)
                .containsExactly(tuple("a", ChangeKind.DELETED), tuple("c", ChangeKind.ADDED));
        assertThat(files.finalTree().children()).extracting(FileNode::name, FileNode::deleted)
                .containsExactly(tuple("a", true), tuple("c", false));
    }

    @Test
    void aLayerSharedByTwoImagesIsReadOnce() {
        ImageLayer base = gzipLayer(tar().file("etc/os-release", 20));
        ImageLayer one = gzipLayer(tar().file("one", 1));
        ImageLayer two = gzipLayer(tar().file("two", 2));
        analyze(base, one);
        analyze(base, two);
        assertThat(opens.get()).isEqualTo(3);
    }

    @Test
    void failedLayersAreReadAgainNextTime() {
        ImageLayer missing = new ImageLayer(Digest.sha256("diff m"), Digest.sha256("blob m"), 1, "");
        analyze(missing);
        analyze(missing);
        assertThat(opens.get()).isEqualTo(2);
    }

    @Test
    void treeAtEachLayerMarksThatLayersChanges() {
        ImageFiles files = analyze(
                gzipLayer(tar().file("a", 1).file("b", 2)),
                gzipLayer(tar().file("b", 3).file("c/d", 4)));
        FileNode zero = files.treeAt(0);
        assertThat(zero.children()).extracting(FileNode::name, n -> n.change().orElse(null))
                .containsExactly(tuple("a", ChangeKind.ADDED), tuple("b", ChangeKind.ADDED));
        FileNode one = files.treeAt(1);
        assertThat(one.children()).extracting(FileNode::name, n -> n.change().orElse(null))
                .containsExactly(tuple("a", null), tuple("b", ChangeKind.MODIFIED), tuple("c", ChangeKind.ADDED));
        assertThat(one.totalSize()).isEqualTo(1 + 3 + 4);
        assertThat(one.find("c/d").orElseThrow().entry().size()).isEqualTo(4);
    }

    @Test
    void imageWithoutLayers() {
        ImageFiles files = analyze();
        assertThat(files.efficiency()).isEqualTo(1.0);
        assertThat(files.finalTree().children()).isEmpty();
    }

    @Test
    void combineReplaysScansTheCallerAlreadyHas() {
        LayerScanner scanner = new LayerScanner();
        TarBuilder l0 = tar().file("f", 8);
        TarBuilder l1 = tar().whiteout("f");
        List<LayerScan> scans = new ArrayList<>();
        scans.add(scanner.scan(new ByteArrayInputStream(l0.plain())));
        scans.add(scanner.scan(new ByteArrayInputStream(l1.plain())));
        ImageLayers image = new ImageLayers(Digest.sha256("x"), List.of(),
                List.of(ImageLayer.uncompressed(l0.diffId(), 1536), ImageLayer.uncompressed(l1.diffId(), 1024)));
        assertThat(ImageFileAnalyzer.combine(image, scans).wastedBytes()).isEqualTo(8);
    }
}
