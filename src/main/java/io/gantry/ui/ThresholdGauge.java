package io.gantry.ui;

import javafx.css.PseudoClass;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;

/**
 * A bar of a share in use (red, pseudo-class {@code due}, once past the upper threshold) with two
 * thresholds drawn as lines, low then high: the kubelet's image GC, which starts at the high one and
 * frees down to the low one. Laid out by hand so the lines sit exactly at their shares. The rail's
 * node gauge and a cluster's node table both draw it.
 */
public class ThresholdGauge extends Pane {

    private static final PseudoClass DUE = PseudoClass.getPseudoClass("due");

    private final Region fill = new Region();
    private final Region low = new Region();
    private final Region high = new Region();
    private double percent;
    private int lowPercent;
    private int highPercent;

    public ThresholdGauge() {
        getStyleClass().add("node-gauge-track");
        fill.getStyleClass().add("node-gauge-fill");
        low.getStyleClass().add("node-gauge-mark");
        high.getStyleClass().addAll("node-gauge-mark", "high");
        getChildren().addAll(fill, low, high);
        setMinHeight(10);
        setPrefHeight(10);
        setMaxHeight(10);
    }

    /**
     * Shows {@code percent} in use (kept within 0–100; the bar is left empty when it is not known)
     * against the thresholds {@code lowPercent} and {@code highPercent}.
     */
    public void set(double percent, boolean known, int lowPercent, int highPercent, boolean due) {
        this.percent = Math.max(0, Math.min(100, percent));
        this.lowPercent = lowPercent;
        this.highPercent = highPercent;
        fill.setVisible(known);
        fill.pseudoClassStateChanged(DUE, due);
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        fill.resizeRelocate(0, 0, Math.max(percent > 0 ? 2 : 0, w * percent / 100), h);
        low.resizeRelocate(Math.round(w * lowPercent / 100.0) - 1, -2, 2, h + 4);
        high.resizeRelocate(Math.round(w * highPercent / 100.0) - 1, -2, 2, h + 4);
    }
}
