package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one layer of an image does to the filesystem, or why it could not be read.
 *
 * @param index                 position in the image, 0 = base layer
 * @param layer                 the layer
 * @param scan                  its entries and byte counts; for a failed layer the entries read
 *                              before the failure
 * @param changes               the paths it adds, modifies and deletes (empty for a failed layer)
 * @param supersededBytes       bytes of lower files this layer overwrites or deletes (they become wasted)
 * @param lowerLayersIncomplete a layer below this one failed, so "added" here may really be
 *                              "modified" and the merged tree from here on lacks that layer's files
 */
public record LayerReport(int index, ImageLayer layer, LayerScan scan, List<FileChange> changes,
                          long supersededBytes, boolean lowerLayersIncomplete) {

    public LayerReport {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(scan, "scan");
        changes = List.copyOf(changes);
    }

    /** Whether the layer was read to its end. */
    public boolean ok() {
        return scan.complete();
    }

    /** Why the layer could not be analysed; empty when {@link #ok()}. */
    public Optional<ScanFailure> failure() {
        return scan.failure();
    }

    public long count(ChangeKind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }

    /** Sum of {@link FileChange#bytes()} over changes of one kind. */
    public long bytes(ChangeKind kind) {
        return changes.stream().filter(c -> c.kind() == kind).mapToLong(FileChange::bytes).sum();
    }
}
