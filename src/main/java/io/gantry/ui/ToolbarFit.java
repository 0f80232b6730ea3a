package io.gantry.ui;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/**
 * Keeps every toolbar action on screen at any window width: when the labelled buttons do not fit,
 * the app title goes and the actions show their icons only (each keeps a tooltip with its name and
 * key), and the search field gives up width down to its minimum. Nothing moves into an overflow
 * menu, where a user (or a test) would not find it.
 */
final class ToolbarFit {

    static final String COMPACT = "compact";

    private final HBox bar;
    private final Node title;
    private final List<? extends ButtonBase> actions;
    private boolean compact;
    /** Width the search field should keep beyond its minimum before the labels go. */
    static final double SEARCH_ROOM = 120;
    /** The width the bar needs with labels (measured while they showed), or 0 if not yet known. */
    private double fullWidth;

    private ToolbarFit(HBox bar, Node title, List<? extends ButtonBase> actions) {
        this.bar = bar;
        this.title = title;
        this.actions = actions;
    }

    /**
     * @param tooltips each action's tooltip text, in the order of {@code actions}
     */
    static ToolbarFit install(HBox bar, Node title, List<? extends ButtonBase> actions, List<String> tooltips) {
        ToolbarFit fit = new ToolbarFit(bar, title, actions);
        for (int i = 0; i < actions.size(); i++) {
            ButtonBase action = actions.get(i);
            action.setMinWidth(Region.USE_PREF_SIZE); // never "Pr…"
            action.setTooltip(new Tooltip(tooltips.get(i)));
        }
        title.managedProperty().bind(title.visibleProperty());
        bar.widthProperty().addListener(obs -> fit.fit());
        return fit;
    }

    /** Whether the actions show icons only now. */
    boolean compact() {
        return compact;
    }

    private void fit() {
        double width = bar.getWidth();
        if (width <= 0) {
            return;
        }
        if (!compact) {
            fullWidth = neededWidth();
            if (width < fullWidth) {
                setCompact(true);
            }
        } else if (fullWidth > 0 && width >= fullWidth) {
            setCompact(false);
        }
    }

    /** The width of every child at its minimum (the search field shrinks, buttons do not), plus gaps and padding. */
    private double neededWidth() {
        List<Node> managed = bar.getChildren().stream().filter(Node::isManaged).toList();
        double sum = bar.snappedLeftInset() + bar.snappedRightInset() + bar.getSpacing() * Math.max(0, managed.size() - 1);
        for (Node child : managed) {
            sum += child.minWidth(-1);
        }
        return sum + SEARCH_ROOM;
    }

    private void setCompact(boolean value) {
        compact = value;
        title.setVisible(!value);
        for (ButtonBase action : actions) {
            action.setContentDisplay(value ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
        }
        if (value) {
            bar.getStyleClass().add(COMPACT);
        } else {
            bar.getStyleClass().remove(COMPACT);
        }
    }
}
