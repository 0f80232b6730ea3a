package io.gantry.service.analysis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of reading one layer archive: its entries in archive order plus byte counts. A scan
 * that failed part-way keeps the entries read before the failure (shown for what they are) and says
 * why in {@link #failure()}; the analysis treats such a layer as unreadable.
 *
 * @param entries           every entry read, in archive order
 * @param compression       the compression found from the magic bytes
 * @param compressedBytes   bytes read from the source (the blob as stored)
 * @param uncompressedBytes bytes of tar data decompressed
 * @param failure           why the scan stopped early; empty when the layer was read to its end
 */
public record LayerScan(List<LayerEntry> entries, Compression compression, long compressedBytes,
                        long uncompressedBytes, Optional<ScanFailure> failure) {

    public LayerScan {
        entries = List.copyOf(entries);
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(failure, "failure");
    }

    public boolean complete() {
        return failure.isEmpty();
    }

    /** Sum of the sizes of the regular files in this layer. */
    public long fileBytes() {
        return entries.stream().filter(e -> e.type() == EntryType.FILE).mapToLong(LayerEntry::size).sum();
    }

    /** The entries carrying a safety flag. */
    public List<LayerEntry> flaggedEntries() {
        return entries.stream().filter(LayerEntry::flagged).toList();
    }
}
