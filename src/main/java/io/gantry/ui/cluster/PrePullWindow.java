package io.gantry.ui.cluster;

import io.gantry.ui.ColumnFit;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * The "Pre-pull to nodes…" window (issue 16), opened from an image's menu or a cluster's view: the
 * image ({@code #prepull-image}), cluster ({@code #prepull-cluster}), namespace and pull secrets, and
 * whether nodes whose CRI Gantry reaches pull through it ({@code #prepull-via-cri}); the cluster's
 * nodes to tick ({@code #prepull-nodes}: HOLDS IT now, PULLS THROUGH, then STATE and DETAIL while
 * Apply runs); Preview ({@code #prepull-preview}: the plan in {@code #prepull-plan}, the DaemonSet's
 * YAML in {@code #prepull-yaml}), Apply ({@code #prepull-apply}, only what was previewed), Stop
 * ({@code #prepull-stop}) and Delete pre-puller ({@code #prepull-delete}). Closing the window stops
 * following. Bound to {@link PrePullViewModel}; built in code.
 */
public final class PrePullWindow {

    private final PrePullViewModel model;

    private PrePullWindow(PrePullViewModel model) {
        this.model = model;
    }

    /** Opens the window next to {@code owner} for {@code image} in {@code chosen} of {@code contexts} and reads the nodes. */
    public static Stage open(Window owner, PrePullViewModel model, ObservableList<ClusterItem> contexts,
                             ClusterItem chosen, String image) {
        PrePullWindow window = new PrePullWindow(model);
        model.show(image, chosen.context());
        Stage stage = Views.showSecondary(owner, "Pre-pull to nodes", window.build(contexts, chosen), 1040, 700);
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, event -> model.stop());
        return stage;
    }

    private VBox build(ObservableList<ClusterItem> contexts, ClusterItem chosen) {
        Label title = new Label();
        title.setId("prepull-title");
        title.getStyleClass().add("title-3");
        title.textProperty().bind(Bindings.createStringBinding(() -> "Pre-pull " + PeerCells.text(
                model.imageProperty().get()) + " to nodes", model.imageProperty()));

        TextField image = field("prepull-image", "e.g. registry.example.com/team/app:1.4", 30);
        image.textProperty().bindBidirectional(model.imageProperty());
        image.setOnAction(event -> model.loadNodes());
        ComboBox<ClusterItem> cluster = ContextCell.chooser("prepull-cluster", contexts, chosen, now -> {
            model.contextProperty().set(now.context());
            model.loadNodes();
        });
        TextField namespace = field("prepull-namespace", "the context's namespace", 14);
        namespace.textProperty().bindBidirectional(model.namespaceProperty());
        TextField secrets = field("prepull-secrets", "optional: pull secrets of the namespace, comma-separated", 28);
        secrets.textProperty().bindBidirectional(model.pullSecretsProperty());
        CheckBox viaCri = new CheckBox("Nodes whose own CRI Gantry reaches pull through it (with your login), "
                + "not the DaemonSet");
        viaCri.setId("prepull-via-cri");
        viaCri.selectedProperty().bindBidirectional(model.throughCriProperty());
        Button reload = new Button("Read nodes again");
        reload.setId("prepull-reload");
        reload.setOnAction(event -> model.loadNodes());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, label("Image"), image, label("Cluster"), cluster);
        form.addRow(1, label("Namespace"), namespace, label("Pull secrets"), secrets);
        GridPane.setHgrow(image, Priority.ALWAYS);
        GridPane.setHgrow(secrets, Priority.ALWAYS);
        HBox viaBar = new HBox(12, viaCri, reload);
        viaBar.setAlignment(Pos.CENTER_LEFT);

        PreviewApply buttons = PreviewApply.of("prepull", model.workingProperty(), model.previewedProperty(),
                model::preview, model::apply, "Pull through the CRIs and create (or replace) the DaemonSet as previewed, "
                        + "then follow each node until it holds the image");
        Button stop = new Button("Stop");
        stop.setId("prepull-stop");
        stop.setTooltip(new Tooltip("Stop following (and a pull through a CRI under way); a DaemonSet applied stays"));
        stop.disableProperty().bind(model.followingProperty().not());
        stop.setOnAction(event -> model.stop());
        Button delete = new Button("Delete pre-puller");
        delete.setId("prepull-delete");
        delete.setTooltip(new Tooltip("Delete this image's DaemonSet and its pods; the images stay on the nodes until "
                + "the kubelet's image GC removes unused ones"));
        delete.disableProperty().bind(model.workingProperty());
        delete.setOnAction(event -> model.delete());
        HBox actions = new HBox(8, buttons.preview(), buttons.apply(), stop, delete);
        actions.setAlignment(Pos.CENTER_LEFT);

        Label status = new Label();
        status.setId("prepull-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(Bindings.createStringBinding(() -> !model.errorProperty().get().isEmpty()
                        ? PeerCells.text(model.errorProperty().get())
                        : model.loadingNodesProperty().get() ? "Reading the cluster's nodes…"
                        : model.workingProperty().get() && !model.followingProperty().get() ? "Working…"
                        : PeerCells.text(model.statusProperty().get()),
                model.errorProperty(), model.workingProperty(), model.followingProperty(), model.statusProperty(),
                model.loadingNodesProperty()));
        model.errorProperty().subscribe(error -> {
            status.getStyleClass().remove("danger");
            if (!error.isEmpty()) {
                status.getStyleClass().add("danger");
            }
        });

        TableView<PrePullViewModel.NodeChoice> nodes = nodesTable();
        Label plan = new Label();
        plan.setId("prepull-plan");
        plan.setWrapText(true);
        plan.setMinHeight(Region.USE_PREF_SIZE);
        plan.textProperty().bind(Bindings.createStringBinding(() -> PeerCells.text(model.planProperty().get()),
                model.planProperty()));
        TextArea yaml = new TextArea();
        yaml.setId("prepull-yaml");
        yaml.setEditable(false);
        yaml.setWrapText(false);
        yaml.setStyle("-fx-font-family: monospace;");
        yaml.setPromptText("Preview shows here the DaemonSet that pulls the image onto the chosen nodes reached "
                + "through the API (an init container with the image, then a pause container that keeps it). "
                + "Nothing changes in the cluster until Apply.");
        yaml.textProperty().bind(model.yamlProperty());
        VBox previewPane = new VBox(6, plan, yaml);
        VBox.setVgrow(yaml, Priority.ALWAYS);
        SplitPane split = new SplitPane(nodes, previewPane);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        VBox.setVgrow(split, Priority.ALWAYS);

        VBox root = new VBox(8, title, form, viaBar, actions, status, split);
        root.setPadding(new Insets(12));
        root.setId("prepull-view");
        return root;
    }

    private TableView<PrePullViewModel.NodeChoice> nodesTable() {
        TableView<PrePullViewModel.NodeChoice> table = new TableView<>(model.nodes());
        table.setId("prepull-nodes");
        table.setEditable(true);
        table.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        TableColumn<PrePullViewModel.NodeChoice, Boolean> chosen = new TableColumn<>("PULL");
        chosen.setCellValueFactory(c -> c.getValue().chosenProperty());
        chosen.setCellFactory(CheckBoxTableCell.forTableColumn(chosen));
        chosen.setEditable(true);
        chosen.editableProperty().bind(model.workingProperty().not());
        TableColumn<PrePullViewModel.NodeChoice, String> name = text("NODE", PrePullViewModel.NodeChoice::name);
        TableColumn<PrePullViewModel.NodeChoice, String> holds = text("HOLDS IT", PrePullViewModel.NodeChoice::holds);
        TableColumn<PrePullViewModel.NodeChoice, String> via = new TableColumn<>("PULLS THROUGH");
        via.setCellValueFactory(c -> c.getValue().viaProperty());
        TableColumn<PrePullViewModel.NodeChoice, String> state = new TableColumn<>("STATE");
        state.setCellValueFactory(c -> Bindings.createStringBinding(() -> c.getValue().stateProperty().get().toString(),
                c.getValue().stateProperty()));
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                getStyleClass().removeAll("danger", "success");
                if (!empty && PrePullViewModel.State.FAILED.toString().equals(value)) {
                    getStyleClass().add("danger");
                } else if (!empty && PrePullViewModel.State.HAS_IT.toString().equals(value)) {
                    getStyleClass().add("success");
                }
            }
        });
        TableColumn<PrePullViewModel.NodeChoice, String> detail = new TableColumn<>("DETAIL");
        detail.setCellValueFactory(c -> c.getValue().detailProperty());
        detail.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                setTooltip(empty || value == null || value.isEmpty() ? null : new Tooltip(value));
            }
        });
        table.getColumns().setAll(List.of(chosen, name, holds, via, state, detail));
        ColumnFit.install(table, List.of(
                new ColumnFit.Spec<>(chosen, () -> List.of(), 0, 0),
                new ColumnFit.Spec<>(name, () -> model.nodes().stream().map(PrePullViewModel.NodeChoice::name)
                        .limit(50).toList(), 0, 260),
                new ColumnFit.Spec<>(holds, () -> List.of("not known", "yes (99.9 MB)"), 0, 0),
                new ColumnFit.Spec<>(via, () -> model.nodes().stream().map(n -> n.viaProperty().get()).distinct()
                        .toList(), 0, 260),
                new ColumnFit.Spec<>(state, () -> List.of(PrePullViewModel.State.HAS_IT.toString(),
                        PrePullViewModel.State.FAILED.toString()), 0, 0),
                new ColumnFit.Spec<>(detail, () -> List.of("listed in the node's status"), 0, Double.MAX_VALUE)));
        Label none = new Label("No nodes read yet.");
        none.getStyleClass().add("placeholder");
        table.setPlaceholder(none);
        table.setMinHeight(100);
        return table;
    }

    private static TableColumn<PrePullViewModel.NodeChoice, String> text(String title,
            java.util.function.Function<PrePullViewModel.NodeChoice, String> value) {
        TableColumn<PrePullViewModel.NodeChoice, String> column = new TableColumn<>(title);
        column.setCellValueFactory(PeerCells.cell(value));
        return column;
    }

    private static Label label(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    private static TextField field(String id, String prompt, int columns) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(columns);
        return field;
    }
}
