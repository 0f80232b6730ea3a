package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What a prune removed, or for a dry run what it would remove.
 *
 * @param mode           dangling or all unused
 * @param dryRun         whether nothing was removed and this is the preview
 * @param lines          {@code Untagged:} and {@code Deleted:} lines (images and layer chain IDs)
 * @param imagesDeleted  the image IDs removed, sorted
 * @param spaceReclaimed bytes freed: the sizes of the layers removed, each counted once
 */
public record PruneResult(PruneMode mode, boolean dryRun, List<DeleteLine> lines, List<Digest> imagesDeleted,
                          long spaceReclaimed) {

    public PruneResult {
        Objects.requireNonNull(mode, "mode");
        lines = List.copyOf(lines);
        imagesDeleted = imagesDeleted.stream().sorted().toList();
    }

    /** The references untagged, sorted. */
    public List<String> untagged() {
        return lines.stream().filter(l -> l.action() == DeleteLine.Action.UNTAGGED).map(DeleteLine::value)
                .sorted().toList();
    }

    /** Every deleted ID (images and layers), sorted. */
    public List<String> deleted() {
        return lines.stream().filter(l -> l.action() == DeleteLine.Action.DELETED).map(DeleteLine::value)
                .sorted().toList();
    }
}
