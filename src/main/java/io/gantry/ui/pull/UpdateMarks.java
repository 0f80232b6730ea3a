package io.gantry.ui.pull;

import io.gantry.core.Cancellation;
import io.gantry.engine.ImageSummary;
import io.gantry.service.ImageTable;
import io.gantry.service.UpdateCheck;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * "Update available" marks for local tags: after each listing, a background {@link UpdateCheck}
 * (HEAD requests only, one at a time, spaced) compares each tag's registry digest with the local
 * repository digest; the results land in {@link #marks()} (keyed {@code repository:tag}, as the
 * images table's rows name them) on the FX thread. A new listing cancels the check still running.
 *
 * <p>The images table belongs to the main view; {@link #installColumn} adds one narrow column
 * to it, so the table's owner needs no change beyond that call.
 */
public final class UpdateMarks {

    private final UpdateCheck check;
    private final Executor background;
    private final Executor fxThread;
    private final ObservableMap<String, UpdateCheck.Result> marks = FXCollections.observableHashMap();
    private Cancellation running = new Cancellation();

    /**
     * @param background runs the check (one task per listing)
     * @param fxThread   runs updates of {@link #marks()} on the FX thread
     */
    public UpdateMarks(UpdateCheck check, Executor background, Executor fxThread) {
        this.check = check;
        this.background = background;
        this.fxThread = fxThread;
    }

    /** The latest result per {@code repository:tag}; only tags checked so far are present. */
    public ObservableMap<String, UpdateCheck.Result> marks() {
        return marks;
    }

    /** Checks {@code images} afresh (call on the FX thread after a listing). */
    public void check(List<ImageSummary> images) {
        running.cancel();
        Cancellation mine = new Cancellation();
        running = mine;
        List<ImageSummary> tagged = images.stream().filter(image -> !image.repoDigests().isEmpty()).toList();
        try {
            background.execute(() -> run(tagged, mine));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the app is shutting down: no check
        }
    }

    private void run(List<ImageSummary> tagged, Cancellation mine) {
        try {
            check.checkAll(tagged, result -> fxThread.execute(() -> {
                if (!mine.isCancelled()) {
                    marks.put(result.repoTag(), result);
                }
            }), mine);
        } catch (RuntimeException e) {
            // cancelled or failed: marks stay as they are; the next listing checks again
        }
    }

    /** Stops the check still running. */
    public void cancel() {
        running.cancel();
    }

    /** Adds an update column (an arrow icon with the new digest on hover) after the table's TAG column. */
    public void installColumn(TableView<ImageTable.Row> table) {
        TableColumn<ImageTable.Row, UpdateCheck.Result> column = new TableColumn<>();
        column.setId("update-column");
        javafx.scene.control.Label header = new javafx.scene.control.Label(null, new FontIcon(Feather.ARROW_UP_CIRCLE));
        header.setId("update-column-header");
        header.setTooltip(new Tooltip("Updates: an arrow marks a tag whose registry now has another image"
                + " (checked in the background with HEAD requests; pull the tag again to update)"));
        column.setGraphic(header);
        column.setPrefWidth(36);
        column.setMaxWidth(40);
        column.setMinWidth(32);
        column.setSortable(true);
        column.setCellValueFactory(cell -> {
            String key = cell.getValue().repository() + ":" + cell.getValue().tag();
            return Bindings.valueAt(marks, key);
        });
        column.setComparator((a, b) -> Boolean.compare(available(a), available(b)));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(UpdateCheck.Result result, boolean empty) {
                super.updateItem(result, empty);
                if (empty || !available(result)) {
                    // (one Tooltip per cell, its text changed: a new one per update costs a popup window and a CSS pass)
                    setGraphic(null);
                    tooltip(empty || result == null ? null : switch (result.status()) {
                        case UP_TO_DATE -> "Up to date: the registry has the same image for this tag";
                        case UNKNOWN -> "Not checked: " + result.why();
                        case UPDATE_AVAILABLE -> "";
                    });
                    getStyleClass().remove("update-available");
                } else {
                    FontIcon icon = new FontIcon(Feather.ARROW_UP_CIRCLE);
                    icon.getStyleClass().add("update-mark");
                    setGraphic(icon);
                    tooltip("Update available: the registry now has "
                            + result.remote().map(Object::toString).orElse("a different image")
                            + ". Pull the tag again to update.");
                    if (!getStyleClass().contains("update-available")) {
                        getStyleClass().add("update-available");
                    }
                }
            }

            private final Tooltip tip = new Tooltip();

            private void tooltip(String text) {
                if (text == null) {
                    setTooltip(null);
                    return;
                }
                tip.setText(text);
                if (getTooltip() != tip) {
                    setTooltip(tip);
                }
            }
        });
        int tagIndex = -1;
        for (int i = 0; i < table.getColumns().size(); i++) {
            if ("TAG".equals(table.getColumns().get(i).getText())) {
                tagIndex = i;
            }
        }
        table.getColumns().add(tagIndex + 1, column);
    }

    private static boolean available(UpdateCheck.Result result) {
        return result != null && result.status() == UpdateCheck.Status.UPDATE_AVAILABLE;
    }

}
