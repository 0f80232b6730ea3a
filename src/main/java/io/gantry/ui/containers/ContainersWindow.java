package io.gantry.ui.containers;

import io.gantry.service.ImageTable;
import io.gantry.ui.Views;
import java.time.Instant;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The containers window: binds {@code ContainersView.fxml} to {@link ContainersViewModel}. */
public final class ContainersWindow {

    @FXML private Label titleLabel;
    @FXML private Label messageLabel;
    @FXML private Button reloadButton;
    @FXML private Button removeButton;
    @FXML private Label outcomeLabel;
    @FXML private TableView<ContainersViewModel.Row> containersTable;
    @FXML private TableColumn<ContainersViewModel.Row, String> nameColumn;
    @FXML private TableColumn<ContainersViewModel.Row, String> imageColumn;
    @FXML private TableColumn<ContainersViewModel.Row, String> imageIdColumn;
    @FXML private TableColumn<ContainersViewModel.Row, String> stateColumn;
    @FXML private TableColumn<ContainersViewModel.Row, String> statusColumn;
    @FXML private TableColumn<ContainersViewModel.Row, Instant> createdColumn;

    private final ContainersViewModel model;

    public ContainersWindow(ContainersViewModel model) {
        this.model = model;
    }

    /** Opens the window next to {@code owner} and starts loading. */
    public Stage show(Window owner) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Containers — " + model.endpointName());
        Scene scene = new Scene(Views.load(ContainersWindow.class, "/io/gantry/ui/containers/ContainersView.fxml", this),
                860, 420);
        scene.getStylesheets().addAll(Views.stylesheets());
        stage.setScene(scene);
        io.gantry.ui.Views.closeWithKeys(stage);
        stage.show();
        model.load();
        return stage;
    }

    @FXML
    private void initialize() {
        titleLabel.setText("Containers · " + model.endpointName());
        messageLabel.textProperty().bind(model.messageProperty());
        reloadButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        reloadButton.setOnAction(event -> model.load());
        containersTable.setItems(model.rows());
        io.gantry.ui.Views.downSelectsFirstRow(containersTable);
        containersTable.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        // removing stopped containers (never forced), where the endpoint can
        removeButton.setGraphic(new FontIcon(Feather.TRASH_2));
        removeButton.setVisible(model.canRemove());
        removeButton.setManaged(model.canRemove());
        removeButton.setTooltip(new javafx.scene.control.Tooltip(
                "Remove the selected stopped containers (Del); a running one is not removed"));
        removeButton.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(
                containersTable.getSelectionModel().getSelectedItems()).or(model.removingProperty()));
        removeButton.setOnAction(event -> confirmRemove());
        containersTable.setOnKeyPressed(event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.DELETE && !removeButton.isDisabled() && removeButton.isVisible()) {
                confirmRemove();
                event.consume();
            }
        });
        outcomeLabel.textProperty().bind(model.outcomeProperty());
        outcomeLabel.managedProperty().bind(model.outcomeProperty().isNotEmpty());
        Label none = new Label("No containers on this endpoint.");
        none.getStyleClass().add("placeholder");
        containersTable.setPlaceholder(none);
        nameColumn.setCellValueFactory(cell(r -> r.container().name()));
        imageColumn.setCellValueFactory(cell(ContainersViewModel.Row::imageName));
        imageIdColumn.setCellValueFactory(cell(r -> r.container().imageId().shortHex()));
        stateColumn.setCellValueFactory(cell(r -> r.container().state().name().toLowerCase()));
        statusColumn.setCellValueFactory(cell(r -> r.container().status()));
        createdColumn.setCellValueFactory(cell(r -> r.container().created()));
        createdColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Instant created, boolean empty) {
                super.updateItem(created, empty);
                setText(empty || created == null ? null : ImageTable.ago(created, Instant.now()));
            }
        });
    }

    /** Asks first, naming each container; Remove is the default button, Esc cancels. */
    private void confirmRemove() {
        java.util.List<ContainersViewModel.Row> chosen = java.util.List.copyOf(containersTable.getSelectionModel().getSelectedItems());
        if (chosen.isEmpty()) {
            return;
        }
        javafx.scene.control.ButtonType remove = new javafx.scene.control.ButtonType("Remove",
                javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        javafx.scene.control.Alert confirm = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                ContainersViewModel.confirmation(chosen), remove, javafx.scene.control.ButtonType.CANCEL);
        confirm.initOwner(containersTable.getScene().getWindow());
        confirm.setTitle("Remove containers");
        confirm.setHeaderText("Remove " + (chosen.size() == 1 ? "this container" : "these " + chosen.size() + " containers")
                + " from " + model.endpointName() + "?");
        confirm.getDialogPane().getStylesheets().addAll(Views.stylesheets());
        confirm.getDialogPane().setId("remove-containers-confirmation");
        Views.closeWithKeys(confirm);
        confirm.showAndWait().filter(remove::equals).ifPresent(answer -> model.remove(chosen));
    }

    private static <T> javafx.util.Callback<TableColumn.CellDataFeatures<ContainersViewModel.Row, T>,
            javafx.beans.value.ObservableValue<T>> cell(Function<ContainersViewModel.Row, T> getter) {
        return io.gantry.ui.PeerCells.cell(getter); // peer text cleaned
    }
}
