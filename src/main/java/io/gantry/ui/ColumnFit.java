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
    /** A cell's padding left and right, and a pixel to spare, before a cell is drawn (then: the drawn cell's). */
    static final double CELL_EXTRA = 20;

    /**
     * @param column    the column
     * @param samples   its widest expected values (measured in the cells' font)
     * @param hideOrder 0 = never hidden; otherwise hidden before columns of lower order
     * @param maxWidth  how wide it may grow with the width left over (names); 0: it keeps its minimum
     * @param content   a name column's values now (the rows'): the room its widest one needs is given to it
     *                  before any later column gets spare room; empty: the resize policy shares the spare room
     */
    public record Spec<S>(TableColumn<S, ?> column, Supplier<List<String>> samples, int hideOrder, double maxWidth,
            Supplier<List<String>> content) {

        public Spec(TableColumn<S, ?> column, Supplier<List<String>> samples, int hideOrder, double maxWidth) {
            this(column, samples, hideOrder, maxWidth, List::of);
        }

        boolean flexible() {
            return maxWidth > 0;
        }
    }

    /** How many of a column's longest values (by characters) are measured for the room it wants. */
    static final int MEASURED = 24;

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
        double padding = cellPadding(spec.column());
        for (String sample : spec.samples().get()) {
            width = Math.max(width, textWidth(sample, cell) + padding);
        }
        return Math.ceil(width);
    }

    /** Hides and sizes the columns for the table's width now. */
    void fit() {
        if (table.getWidth() <= 0) {
            return;
        }
        // exactly the room the skin gives the columns: a pixel less left an empty strip after the last column
        double available = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - scrollBarWidth();
        double others = table.getColumns().stream().filter(c -> specs.stream().noneMatch(s -> s.column() == c))
                .filter(TableColumn::isVisible).mapToDouble(TableColumn::getWidth).sum();
        List<Double> minimums = specs.stream().map(this::minimumWidth).toList();
        List<Double> wanted = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            wanted.add(wantedWidth(specs.get(i), minimums.get(i)));
        }
        double needed = others + sum(minimums);
        double names = 0; // the room the name columns want beyond their minimums
        for (int i = 0; i < specs.size(); i++) {
            names += Math.max(0, wanted.get(i) - minimums.get(i));
        }
        if (needed + names > available) {
            // the names want the room (or a column must go): only the sorted column keeps room for its arrow;
            // room for one arrow is counted whichever column it is, so sorting never shows or hides a column
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
        double spare = available - others;
        for (int i = 0; i < specs.size(); i++) {
            if (!hidden.contains(specs.get(i))) {
                spare -= minimums.get(i);
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            Spec<S> spec = specs.get(i);
            TableColumn<S, ?> column = spec.column();
            double min = minimums.get(i);
            column.setVisible(!hidden.contains(spec));
            column.setMinWidth(min);
            if (spec.flexible() && wanted.get(i) > 0 && column.isVisible()) {
                // content first, in the specs' order: this column's widest value, then the next column's
                double width = min + Math.max(0, Math.min(spare, wanted.get(i) - min));
                spare -= width - min;
                if (spec.maxWidth() == Double.MAX_VALUE) {
                    column.setMaxWidth(Double.MAX_VALUE); // it takes whatever is left over
                } else {
                    column.setMaxWidth(width);
                }
                place(column, width);
            } else if (spec.flexible()) {
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
        growNamesToFill(available);
    }

    /**
     * The other way round: when the columns' content leaves part of the table empty and its width did
     * not change (so the resize policy does not spread it), the column that may grow without bound
     * (REPOSITORY) takes the rest, and no empty strip is drawn after the last column.
     */
    private void growNamesToFill(double available) {
        double slack = available - table.getVisibleLeafColumns().stream()
                .mapToDouble(c -> Math.max(c.getWidth(), c.getMinWidth())).sum();
        if (slack < 1) {
            return;
        }
        for (Spec<S> spec : specs) {
            TableColumn<S, ?> column = spec.column();
            if (spec.maxWidth() == Double.MAX_VALUE && column.isVisible()) {
                place(column, Math.max(column.getWidth(), column.getMinWidth()) + slack);
                return;
            }
        }
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
                    place(column, column.getWidth() - give);
                    overflow -= give;
                }
            }
        }
    }

    /**
     * Sets {@code column}'s width to {@code width} through its preferred width. A column's width follows
     * its preferred width only when that changes, and the resize policy may have left the width elsewhere
     * (a column 7 px wider than its unchanged preferred width overflowed the table by 7 px).
     */
    private static void place(TableColumn<?, ?> column, double width) {
        if (column.getPrefWidth() == width && column.getWidth() != width) {
            column.setPrefWidth(width + 1);
        }
        column.setPrefWidth(width);
    }

    /**
     * The room a name column wants for its widest value now (at least its minimum, at most its maximum);
     * 0 for a column without {@link Spec#content}.
     */
    private double wantedWidth(Spec<S> spec, double minimum) {
        if (!spec.flexible()) {
            return 0;
        }
        List<String> values = spec.content().get();
        if (values.isEmpty()) {
            return 0;
        }
        Font cell = cellFont();
        double padding = cellPadding(spec.column());
        double width = minimum;
        for (String value : values.stream().filter(v -> v != null).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).limit(MEASURED).toList()) {
            width = Math.max(width, Math.ceil(textWidth(value, cell) + padding));
        }
        return Math.min(width, Math.max(minimum, spec.maxWidth()));
    }

    private static double sum(List<Double> widths) {
        return widths.stream().mapToDouble(Double::doubleValue).sum();
    }

    private ScrollBar watchedBar;

    /**
     * The vertical scroll bar's width while it shows, 0 while the rows fit (the names get that room);
     * before the table is laid out, room for it anyway. Fits again when the bar shows or goes.
     */
    private double scrollBarWidth() {
        for (Node node : table.lookupAll(".scroll-bar")) {
            if (node instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL) {
                if (bar != watchedBar) {
                    watchedBar = bar;
                    bar.visibleProperty().addListener(obs -> fit());
                }
                if (bar.isVisible()) {
                    return bar.getWidth() > 0 ? bar.getWidth() : 14;
                }
                return 0;
            }
        }
        return 14; // not laid out yet: leave room for it anyway
    }

    /**
     * A cell's padding left and right in {@code column} and a pixel to spare, as drawn ({@link #CELL_EXTRA}
     * before any of its cells is drawn).
     */
    private double cellPadding(TableColumn<S, ?> column) {
        for (Node node : table.lookupAll(".table-cell")) {
            if (node instanceof javafx.scene.control.TableCell<?, ?> cell && cell.getTableColumn() == column
                    && cell.getSkin() != null) {
                return cell.snappedLeftInset() + cell.snappedRightInset() + 2;
            }
        }
        refitWhenDrawn();
        return CELL_EXTRA;
    }

    private boolean refitPending;

    /** No cell drawn yet to measure: fits again after the next layout pass (once its cells are drawn). */
    private void refitWhenDrawn() {
        if (refitPending || table.getScene() == null || table.getItems().isEmpty()) {
            return;
        }
        refitPending = true;
        javafx.scene.Scene scene = table.getScene();
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            refitPending = false;
            fit();
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /** The font the table's cells draw in (before any row is drawn: the header's, not bold). */
    private Font cellFont() {
        for (Node node : table.lookupAll(".table-cell")) {
            if (node instanceof javafx.scene.control.TableCell<?, ?> cell && cell.getFont() != null) {
                return cell.getFont();
            }
        }
        Font header = headerFont();
        return Font.font(header.getFamily(), FontWeight.NORMAL, header.getSize());
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
