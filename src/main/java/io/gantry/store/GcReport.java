package io.gantry.store;

import io.gantry.core.Descriptor;
import java.util.List;

/**
 * What a garbage collection removed (or, in a dry run, would remove).
 *
 * @param blobs          the unreferenced blobs (media type "application/octet-stream": a blob
 *                       does not know what it is)
 * @param reclaimedBytes their total size
 * @param workFiles      leftover temp, partial and lock files removed (dead processes' and
 *                       week-old partial downloads)
 * @param dryRun         true when nothing was removed
 */
public record GcReport(List<Descriptor> blobs, long reclaimedBytes, int workFiles, boolean dryRun) {

    public GcReport {
        blobs = List.copyOf(blobs);
    }
}
