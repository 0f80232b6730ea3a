package io.gantry.ui.details;

import io.gantry.core.ImageConfig;
import io.gantry.core.Platform;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageDetails;
import io.gantry.service.ImageTable;
import io.gantry.ui.Views;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import java.util.function.Supplier;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Binds {@code DetailsView.fxml} to {@link DetailsViewModel}: the Details, Layers and Containers tabs. */
public final class DetailsController {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz")
            .withZone(ZoneId.systemDefault());

    @FXML private TabPane tabs;
    @FXML private Tab overviewTab;
    @FXML private Tab layersTab;
    @FXML private Tab containersTab;
    @FXML private GridPane overviewGrid;
    @FXML private TableView<ContainerRef> containersTable;
    @FXML private TableColumn<ContainerRef, String> containerNameColumn;
    @FXML private TableColumn<ContainerRef, String> containerIdColumn;
    @FXML private TableColumn<ContainerRef, String> containerStateColumn;
    @FXML private TableColumn<ContainerRef, String> containerStatusColumn;
    @FXML private TableColumn<ContainerRef, Instant> containerCreatedColumn;
    @FXML private ListView<String> childrenList;
    @FXML private Label emptyLabel;

    private final DetailsViewModel model;
    private final Supplier<Node> layersView;
    private boolean layersLoaded;

    /**
     * @param model      the pane's state
     * @param layersView the Layers tab's content (its own view)
     */
    public DetailsController(DetailsViewModel model, Node layersView) {
        this(model, () -> layersView);
    }

    /**
     * As above, with the Layers tab's content built the first time the tab comes to the front: the
     * window's first frame spares its tree and tables (and their CSS).
     */
    public DetailsController(DetailsViewModel model, Supplier<Node> layersView) {
        this.model = model;
        this.layersView = layersView;
    }

    /** Loads the view. */
    public Parent load() {
        return Views.load(DetailsController.class, "/io/gantry/ui/details/DetailsView.fxml", this);
    }

    @FXML
    private void initialize() {
        loadLayersWhenShown();
        tabs.visibleProperty().bind(model.loadedProperty().isNotNull());
        emptyLabel.visibleProperty().bind(model.loadedProperty().isNull());
        emptyLabel.textProperty().bind(model.messageProperty());
        model.loadedProperty().addListener((obs, old, now) -> {
            if (now != null) {
                fill(now.details());
            } else {
                overviewGrid.getChildren().clear();
            }
        });
        if (model.loadedProperty().get() != null) { // the view is built when details are first shown
            fill(model.loadedProperty().get().details());
        }

        containersTable.setItems(model.containers());
        io.gantry.ui.Views.downSelectsFirstRow(containersTable);
        Label none = new Label("No container uses this image.");
        none.getStyleClass().add("placeholder");
        containersTable.setPlaceholder(none);
        containerNameColumn.setCellValueFactory(cell(ContainerRef::name));
        containerIdColumn.setCellValueFactory(cell(ContainerRef::shortId));
        containerStateColumn.setCellValueFactory(cell(c -> c.state().name().toLowerCase()));
        containerStatusColumn.setCellValueFactory(cell(ContainerRef::status));
        containerCreatedColumn.setCellValueFactory(cell(ContainerRef::created));
        containerCreatedColumn.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(Instant created, boolean empty) {
                super.updateItem(created, empty);
                setText(empty || created == null ? null : ImageTable.ago(created, Instant.now()));
                setTooltip(empty || created == null ? null : new Tooltip(EXACT.format(created)));
            }
        });
        childrenList.setItems(model.children());
        if (childrenList.getCellFactory() == null) {
            childrenList.setCellFactory(io.gantry.ui.PeerCells.listCells());
        }
        Label noChildren = new Label("No image is built on this one.");
        noChildren.getStyleClass().add("placeholder");
        childrenList.setPlaceholder(noChildren);
        containersTab.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> "Containers (" + model.containers().size() + ")", model.containers()));
    }

    private void loadLayersWhenShown() {
        if (layersTab.isSelected()) {
            loadLayers();
        }
        layersTab.selectedProperty().addListener((obs, was, now) -> {
            if (now) {
                loadLayers();
            }
        });
    }

    private void loadLayers() {
        if (!layersLoaded) {
            layersLoaded = true;
            layersTab.setContent(layersView.get());
        }
    }

    /** Runs {@code action} whenever the Layers tab comes to the front (it starts the file analysis). */
    public void setOnLayersShown(Runnable action) {
        layersTab.setOnSelectionChanged(event -> {
            if (layersTab.isSelected()) {
                loadLayers();
                action.run();
            }
        });
    }

    /** Whether the Layers tab is in front. */
    public boolean layersShown() {
        return layersTab.isSelected();
    }

    private javafx.beans.value.ObservableBooleanValue whereOffered;
    private java.util.function.Consumer<String> where;

    /**
     * Offers "Where is this image?" in the Details tab of a named image while {@code offered} is true
     * (the kubeconfig has contexts); {@code open} gets the image's first name.
     */
    public void offerWhere(javafx.beans.value.ObservableBooleanValue offered, java.util.function.Consumer<String> open) {
        this.whereOffered = offered;
        this.where = open;
        if (model.loadedProperty().get() != null) {
            fill(model.loadedProperty().get().details());
        }
    }

    /** Brings the details to the front and gives them the focus (Enter on the images table). */
    public void focus() {
        if (tabs.getSelectionModel().getSelectedItem() == null) {
            tabs.getSelectionModel().select(overviewTab);
        }
        tabs.requestFocus();
    }

    private void fill(ImageDetails d) {
        overviewGrid.getChildren().clear();
        int[] row = {0};
        addRow(row, "ID", value(d.id().toString(), "image ID"));
        addRow(row, "Tags", d.repoTags().isEmpty() ? text("<none>") : list(d.repoTags(), t -> "reference " + t));
        addRow(row, "Digests", d.repoDigests().isEmpty() ? text("none (built or loaded locally)")
                : list(d.repoDigests(), t -> "digest reference"));
        whereRow(row, d);
        addRow(row, "Platform", text(d.platform().map(Platform::toString).orElse("—")));
        addRow(row, "Created", text(EXACT.format(d.created()) + " (" + ImageTable.ago(d.created(), Instant.now()) + ")"));
        addRow(row, "Size", text(ImageTable.humanSize(d.size()) + " in " + d.diffIds().size()
                + (d.diffIds().size() == 1 ? " layer" : " layers")));
        d.parent().ifPresent(parent -> addRow(row, "Parent", value(parent.toString(), "parent ID")));
        ImageConfig.RunConfig c = d.config();
        addRow(row, "Entrypoint", text(c.entrypoint().isEmpty() ? "—" : String.join(" ", c.entrypoint())));
        addRow(row, "Cmd", text(c.cmd().isEmpty() ? "—" : String.join(" ", c.cmd())));
        addRow(row, "Working dir", text(c.workingDir().orElse("—")));
        addRow(row, "User", text(c.user().orElse("—")));
        addRow(row, "Exposed ports", text(c.exposedPorts().isEmpty() ? "—" : String.join(", ", c.exposedPorts())));
        if (!c.volumes().isEmpty()) {
            addRow(row, "Volumes", text(String.join(", ", c.volumes())));
        }
        c.stopSignal().ifPresent(signal -> addRow(row, "Stop signal", text(signal)));
        addRow(row, "Env", c.env().isEmpty() ? text("—") : lines(c.env(), "env"));
        addRow(row, "Labels", c.labels().isEmpty() ? text("—")
                : lines(new TreeMap<>(c.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                        "labels"));
        if (!d.author().isEmpty()) {
            addRow(row, "Author", text(d.author()));
        }
        if (!d.storageDriver().isEmpty()) {
            addRow(row, "Storage driver", text(d.storageDriver()));
            for (Map.Entry<String, String> entry : new TreeMap<>(d.storageData()).entrySet()) {
                addRow(row, entry.getKey(), lines(List.of(entry.getValue().split(":")), entry.getKey()));
            }
        }
    }

    /** "Kubernetes: Where is this image?…" for a named image, shown while the kubeconfig has contexts. */
    private void whereRow(int[] row, ImageDetails d) {
        java.util.Optional<String> name = d.repoTags().stream().findFirst().or(() -> d.repoDigests().stream().findFirst());
        if (where == null || name.isEmpty()) {
            return;
        }
        javafx.scene.control.Hyperlink link = new javafx.scene.control.Hyperlink("Where is this image? (nodes, pods, pull policy)…");
        link.setId("details-where");
        link.setTooltip(new Tooltip("Which nodes of a Kubernetes cluster hold " + io.gantry.ui.PeerCells.text(name.get())
                + ", and which pods use it"));
        link.setOnAction(event -> where.accept(name.get()));
        Label label = new Label("Kubernetes");
        label.getStyleClass().add("details-key");
        for (Node node : List.of(label, link)) {
            node.visibleProperty().bind(whereOffered);
            node.managedProperty().bind(whereOffered);
        }
        overviewGrid.addRow(row[0]++, label, link);
    }

    private void addRow(int[] row, String key, Node value) {
        Label label = new Label(io.gantry.ui.PeerCells.text(key));
        label.getStyleClass().add("details-key");
        overviewGrid.addRow(row[0]++, label, value);
    }

    private static Label text(String text) {
        Label label = new Label(io.gantry.ui.PeerCells.text(text));
        label.getStyleClass().add("details-value");
        label.setWrapText(true);
        return label;
    }

    private static Node value(String text, String what) {
        HBox box = new HBox(4, text(text), Views.copyButton(what, text));
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return box;
    }

    private static Node list(List<String> values, Function<String, String> what) {
        VBox box = new VBox(2);
        values.forEach(v -> box.getChildren().add(value(v, what.apply(v))));
        return box;
    }

    private static Node lines(List<String> values, String id) {
        VBox box = new VBox(1);
        box.setId("details-" + id.toLowerCase());
        values.forEach(v -> {
            Label line = text(v);
            line.getStyleClass().add("monospace");
            box.getChildren().add(line);
        });
        return box;
    }

    private static <S, T> javafx.util.Callback<TableColumn.CellDataFeatures<S, T>, javafx.beans.value.ObservableValue<T>>
            cell(Function<S, T> getter) {
        return io.gantry.ui.PeerCells.cell(getter); // peer text cleaned
    }
}
