package io.gantry.service.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The analysis of an image's layers ({@link ImageFileAnalyzer#combine}) done while they are
 * scanned, base first: each entry is placed in the tree as the scanner reads it, on the scanner's
 * thread, in the time that thread would otherwise wait for the decompressing one. For a layer of
 * 100,000 small files the replay was a tenth of a cold {@code gantry files}, after the scan.
 *
 * <p>The result is always what {@link ImageFileAnalyzer#combine} gives for the same scans. A
 * layer's whiteouts apply before its other entries: in archive order that holds only while no
 * whiteout comes after an entry the layer placed. When one does, or when a layer streamed into the
 * tree turns out incomplete (corrupt, truncated, cancelled), the streamed tree is dropped and
 * {@link #finish} replays all the scans as {@code combine} does. A layer whose scan came from the
 * cache, not through {@link #listener}, is replayed from its entries when its turn comes.
 *
 * <pre>{@code
 * StreamedReplay replay = new StreamedReplay(image);
 * for (ImageLayer layer : image.layers()) {
 *     replay.add(scanner.scan(open(layer), replay.listener()));   // or a cached scan
 * }
 * ImageFiles files = replay.finish();
 * }</pre>
 *
 * <p>Not thread-safe: one per analysis, used by the thread that scans (the listener is called on it).
 */
public final class StreamedReplay {

    private final ImageLayers image;
    private final FileTreeReplay replay = new FileTreeReplay();
    private final List<LayerScan> scans = new ArrayList<>();
    private final List<FileTreeReplay.LayerOutcome> outcomes = new ArrayList<>();
    /** The layer the listener has begun in the replay, or -1. */
    private int streaming = -1;
    /** The streamed tree is not what {@code combine} would give: {@link #finish} replays again. */
    private boolean diverged;

    public StreamedReplay(ImageLayers image) {
        this.image = Objects.requireNonNull(image, "image");
    }

    /**
     * What the scan of the next layer (the one the next {@link #add} takes) hands each entry to, in
     * archive order. Never throws.
     */
    public Consumer<LayerEntry> listener() {
        int index = scans.size();
        return entry -> {
            if (diverged || index != scans.size()) {
                return;
            }
            if (streaming != index) {
                replay.begin(index, 1024);
                streaming = index;
            }
            if (!replay.accept(entry)) {
                diverged = true;
            }
        };
    }

    /** The next layer's scan (base first), whether it went through {@link #listener} or not. */
    public void add(LayerScan scan) {
        int index = scans.size();
        scans.add(Objects.requireNonNull(scan, "scan"));
        if (diverged) {
            return;
        }
        if (streaming == index) {
            streaming = -1;
            if (scan.complete()) {
                outcomes.add(replay.end());
            } else {
                diverged = true; // its entries so far are in the tree; combine leaves a failed layer out
            }
        } else {
            outcomes.add(scan.complete() ? replay.apply(index, scan.entries()) : null);
        }
    }

    /** Whether the streamed tree was dropped and {@link #finish} replays the scans again (for tests). */
    boolean replaysAgain() {
        return diverged;
    }

    /** The analysis: {@link ImageFileAnalyzer#combine} of the scans added. */
    public ImageFiles finish() {
        if (diverged || scans.size() != image.layers().size()) {
            return ImageFileAnalyzer.combine(image, scans); // (which refuses a wrong number of scans)
        }
        return ImageFileAnalyzer.report(image, scans, outcomes, replay);
    }
}
