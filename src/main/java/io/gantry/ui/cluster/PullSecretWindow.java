package io.gantry.ui.cluster;

import io.gantry.engine.cluster.PullSecretReferences;
import io.gantry.ui.ColumnFit;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The pull-secret window (issue 16), opened from a cluster's view. Tab "Make a pull secret": the
 * registries of the user's Docker credentials to tick ({@code #secret-registries}), the namespace,
 * name and an optional service account, Preview ({@code #secret-preview}: the YAML with the data
 * redacted, in {@code #secret-yaml}) and Apply ({@code #secret-apply}, only for what was previewed).
 * Tab "Who references which" ({@code #secret-references}): the pods and service accounts of the
 * namespace and the pull secrets they name, missing ones first and in red. Bound to
 * {@link PullSecretViewModel}; built in code.
 */
public final class PullSecretWindow {

    private final PullSecretViewModel model;

    private PullSecretWindow(PullSecretViewModel model) {
        this.model = model;
    }

    /** Opens the window next to {@code owner} and starts reading the registries and the references. */
    public static Stage open(Window owner, PullSecretViewModel model) {
        PullSecretWindow window = new PullSecretWindow(model);
        Stage stage = Views.showSecondary(owner, "Image pull secrets — " + PeerCells.text(model.context().name()),
                window.build(), 960, 620);
        model.loadRegistries();
        model.loadReferences();
        return stage;
    }

    private VBox build() {
        Label title = new Label("Image pull secrets · " + PeerCells.text(model.context().name()));
        title.getStyleClass().add("title-3");
        Tab make = new Tab("Make a pull secret", makePane());
        make.setId("secret-make-tab");
        Tab references = new Tab("Who references which", referencesPane());
        references.setId("secret-references-tab");
        TabPane tabs = new TabPane(make, references);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("secret-tabs");
        VBox.setVgrow(tabs, Priority.ALWAYS);
        VBox root = new VBox(8, title, tabs);
        root.setPadding(new Insets(12));
        root.setId("secret-view");
        return root;
    }

    private Node makePane() {
        Label registriesTitle = new Label("REGISTRIES YOU ARE LOGGED IN TO");
        registriesTitle.getStyleClass().add("rail-title");
        ListView<String> registries = new ListView<>(model.registries());
        registries.setId("secret-registries");
        registries.setCellFactory(CheckBoxListCell.forListView(model::chosen,
                new javafx.util.StringConverter<>() {
                    @Override
                    public String toString(String registry) {
                        return registry == null ? "" : PeerCells.text(registry);
                    }

                    @Override
                    public String fromString(String text) {
                        return text;
                    }
                }));
        Label none = new Label("Reading your Docker credentials…");
        none.setWrapText(true);
        none.getStyleClass().add("placeholder");
        registries.setPlaceholder(none);
        registries.setPrefWidth(260);
        Label from = new Label("From ~/.docker/config.json (or $DOCKER_CONFIG): its auths, credHelpers and what its "
                + "credsStore lists.");
        from.getStyleClass().add("endpoint-detail");
        from.setWrapText(true);
        from.setMinHeight(Region.USE_PREF_SIZE);
        from.setMaxWidth(260);
        VBox left = new VBox(6, registriesTitle, registries, from);
        VBox.setVgrow(registries, Priority.ALWAYS);

        TextField namespace = field("secret-namespace", "the context's namespace", 14);
        namespace.textProperty().bindBidirectional(model.namespaceProperty());
        TextField name = field("secret-name", "pull-REGISTRY", 22);
        name.textProperty().bindBidirectional(model.nameProperty());
        TextField account = field("secret-service-account", "optional, e.g. default", 16);
        account.textProperty().bindBidirectional(model.serviceAccountProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Namespace"), namespace);
        form.addRow(1, new Label("Secret name"), name);
        form.addRow(2, new Label("Add to service account"), account);

        PreviewApply buttons = PreviewApply.of("secret", model.workingProperty(), model.previewProperty().isNotEmpty(),
                model::preview, model::apply, "Create the previewed secret in the cluster (or replace a pull secret of that "
                        + "name), and add it to the service account if one is named");
        HBox actions = new HBox(8, buttons.preview(), buttons.apply());
        actions.setAlignment(Pos.CENTER_LEFT);

        Label status = new Label();
        status.setId("secret-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(Bindings.createStringBinding(() -> !model.errorProperty().get().isEmpty()
                        ? model.errorProperty().get() : model.workingProperty().get() ? "Working…"
                        : model.statusProperty().get(),
                model.errorProperty(), model.workingProperty(), model.statusProperty()));
        model.errorProperty().subscribe(error -> {
            status.getStyleClass().remove("danger");
            if (!error.isEmpty()) {
                status.getStyleClass().add("danger");
            }
        });

        TextArea yaml = new TextArea();
        yaml.setId("secret-yaml");
        yaml.setEditable(false);
        yaml.setPromptText("Tick registries, then Preview: the secret is shown here as YAML, its credentials "
                + "redacted. Nothing changes in the cluster until Apply.");
        yaml.setWrapText(false);
        yaml.setStyle("-fx-font-family: monospace;");
        yaml.textProperty().bind(model.previewProperty());
        VBox right = new VBox(8, form, actions, status, yaml);
        VBox.setVgrow(yaml, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        HBox pane = new HBox(12, left, right);
        pane.setPadding(new Insets(8, 0, 0, 0));
        return pane;
    }

    private Node referencesPane() {
        Label scope = new Label();
        scope.textProperty().bind(Bindings.createStringBinding(() -> model.namespaceProperty().get() == null
                        || model.namespaceProperty().get().isBlank() ? "Every namespace"
                        : "Namespace " + PeerCells.text(model.namespaceProperty().get().trim()),
                model.namespaceProperty()));
        Button check = new Button("Check again");
        check.setId("secret-check");
        check.setOnAction(event -> model.loadReferences());
        HBox bar = new HBox(8, scope, check);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("secret-references-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(model.referencesStatusProperty());

        TableView<PullSecretReferences.Reference> table = new TableView<>(model.references());
        table.setId("secret-references");
        table.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        TableColumn<PullSecretReferences.Reference, String> namespace = column("NAMESPACE",
                PullSecretReferences.Reference::namespace);
        TableColumn<PullSecretReferences.Reference, String> holder = column("REFERENCED BY",
                PullSecretReferences.Reference::holder);
        TableColumn<PullSecretReferences.Reference, String> secret = column("SECRET", PullSecretReferences.Reference::secret);
        TableColumn<PullSecretReferences.Reference, String> state = column("STATE", r -> r.state().toString());
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                getStyleClass().remove("danger");
                if (!empty && value != null && !value.equals(PullSecretReferences.State.OK.toString())) {
                    getStyleClass().add("danger");
                }
            }
        });
        table.getColumns().setAll(List.of(namespace, holder, secret, state));
        ColumnFit.install(table, List.of(
                new ColumnFit.Spec<>(namespace, () -> List.of("default"), 0, 160),
                new ColumnFit.Spec<>(holder, () -> List.of("serviceaccount/default"), 0, Double.MAX_VALUE),
                new ColumnFit.Spec<>(secret, () -> List.of("pull-registry.example.com"), 0, 260),
                new ColumnFit.Spec<>(state, () -> java.util.stream.Stream.concat(java.util.stream.Stream.of("ok"),
                        model.references().stream().map(r -> r.state().toString())).distinct().toList(), 0, 0)));
        Label empty = new Label("No references read yet.");
        empty.getStyleClass().add("placeholder");
        table.setPlaceholder(empty);
        VBox pane = new VBox(8, bar, status, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        pane.setPadding(new Insets(8, 0, 0, 0));
        return pane;
    }

    private static TextField field(String id, String prompt, int columns) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(columns);
        return field;
    }

    private static TableColumn<PullSecretReferences.Reference, String> column(String title,
            Function<PullSecretReferences.Reference, String> value) {
        TableColumn<PullSecretReferences.Reference, String> column = new TableColumn<>(title);
        column.setCellValueFactory(PeerCells.cell(value));
        return column;
    }
}
