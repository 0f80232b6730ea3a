package io.gantry.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.geometry.Orientation;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * Sizes a table's columns to their content so that no header and no figure is ever cut to "…":
 * each column is at least as wide as its header (with room for the sort arrow) and its widest
 * expected value; the name columns take what is left and elide in the middle. When the table is
 * too narrow for every column, the columns of highest {@code hideOrder} are hidden (their values are
 * in the details pane) and come back when it widens — as Docker Desktop and Podman Desktop drop
 * columns of a narrow list rather than cutting them. Before a column is hidden, only the sorted
 * columns keep room for the sort arrow (at 900x600 with the vertical scroll bar showing, even the
 * columns that are never hidden need that).
 */
public final class ColumnFit<S> {

    /** Room besides a header's text: the header's padding and the sort arrow. */
    static final double HEADER_EXTRA = 34;
    /** The part of {@link #HEADER_EXTRA} that only a sorted column's arrow needs. */
    static final double SORT_ARROW = 14;
    /** A cell's padding left and right, and a pixel to spare. */
    static final double CELL_EXTRA = 20;

    /**
     * @param column    the column
     * @param samples   its widest expected values (measured in the cells' font)
     * @param hideOrder 0 = never hidden; otherwise hidden before columns of lower order
     * @param maxWidth  how wide it may grow with the width left over (names); 0: it keeps its minimum
     */
    public record Spec<S>(TableColumn<S, ?> column, Supplier<List<String>> samples, int hideOrder, double maxWidth) {

        boolean flexible() {
            return maxWidth > 0;
        }
    }

    private final TableView<S> table;
    private final List<Spec<S>> specs;

    private ColumnFit(TableView<S> table, List<Spec<S>> specs) {
        this.table = table;
        this.specs = List.copyOf(specs);
    }

    /** Fits {@code table}'s columns now and whenever its width or rows change. */
    public static <S> ColumnFit<S> install(TableView<S> table, List<Spec<S>> specs) {
        ColumnFit<S> fit = new ColumnFit<>(table, specs);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.widthProperty().addListener(obs -> fit.fit());
        table.getItems().addListener((ListChangeListener<S>) change -> fit.fit());
        table.getColumns().addListener((ListChangeListener<TableColumn<S, ?>>) change -> fit.fit());
        table.getSortOrder().addListener((ListChangeListener<TableColumn<S, ?>>) change -> fit.fit());
        return fit;
    }

    /** The narrowest {@code column} may be without cutting its header (with its sort arrow) or a sample value. */
    double minimumWidth(Spec<S> spec) {
        return minimumWidth(spec, true);
    }

    private double minimumWidth(Spec<S> spec, boolean arrowRoom) {
        Font header = headerFont();
        Font cell = Font.font(header.getFamily(), FontWeight.NORMAL, header.getSize());
        double width = textWidth(spec.column().getText(), header) + HEADER_EXTRA - (arrowRoom ? 0 : SORT_ARROW);
        for (String sample : spec.samples().get()) {
            width = Math.max(width, textWidth(sample, cell) + CELL_EXTRA);
        }
        return Math.ceil(width);
    }

    /** Hides and sizes the columns for the table's width now. */
    void fit() {
        if (table.getWidth() <= 0) {
            return;
        }
        double available = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - scrollBarWidth() - 2;
        double others = table.getColumns().stream().filter(c -> specs.stream().noneMatch(s -> s.column() == c))
                .filter(TableColumn::isVisible).mapToDouble(TableColumn::getWidth).sum();
        List<Double> minimums = specs.stream().map(this::minimumWidth).toList();
        double needed = others + sum(minimums);
        if (needed > available) {
            // before hiding a column: only the sorted column keeps room for its arrow; room for one arrow is
            // counted whichever column it is, so sorting never shows or hides a column
            minimums = specs.stream().map(s -> minimumWidth(s, table.getSortOrder().contains(s.column()))).toList();
            needed = others + specs.stream().mapToDouble(s -> minimumWidth(s, false)).sum() + SORT_ARROW;
        }
        List<Spec<S>> hidden = new ArrayList<>();
        for (Spec<S> spec : specs.stream().filter(s -> s.hideOrder() > 0)
                .sorted(Comparator.comparingInt((Spec<S> s) -> s.hideOrder()).reversed()).toList()) {
            if (needed <= available) {
                break;
            }
            hidden.add(spec);
            needed -= minimums.get(specs.indexOf(spec));
        }
        for (int i = 0; i < specs.size(); i++) {
            Spec<S> spec = specs.get(i);
            TableColumn<S, ?> column = spec.column();
            double min = minimums.get(i);
            column.setVisible(!hidden.contains(spec));
            column.setMinWidth(min);
            if (spec.flexible()) {
                column.setMaxWidth(Math.max(min, spec.maxWidth()));
                if (column.getPrefWidth() < min) {
                    column.setPrefWidth(min);
                }
            } else {
                column.setPrefWidth(min);
                column.setMaxWidth(min);
            }
        }
        shrinkNamesToFit(available);
    }

    /**
     * The resize policy spreads the table's width over the columns only when the table's width changes:
     * when a column's minimum grew (its header got the sort arrow) the names columns give the room back.
     */
    private void shrinkNamesToFit(double available) {
        double overflow = table.getVisibleLeafColumns().stream().mapToDouble(c -> Math.max(c.getWidth(), c.getMinWidth()))
                .sum() - available;
        for (Spec<S> spec : specs) {
            TableColumn<S, ?> column = spec.column();
            if (overflow <= 0) {
                return;
            }
            if (spec.flexible() && column.isVisible()) {
                double give = Math.min(overflow, column.getWidth() - column.getMinWidth());
                if (give > 0) {
                    column.setPrefWidth(column.getWidth() - give);
                    overflow -= give;
                }
            }
        }
    }

    private static double sum(List<Double> widths) {
        return widths.stream().mapToDouble(Double::doubleValue).sum();
    }

    private double scrollBarWidth() {
        for (Node node : table.lookupAll(".scroll-bar")) {
            if (node instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL && bar.isVisible()) {
                return bar.getWidth() > 0 ? bar.getWidth() : 14;
            }
        }
        return 14; // not laid out yet: leave room for it anyway
    }

    private Font headerFont() {
        Node label = table.lookup(".column-header .label");
        if (label instanceof Label header) {
            return header.getFont();
        }
        Font base = Font.getDefault();
        return Font.font(base.getFamily(), FontWeight.BOLD, base.getSize());
    }

    private static double textWidth(String text, Font font) {
        Text measured = new Text(text == null ? "" : text);
        measured.setFont(font);
        return measured.getLayoutBounds().getWidth();
    }
}
