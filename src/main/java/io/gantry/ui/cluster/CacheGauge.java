package io.gantry.ui.cluster;

import io.gantry.engine.cluster.NodeImageFs;
import io.gantry.service.ImageTable;
import io.gantry.ui.ThresholdGauge;

/**
 * A node's image filesystem as a bar: the share in use (red once the kubelet's image GC is due),
 * and the node's two GC thresholds as lines (low, then high): the rail's {@link ThresholdGauge}.
 * Empty while the use is not known.
 */
final class CacheGauge extends ThresholdGauge {

    CacheGauge() {
        getStyleClass().add("cache-gauge");
    }

    void show(NodeRow row) {
        set(row.imageFs().map(NodeImageFs::usagePercent).orElse(0), row.imageFs().isPresent(),
                row.thresholds().lowPercent(), row.thresholds().highPercent(), row.gcDue());
    }

    /** The gauge's words, for its tooltip: the use, the thresholds, and what the kubelet does. */
    static String describe(NodeRow row) {
        String thresholds = "the kubelet's image GC starts at " + row.thresholds().highPercent() + "% and frees down to "
                + row.thresholds().lowPercent() + "%" + (row.ownThresholds() ? " (its own configuration)" : " (defaults)");
        if (row.reading()) {
            return "Reading the image filesystem from the kubelet…";
        }
        if (row.imageFs().isEmpty()) {
            return "Image filesystem use not known: " + row.unknownReason() + ". " + capitalized(thresholds) + ".";
        }
        NodeImageFs fs = row.imageFs().get();
        return "Image filesystem " + fs.usagePercent() + "% used (" + ImageTable.humanSize(fs.availableBytes())
                + " free of " + ImageTable.humanSize(fs.capacityBytes()) + "; images take "
                + ImageTable.humanSize(fs.imagesBytes()) + ").\n" + capitalized(thresholds) + (row.gcDue()
                ? ": due now, to free about " + ImageTable.humanSize(fs.bytesToFree(row.thresholds()))
                + " of unused images." : ": not due.");
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
