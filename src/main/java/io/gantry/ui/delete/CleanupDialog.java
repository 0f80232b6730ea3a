package io.gantry.ui.delete;

import atlantafx.base.theme.Styles;
import io.gantry.engine.PruneMode;
import io.gantry.ui.Views;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The delete and prune dialog: binds {@code CleanupView.fxml} to {@link CleanupViewModel}. It opens
 * on the preview; the run button stays disabled until the preview is there, and after the run the
 * dialog shows the result lines and offers only Close.
 */
public final class CleanupDialog {

    @FXML private Label titleLabel;
    @FXML private HBox modeBox;
    @FXML private ToggleButton danglingButton;
    @FXML private ToggleButton unusedButton;
    @FXML private ProgressIndicator spinner;
    @FXML private Label headlineLabel;
    @FXML private ListView<PreviewLine> linesList;
    @FXML private CheckBox forceBox;
    @FXML private Label messageLabel;
    @FXML private Button cancelButton;
    @FXML private Button runButton;
    @FXML private Button removeContainersButton;
    @FXML private Label containersLabel;

    private final CleanupViewModel model;
    private Stage stage;

    public CleanupDialog(CleanupViewModel model) {
        this.model = model;
    }

    /** Opens the dialog over {@code owner} and starts the preview. */
    public Stage show(Window owner) {
        stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(model.isPrune() ? "Prune images" : "Delete images");
        Scene scene = new Scene(Views.load(CleanupDialog.class, "/io/gantry/ui/delete/CleanupView.fxml", this));
        scene.getStylesheets().addAll(Views.stylesheets());
        stage.setScene(scene);
        io.gantry.ui.Views.closeWithKeys(stage);
        // Return runs the default action wherever the focus is (a focused list would keep Enter from the
        // default button); a focused button keeps Enter for itself
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.ENTER && !(scene.getFocusOwner() instanceof Button)
                    && runButton.isVisible() && !runButton.isDisabled()) {
                event.consume();
                runButton.fire();
            }
        });
        stage.show();
        model.preview();
        return stage;
    }

    @FXML
    private void initialize() {
        titleLabel.setText(model.isPrune() ? "Prune images" : "Delete images");
        modeBox.setVisible(model.isPrune());
        modeBox.setManaged(model.isPrune());
        ToggleGroup modes = new ToggleGroup();
        danglingButton.setToggleGroup(modes);
        unusedButton.setToggleGroup(modes);
        danglingButton.setUserData(PruneMode.DANGLING);
        unusedButton.setUserData(PruneMode.ALL_UNUSED);
        (model.pruneModeProperty().get() == PruneMode.DANGLING ? danglingButton : unusedButton).setSelected(true);
        modes.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true);
            } else {
                model.pruneModeProperty().set((PruneMode) now.getUserData());
            }
        });
        modeBox.disableProperty().bind(model.phaseProperty().isNotEqualTo(CleanupViewModel.Phase.PREVIEW));

        spinner.visibleProperty().bind(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.LOADING)
                .or(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.RUNNING)));
        spinner.managedProperty().bind(spinner.visibleProperty());
        headlineLabel.textProperty().bind(model.headlineProperty());
        linesList.setItems(model.lines());
        linesList.setCellFactory(list -> new LineCell());
        Label empty = new Label("");
        linesList.setPlaceholder(empty);

        forceBox.selectedProperty().bindBidirectional(model.forceProperty());
        forceBox.visibleProperty().bind(model.forceAvailableProperty()
                .and(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.PREVIEW)));
        forceBox.managedProperty().bind(forceBox.visibleProperty());
        messageLabel.textProperty().bind(model.messageProperty());
        messageLabel.visibleProperty().bind(model.messageProperty().isNotEmpty());
        messageLabel.managedProperty().bind(messageLabel.visibleProperty());

        boolean prune = model.isPrune();
        runButton.setGraphic(new FontIcon(Feather.TRASH_2));
        runButton.getStyleClass().add(Styles.DANGER);
        runButton.textProperty().bind(Bindings.when(model.forceProperty().and(model.forceAvailableProperty()))
                .then(prune ? "Prune" : "Force delete").otherwise(prune ? "Prune" : "Delete"));
        runButton.disableProperty().bind(model.canRunProperty().not());
        runButton.visibleProperty().bind(model.phaseProperty().isNotEqualTo(CleanupViewModel.Phase.DONE)
                .and(model.phaseProperty().isNotEqualTo(CleanupViewModel.Phase.FAILED)));
        runButton.managedProperty().bind(runButton.visibleProperty());
        runButton.setOnAction(event -> model.run());
        cancelButton.textProperty().bind(Bindings.when(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.DONE)
                .or(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.FAILED))).then("Close").otherwise("Cancel"));
        cancelButton.disableProperty().bind(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.RUNNING));
        cancelButton.setOnAction(event -> stage.close());
        // once it has run, Close is the default button and has the focus (Delete, which had it, is gone and
        // the focus fell on the result list, which keeps Return to itself): Return closes the result
        javafx.beans.binding.BooleanBinding over = model.phaseProperty().isEqualTo(CleanupViewModel.Phase.DONE)
                .or(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.FAILED));
        cancelButton.defaultButtonProperty().bind(over);
        over.addListener((obs, was, now) -> {
            if (now) {
                javafx.application.Platform.runLater(cancelButton::requestFocus);
            }
        });

        // a delete blocked only by stopped containers: remove them (named here), then delete
        javafx.beans.binding.BooleanBinding offered = Bindings.createBooleanBinding(
                () -> !model.stoppedInTheWayProperty().get().isEmpty(), model.stoppedInTheWayProperty())
                .and(model.phaseProperty().isEqualTo(CleanupViewModel.Phase.PREVIEW));
        removeContainersButton.visibleProperty().bind(offered);
        removeContainersButton.managedProperty().bind(offered);
        removeContainersButton.getStyleClass().add(Styles.DANGER);
        removeContainersButton.setOnAction(event -> model.removeContainersAndDelete());
        containersLabel.visibleProperty().bind(offered);
        containersLabel.managedProperty().bind(offered);
        containersLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            java.util.List<io.gantry.engine.ContainerRef> stopped = model.stoppedInTheWayProperty().get();
            return io.gantry.core.PeerText.clean("Only stopped containers are in the way: " + String.join(", ",
                    stopped.stream().map(c -> c.name() + " (" + c.shortId() + ")").toList())
                    + ". \"Remove the stopped containers and delete\" removes them (never a running one), then deletes.");
        }, model.stoppedInTheWayProperty()));
    }

    /** A preview line: an icon and label for what happens, the name, and a muted note. */
    private static final class LineCell extends ListCell<PreviewLine> {
        @Override
        protected void updateItem(PreviewLine line, boolean empty) {
            super.updateItem(line, empty);
            if (empty || line == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            FontIcon icon = new FontIcon(switch (line.kind()) {
                case UNTAG -> Feather.TAG;
                case DELETE_IMAGE -> Feather.TRASH_2;
                case DELETE_LAYER -> Feather.LAYERS;
                case BLOCKED -> Feather.SLASH;
                case RESULT -> Feather.CHECK;
            });
            Label kind = new Label(line.kind().label());
            kind.getStyleClass().addAll("line-kind", "line-" + line.kind().name().toLowerCase().replace('_', '-'));
            kind.setMinWidth(96);
            Label text = new Label(io.gantry.ui.PeerCells.text(line.text()));
            text.getStyleClass().add("line-text");
            text.setWrapText(true);
            Label note = new Label(io.gantry.ui.PeerCells.text(line.note()));
            note.getStyleClass().add("line-note");
            note.setWrapText(true);
            HBox head = line.kind() == PreviewLine.Kind.RESULT ? new HBox(8, icon, text) : new HBox(8, icon, kind, text);
            head.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(2, head);
            if (!line.note().isEmpty()) {
                note.setPadding(new javafx.geometry.Insets(0, 0, 0, 24));
                box.getChildren().add(note);
            }
            // wrap inside the list instead of scrolling sideways
            box.maxWidthProperty().bind(getListView().widthProperty().subtract(30));
            box.prefWidthProperty().bind(box.maxWidthProperty());
            note.prefWidthProperty().bind(box.maxWidthProperty().subtract(24));
            note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            setText(null);
            setGraphic(box);
        }
    }
}
