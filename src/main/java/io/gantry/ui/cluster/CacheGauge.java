package io.gantry.ui.cluster;

import io.gantry.engine.cluster.NodeImageFs;
import io.gantry.service.ImageTable;
import javafx.css.PseudoClass;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;

/**
 * A node's image filesystem as a bar: the share in use (red once the kubelet's image GC is due),
 * and the node's two GC thresholds as lines (low, then high). Empty while the use is not known.
 * Laid out by hand, like the rail's node gauge, so the lines sit exactly at their shares.
 */
final class CacheGauge extends Pane {

    private static final PseudoClass DUE = PseudoClass.getPseudoClass("due");

    private final Region fill = new Region();
    private final Region low = new Region();
    private final Region high = new Region();
    private double percent;
    private int lowPercent = 80;
    private int highPercent = 85;

    CacheGauge() {
        getStyleClass().add("node-gauge-track");
        fill.getStyleClass().add("node-gauge-fill");
        low.getStyleClass().add("node-gauge-mark");
        high.getStyleClass().addAll("node-gauge-mark", "high");
        getChildren().addAll(fill, low, high);
        setMinHeight(10);
        setPrefHeight(10);
        setMaxHeight(10);
        getStyleClass().add("cache-gauge");
    }

    void show(NodeRow row) {
        percent = row.imageFs().map(NodeImageFs::usagePercent).orElse(0);
        lowPercent = row.thresholds().lowPercent();
        highPercent = row.thresholds().highPercent();
        fill.setVisible(row.imageFs().isPresent());
        fill.pseudoClassStateChanged(DUE, row.gcDue());
        requestLayout();
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

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        fill.resizeRelocate(0, 0, Math.max(percent > 0 ? 2 : 0, w * Math.min(100, percent) / 100), h);
        low.resizeRelocate(Math.round(w * lowPercent / 100.0) - 1, -2, 2, h + 4);
        high.resizeRelocate(Math.round(w * highPercent / 100.0) - 1, -2, 2, h + 4);
    }
}
