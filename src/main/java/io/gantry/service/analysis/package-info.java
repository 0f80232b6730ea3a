/**
 * Layer analysis: what Gantry shows on the Layers view and in delete previews. Plain Java over
 * small input records ({@link io.gantry.engine.ImageLayer},
 * {@link io.gantry.service.analysis.ImageLayers}, {@link io.gantry.engine.rules.ReclaimModel})
 * that the stores fill in; nothing here knows a concrete store or JavaFX.
 *
 * <h2>Sharing, by chain ID</h2>
 * A layer's identity for sharing is its <em>chain ID</em> ({@link io.gantry.core.ChainIds}):
 * the hash of its diff ID on top of everything below it, exactly as Docker computes it. On that:
 * <ul>
 *   <li>{@link io.gantry.service.analysis.SharedLayers}: SIZE, SHARED and UNIQUE per image, as
 *       {@code docker system df -v}, and which images each layer is shared with.</li>
 *   <li>{@link io.gantry.service.analysis.FamilyTree}: all images as a tree of common layer chains
 *       ({@code dockviz images -t}, but exact), with the lineage to highlight for a selected image.</li>
 * </ul>
 *
 * <h2>Files, per layer (dive's core)</h2>
 * {@link io.gantry.service.analysis.LayerScanner} reads a layer blob as a stream (gzip, zstd or
 * plain tar, recognized by magic bytes) and keeps only the tar headers: memory grows with the number
 * of files, never with their bytes, and nothing is written to disk. A compressed layer is
 * decompressed on a second thread ({@code ReadAhead}, a few buffers ahead)
 * while the scanner's thread parses the headers, as {@code gzip -dc | tar -t} use two cores. Archives are untrusted: names
 * with {@code ..}, absolute names, links leading out of the root, devices and absurd sizes are
 * flagged ({@link io.gantry.service.analysis.EntryFlag}) and never followed; decompression stops at a
 * per-layer byte limit ({@link io.gantry.service.analysis.ScanLimits}); a corrupt, truncated or
 * unreadable layer becomes a {@link io.gantry.service.analysis.ScanFailure} for that layer alone.
 * {@link io.gantry.service.analysis.ImageFileAnalyzer} scans an image's layers through a
 * {@link io.gantry.service.analysis.LayerContentSource} (cached by diff ID in a
 * {@link io.gantry.service.analysis.LayerScanCache}) and replays them like an engine unpacking them
 * (whiteouts {@code .wh.<name>}, opaque directories {@code .wh..wh..opq}); when the layers are read
 * from blobs, {@link io.gantry.service.analysis.StreamedReplay} replays each entry as the scanner
 * reads it, in the time the scanner's thread would wait for the decompressing one (exactly the
 * replay after the scan: when a layer's whiteout comes after an entry that layer placed, or a
 * streamed layer fails, it replays the scans again after all). The result,
 * {@link io.gantry.service.analysis.ImageFiles}, has each layer's added/modified/deleted paths, the
 * merged tree at any layer, the wasted bytes (superseded copies: N-1 of N, not dive's N) and an
 * efficiency score (1 - wasted / stored file bytes).
 *
 * <h2>Reclaim planning</h2>
 * {@link io.gantry.engine.rules.ReclaimPlanner} plays deletes and prunes on a copy of the
 * endpoint's state with moby's rules (hard and soft conflicts, untag versus delete, parent pruning,
 * layers freed only when no image or container uses them) and returns a
 * {@link io.gantry.engine.rules.ReclaimPlan}: the engine's own {@code Untagged:}/{@code Deleted:}
 * lines, the bytes freed, and every refusal with its reason.
 */
package io.gantry.service.analysis;
