package io.gantry.ui.layers;

import javafx.scene.Node;
import javafx.scene.layout.Pane;

/**
 * A horizontal bar whose children are laid out side by side, each as wide as its weight's share
 * of the sum of the weights, at every width. An {@code HBox} cannot do this: it hands the extra
 * width out in equal parts, so proportions drift with the window's width.
 */
public final class SizeBar extends Pane {

    private static final String WEIGHT = "size-bar-weight";

    /** Gives {@code segment} its weight (bytes, say); a child without one weighs nothing. */
    public static void setWeight(Node segment, double weight) {
        segment.getProperties().put(WEIGHT, Math.max(0, weight));
    }

    private static double weight(Node node) {
        return node.getProperties().get(WEIGHT) instanceof Double d ? d : 0;
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset();
        double top = snappedTopInset();
        double width = getWidth() - left - snappedRightInset();
        double height = getHeight() - top - snappedBottomInset();
        double total = getManagedChildren().stream().mapToDouble(SizeBar::weight).sum();
        double sum = 0;
        for (Node child : getManagedChildren()) {
            // edges from the running sum, so the segments tile the bar exactly and rounding never accumulates
            double from = total == 0 ? 0 : Math.round(width * sum / total);
            sum += weight(child);
            double to = total == 0 ? 0 : Math.round(width * sum / total);
            child.resizeRelocate(left + from, top, to - from, height);
        }
    }

    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 200 + snappedLeftInset() + snappedRightInset();
    }
}
