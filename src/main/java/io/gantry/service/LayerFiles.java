package io.gantry.service;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.service.analysis.Compression;
import io.gantry.service.analysis.ImageFileAnalyzer;
import io.gantry.service.analysis.ImageFiles;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.engine.ImageLayer;
import io.gantry.service.analysis.LayerEntry;
import io.gantry.service.analysis.LayerScan;
import io.gantry.service.analysis.LayerScanCache;
import io.gantry.service.analysis.LayerScanner;
import io.gantry.service.analysis.ScanFailure;
import io.gantry.service.analysis.StreamedReplay;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files of an image's layers on any endpoint, for the Files view: an endpoint that keeps layer
 * blobs (the embedded store) has them read directly; otherwise (an engine) the image is read once
 * through its {@code docker save} export stream, each inner {@code layer.tar} (or {@code blobs/sha256/…}) scanned while it streams past and
 * matched to its diff ID by hashing. Nothing is written to disk. Scans are cached by diff ID, so a
 * layer shared by many images is read once. A layer that cannot be read gets its own error and the
 * others are still analysed. Cancel by interrupting the thread. Thread-safe.
 */
public final class LayerFiles {

    private final LayerScanner scanner;
    private final LayerScanCache cache;

    public LayerFiles(LayerScanner scanner, LayerScanCache cache) {
        this.scanner = scanner;
        this.cache = cache;
    }

    public LayerFiles() {
        this(new LayerScanner(), new LayerScanCache(256));
    }

    /** The image's layers (base first) with sizes and created-by, as the analysis names them. */
    public static ImageLayers layersOf(ImageStore store, ImageKey image) {
        ImageDetails details = store.inspect(image);
        return new ImageLayers(details.id(), details.repoTags(), store.layers(ImageKey.of(details.id())));
    }

    /**
     * Analyses the files of {@code image}; {@code progress} hears the number of layers done so far.
     * An endpoint that keeps layer blobs has each read directly; otherwise the image's export
     * stream is read once.
     *
     * @throws GantryException {@code CANCELLED} when the thread was interrupted
     */
    public ImageFiles analyze(ImageStore store, ImageLayers image, IntConsumer progress) {
        if (store.capabilities().layerBlobs()) {
            // each layer replayed while it is scanned (a cached one after), base first
            StreamedReplay replay = new StreamedReplay(image);
            int done = 0;
            for (ImageLayer layer : image.layers()) {
                Consumer<LayerEntry> listener = replay.listener();
                replay.add(cache.get(layer.diffId(), () -> readBlob(store, layer, listener)));
                progress.accept(++done);
                checkInterrupted(image);
            }
            return replay.finish();
        }
        return ImageFileAnalyzer.combine(image, fromExport(store, image, progress));
    }

    private LayerScan readBlob(ImageStore store, ImageLayer layer, Consumer<LayerEntry> listener) {
        try (InputStream in = store.openLayer(layer.blobOrDiffId())) {
            return scanner.scan(in, listener);
        } catch (IOException | GantryException e) {
            return failed("could not open layer " + layer.blobOrDiffId().shortHex() + ": " + e.getMessage());
        }
    }

    private List<LayerScan> fromExport(ImageStore store, ImageLayers image, IntConsumer progress) {
        Map<Digest, LayerScan> found = new HashMap<>();
        int[] done = {0};
        boolean allCached = image.layers().stream().allMatch(l -> cachedScan(l.diffId()).isPresent());
        if (allCached) {
            image.layers().forEach(l -> found.put(l.diffId(), cachedScan(l.diffId()).orElseThrow()));
        } else {
            try (InputStream export = store.export(ImageKey.of(image.imageId()));
                 TarArchiveInputStream tar = new TarArchiveInputStream(export)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null && found.size() < image.layers().size()) {
                    checkInterrupted(image);
                    if (!entry.isFile() || !looksLikeLayer(entry.getName(), image)) {
                        continue;
                    }
                    MessageDigest sha = sha256();
                    DigestInputStream hashing = new DigestInputStream(new FilterInputStream(tar) {
                        @Override
                        public void close() {
                            // the outer archive stays open
                        }
                    }, sha);
                    LayerScan scan = scanner.scan(hashing);
                    hashing.transferTo(OutputStreamSink.INSTANCE);
                    Digest diffId = Digest.of("sha256:" + HexFormat.of().formatHex(sha.digest()));
                    if (image.layers().stream().anyMatch(l -> l.diffId().equals(diffId))) {
                        found.put(diffId, scan);
                        progress.accept(++done[0]);
                    }
                }
            } catch (IOException e) {
                checkInterrupted(image);
                String message = "the export of " + image.displayName() + " broke off: " + e.getMessage();
                for (ImageLayer layer : image.layers()) {
                    found.putIfAbsent(layer.diffId(), failed(message));
                }
            }
        }
        List<LayerScan> scans = new ArrayList<>();
        for (ImageLayer layer : image.layers()) {
            LayerScan scan = found.getOrDefault(layer.diffId(),
                    failed("layer " + layer.diffId().shortHex() + " was not in the engine's export"));
            scans.add(scan.complete() ? cache.get(layer.diffId(), () -> scan) : scan);
        }
        return scans;
    }

    /** The cached scan of a layer, if there is one; never computes. */
    private Optional<LayerScan> cachedScan(Digest diffId) {
        try {
            return Optional.of(cache.get(diffId, () -> {
                throw NotCached.INSTANCE;
            }));
        } catch (NotCached e) {
            return Optional.empty();
        }
    }

    /** Signals a cache miss out of {@link LayerScanCache#get}, which then forgets the key. */
    private static final class NotCached extends RuntimeException {
        static final NotCached INSTANCE = new NotCached();

        private NotCached() {
            super("not cached", null, false, false);
        }
    }

    /**
     * Whether an entry of an export may be a layer: moby writes {@code <id>/layer.tar}, Podman
     * {@code <diff id>.tar} (its {@code <id>/layer.tar} is a symbolic link to that), an OCI archive
     * {@code blobs/sha256/<digest>}. Which layer it is comes from its hash, not its name.
     */
    private static boolean looksLikeLayer(String name, ImageLayers image) {
        if (name.endsWith(".tar")) {
            return true;
        }
        if (name.startsWith("blobs/sha256/")) {
            String hex = name.substring("blobs/sha256/".length());
            return image.layers().stream().anyMatch(l -> l.diffId().hex().equals(hex));
        }
        return false;
    }

    private static void checkInterrupted(ImageLayers image) {
        if (Thread.currentThread().isInterrupted()) {
            throw new GantryException(ErrorKind.CANCELLED, "analyse the files of " + image.displayName(),
                    "cancelled");
        }
    }

    private static LayerScan failed(String message) {
        return new LayerScan(List.of(), Compression.NONE, 0, 0,
                Optional.of(new ScanFailure(ScanFailure.Problem.READ_FAILED, message)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Discards what is left of an entry, so its hash covers all of it. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
