package io.gantry.ui.pull;

import io.gantry.service.ImageTable;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Binds {@code PullPanel.fxml} to {@link PullsViewModel}: one card per pull with its layer rows
 * (ID, status, bar, bytes), overall bar, status line, digest and a cancel button. The panel shows
 * itself when a pull starts and can be hidden; nothing here decides anything.
 */
public final class PullPanelController {

    @FXML private VBox panel;
    @FXML private Label title;
    @FXML private Button clearButton;
    @FXML private Button hideButton;
    @FXML private ScrollPane scroller;
    @FXML private VBox jobsBox;

    private final PullsViewModel model;

    public PullPanelController(PullsViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        panel.setVisible(false);
        panel.managedProperty().bind(panel.visibleProperty());
        title.textProperty().bind(Bindings.size(model.jobs()).asString("Pulls (%d)"));
        clearButton.setGraphic(new FontIcon(Feather.CHECK_SQUARE));
        clearButton.setOnAction(event -> model.clearFinished());
        hideButton.setGraphic(new FontIcon(Feather.CHEVRON_DOWN));
        hideButton.setTooltip(new Tooltip("Hide the pull panel"));
        hideButton.setOnAction(event -> panel.setVisible(false));
        model.jobs().addListener((ListChangeListener<PullJob>) change -> {
            rebuild();
            while (change.next()) {
                if (change.wasAdded()) {
                    panel.setVisible(true);
                }
            }
            if (model.jobs().isEmpty()) {
                panel.setVisible(false);
            }
        });
    }

    /** Shows the panel (it hides itself when empty). */
    public void show() {
        panel.setVisible(!model.jobs().isEmpty());
    }

    private void rebuild() {
        jobsBox.getChildren().setAll(model.jobs().stream().map(this::card).toList());
    }

    private VBox card(PullJob job) {
        Label name = new Label();
        name.textProperty().bind(job.titleProperty());
        name.getStyleClass().add("pull-title");
        ProgressBar overall = new ProgressBar();
        overall.getStyleClass().add("pull-overall");
        overall.progressProperty().bind(job.progressProperty());
        overall.setPrefWidth(220);
        Label status = new Label();
        status.getStyleClass().add("pull-status");
        status.textProperty().bind(job.statusProperty());
        status.setWrapText(true);
        Button cancel = new Button("Cancel", new FontIcon(Feather.X_CIRCLE));
        cancel.getStyleClass().addAll("flat", "danger", "pull-cancel");
        cancel.setOnAction(event -> job.cancel());
        cancel.visibleProperty().bind(job.stateProperty().isEqualTo(PullJob.State.RUNNING));
        cancel.managedProperty().bind(cancel.visibleProperty());
        Button retry = new Button("Retry", new FontIcon(Feather.ROTATE_CW));
        retry.getStyleClass().addAll("flat", "pull-retry");
        retry.setTooltip(new Tooltip("Pull this image again into the same endpoint"));
        retry.setOnAction(event -> model.retry(job));
        retry.visibleProperty().bind(job.stateProperty().isEqualTo(PullJob.State.FAILED)
                .or(job.stateProperty().isEqualTo(PullJob.State.CANCELLED)));
        retry.managedProperty().bind(retry.visibleProperty());
        FontIcon stateIcon = new FontIcon();
        stateIcon.iconCodeProperty().bind(Bindings.createObjectBinding(() -> switch (job.stateProperty().get()) {
            case RUNNING -> Feather.DOWNLOAD;
            case DONE -> Feather.CHECK_CIRCLE;
            case FAILED -> Feather.ALERT_TRIANGLE;
            case CANCELLED -> Feather.SLASH;
        }, job.stateProperty()));
        stateIcon.getStyleClass().add("pull-state-icon");
        job.stateProperty().addListener((obs, old, now) -> {
            stateIcon.getStyleClass().removeAll("success", "danger");
            if (now == PullJob.State.DONE) {
                stateIcon.getStyleClass().add("success");
            } else if (now == PullJob.State.FAILED) {
                stateIcon.getStyleClass().add("danger");
            }
        });
        Pane grow = new Pane();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(8, stateIcon, name, grow, overall, cancel, retry);
        header.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Label digest = new Label();
        digest.getStyleClass().add("pull-digest");
        digest.textProperty().bind(Bindings.when(job.digestProperty().isEmpty()).then("")
                .otherwise(Bindings.concat("Digest: ", job.digestProperty())));
        Button copy = new Button(null, new FontIcon(Feather.COPY));
        copy.getStyleClass().addAll("flat", "pull-copy-digest");
        copy.setTooltip(new Tooltip("Copy the digest"));
        copy.visibleProperty().bind(job.digestProperty().isNotEmpty());
        copy.setOnAction(event -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(job.digestProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
        });
        HBox footer = new HBox(6, status, new Pane(), digest, copy);
        HBox.setHgrow(footer.getChildren().get(1), Priority.ALWAYS);
        footer.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        VBox card = new VBox(6, header, layerTable(job), footer);
        card.getStyleClass().add("pull-card");
        card.setUserData(job);
        return card;
    }

    private static TableView<LayerRow> layerTable(PullJob job) {
        TableView<LayerRow> table = new TableView<>(job.layers());
        table.getStyleClass().addAll("pull-layers", "dense");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<LayerRow, String> id = new TableColumn<>("LAYER");
        id.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(io.gantry.ui.PeerCells.text(cell.getValue().id())));
        id.setPrefWidth(130);
        TableColumn<LayerRow, String> status = new TableColumn<>("STATUS");
        status.setCellValueFactory(cell -> javafx.beans.binding.Bindings.createStringBinding(
                () -> io.gantry.ui.PeerCells.text(cell.getValue().statusProperty().get()), cell.getValue().statusProperty()));
        status.setPrefWidth(150);
        TableColumn<LayerRow, Number> bar = new TableColumn<>("PROGRESS");
        bar.setCellValueFactory(cell -> cell.getValue().progressProperty());
        bar.setCellFactory(column -> new TableCell<>() {
            private final ProgressBar progress = new ProgressBar();

            {
                progress.setMaxWidth(Double.MAX_VALUE);
            }

            @Override
            protected void updateItem(Number value, boolean empty) {
                super.updateItem(value, empty);
                if (empty || value == null) {
                    setGraphic(null);
                } else {
                    progress.setProgress(value.doubleValue());
                    setGraphic(progress);
                }
            }
        });
        bar.setPrefWidth(240);
        TableColumn<LayerRow, String> bytes = new TableColumn<>("BYTES");
        bytes.setCellValueFactory(cell -> cell.getValue().bytesProperty());
        bytes.setPrefWidth(160);
        table.getColumns().setAll(java.util.List.of(id, status, bar, bytes));
        table.setFixedCellSize(26);
        // room for one line at least: the placeholder ("No layer had to be downloaded.") was drawn over the header
        table.prefHeightProperty().bind(Bindings.createDoubleBinding(() -> Math.max(1, job.layers().size()) * 26 + 40.0,
                job.layers()));
        table.minHeightProperty().bind(table.prefHeightProperty());
        // what the empty layer list says follows the pull: never "Resolving" after it ended
        Label placeholder = new Label();
        placeholder.getStyleClass().add("pull-layers-placeholder");
        placeholder.textProperty().bind(Bindings.createStringBinding(() -> job.isCopy() ? switch (job.stateProperty().get()) {
            case RUNNING -> "Streaming the image from one endpoint to the other…";
            case DONE -> "Copied as one archive stream; the image has no layers.";
            case FAILED -> "The copy failed; the destination keeps what it had.";
            case CANCELLED -> "Cancelled; the destination keeps what it had.";
        } : switch (job.stateProperty().get()) {
            case RUNNING -> "Resolving the image…";
            case DONE -> "No layer had to be downloaded.";
            case FAILED -> "Failed before any layer was downloaded.";
            case CANCELLED -> "Cancelled before any layer was downloaded.";
        }, job.stateProperty()));
        table.setPlaceholder(placeholder);
        return table;
    }

    static String size(long bytes) {
        return ImageTable.humanSize(bytes);
    }
}
