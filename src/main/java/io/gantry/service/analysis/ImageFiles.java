package io.gantry.service.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The file-level analysis of one image: per layer what it changes, the paths whose bytes are wasted,
 * and the efficiency score. The merged filesystem at any layer is rebuilt on demand by
 * {@link #treeAt(int)}, so this object holds only headers (no tree per layer).
 *
 * <h2>Wasted bytes and efficiency</h2>
 * A file copy is <em>wasted</em> when it is stored in a layer but hidden in the final filesystem,
 * because a later layer (or a later entry of the same layer) overwrote it, or a whiteout or opaque
 * directory deleted it. A path written N times and still present wastes its N-1 earlier copies; a
 * path written N times and deleted at the end wastes all N. (dive adds up every copy of any path
 * that appears more than once, the surviving one included, which overstates the waste.)
 * <p>
 * {@code efficiency = 1 - wastedBytes / totalFileBytes}, where {@code totalFileBytes} is the sum of
 * the sizes of every regular-file entry of every readable layer: the share of stored file bytes a
 * container actually sees. 1.0 for an image without file bytes. Failed layers are left out.
 *
 * @param image          the image
 * @param layers         one report per layer, base first
 * @param wastedFiles    the paths with superseded copies, most wasted bytes first
 * @param totalFileBytes bytes of all regular-file entries of the readable layers
 * @param wastedBytes    bytes of superseded copies
 */
public record ImageFiles(ImageLayers image, List<LayerReport> layers, List<WastedFile> wastedFiles,
                         long totalFileBytes, long wastedBytes) {

    public ImageFiles {
        Objects.requireNonNull(image, "image");
        layers = List.copyOf(layers);
        wastedFiles = List.copyOf(wastedFiles);
    }

    /** {@code 1 - wastedBytes / totalFileBytes}; 1.0 when there are no file bytes. */
    public double efficiency() {
        return totalFileBytes == 0 ? 1.0 : 1.0 - (double) wastedBytes / totalFileBytes;
    }

    /** Whether every layer was read to its end. */
    public boolean complete() {
        return layers.stream().allMatch(LayerReport::ok);
    }

    /** The layers that could not be read, each with its own error. */
    public List<LayerReport> failedLayers() {
        return layers.stream().filter(l -> !l.ok()).toList();
    }

    /**
     * The merged filesystem after layers {@code 0..index} (failed layers skipped), with the changes
     * of layer {@code index} marked and the paths it deleted included as deleted nodes.
     */
    public FileNode treeAt(int index) {
        Objects.checkIndex(index, layers.size());
        FileTreeReplay replay = new FileTreeReplay();
        for (int i = 0; i <= index; i++) {
            LayerReport report = layers.get(i);
            replay.apply(i, report.ok() ? report.scan().entries() : List.of());
        }
        return replay.freeze(index);
    }

    /** The final filesystem (the tree at the top layer); an empty root for an image without layers. */
    public FileNode finalTree() {
        return layers.isEmpty() ? new FileTreeReplay().freeze(-1) : treeAt(layers.size() - 1);
    }
}
