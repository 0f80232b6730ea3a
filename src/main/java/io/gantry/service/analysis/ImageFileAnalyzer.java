package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * dive's core for any endpoint: reads an image's layers through a {@link LayerContentSource},
 * lists what each adds, modifies and deletes, and computes wasted bytes and efficiency
 * (see {@link ImageFiles}).
 *
 * <p>Each layer is scanned once per cache lifetime (keyed by diff ID) and never written to disk. A
 * layer that cannot be read gets its own error in its {@link LayerReport}; the others are analysed
 * regardless. Thread-safe: share one analyzer (and its cache) across the application.
 *
 * <pre>{@code
 * var analyzer = new ImageFileAnalyzer(store::openLayer, new LayerScanner(), new LayerScanCache(256));
 * ImageFiles files = analyzer.analyze(imageLayers);
 * files.layers().get(2).changes();   // what layer 2 changes
 * files.treeAt(2);                    // the filesystem a container would see at layer 2
 * files.wastedFiles(); files.efficiency();
 * }</pre>
 */
public final class ImageFileAnalyzer {

    private final LayerContentSource source;
    private final LayerScanner scanner;
    private final LayerScanCache cache;

    public ImageFileAnalyzer(LayerContentSource source, LayerScanner scanner, LayerScanCache cache) {
        this.source = Objects.requireNonNull(source, "source");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** Scans one layer (or takes it from the cache). Never throws for a bad or unreadable layer. */
    public LayerScan scan(ImageLayer layer) {
        return cache.get(layer.diffId(), () -> read(layer));
    }

    /** Analyses every layer of {@code image}, base first. */
    public ImageFiles analyze(ImageLayers image) {
        List<LayerScan> scans = new ArrayList<>();
        for (ImageLayer layer : image.layers()) {
            scans.add(scan(layer));
        }
        return combine(image, scans);
    }

    /**
     * The pure half of {@link #analyze}: replays already-scanned layers. Useful when the caller
     * scanned the layers itself, e.g. from a single image export stream.
     */
    public static ImageFiles combine(ImageLayers image, List<LayerScan> scans) {
        if (scans.size() != image.layers().size()) {
            throw new IllegalArgumentException("one scan per layer expected: " + image.layers().size()
                    + " layers, " + scans.size() + " scans");
        }
        FileTreeReplay replay = new FileTreeReplay();
        List<FileTreeReplay.LayerOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            LayerScan scan = scans.get(i);
            outcomes.add(scan.complete() ? replay.apply(i, scan.entries()) : null);
        }
        return report(image, scans, outcomes, replay);
    }

    /** The reports of the scans, each complete one with its outcome of {@code replay} (null for a failed layer). */
    static ImageFiles report(ImageLayers image, List<LayerScan> scans, List<FileTreeReplay.LayerOutcome> outcomes,
                             FileTreeReplay replay) {
        List<LayerReport> reports = new ArrayList<>();
        boolean failedBelow = false;
        for (int i = 0; i < scans.size(); i++) {
            LayerScan scan = scans.get(i);
            ImageLayer layer = image.layers().get(i);
            if (!scan.complete()) {
                reports.add(new LayerReport(i, layer, scan, List.of(), 0, failedBelow));
                failedBelow = true;
                continue;
            }
            FileTreeReplay.LayerOutcome outcome = outcomes.get(i);
            reports.add(new LayerReport(i, layer, scan, outcome.changes(), outcome.wastedBytes(), failedBelow));
        }
        return new ImageFiles(image, reports, replay.wastedFiles(), replay.totalFileBytes(), replay.wastedBytes());
    }

    private LayerScan read(ImageLayer layer) {
        try (InputStream in = source.open(layer)) {
            return scanner.scan(in);
        } catch (IOException e) {
            return new LayerScan(List.of(), Compression.NONE, 0, 0, Optional.of(new ScanFailure(
                    ScanFailure.Problem.READ_FAILED, "could not open layer " + layer.blobOrDiffId().shortHex()
                    + ": " + e.getMessage())));
        }
    }
}
