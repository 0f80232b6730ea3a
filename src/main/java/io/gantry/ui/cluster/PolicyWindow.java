package io.gantry.ui.cluster;

import io.gantry.ui.ColumnFit;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The pull-policy preview window (issue 16), opened from a cluster's view: a pod of the cluster
 * ({@code #policy-namespace}, {@code #policy-pod}) or a pasted manifest ({@code #policy-manifest}),
 * a node ({@code #policy-node}: the pod's own, or one chosen), and per image ({@code #policy-rows})
 * the effective policy and what the kubelet will do, with why for the chosen row. Bound to
 * {@link PolicyViewModel}; built in code.
 */
public final class PolicyWindow {

    /** The node choice meaning "the node the pod is scheduled on (or none)". */
    static final String OWN_NODE = "the pod's own node";

    private final PolicyViewModel model;

    private PolicyWindow(PolicyViewModel model) {
        this.model = model;
    }

    /** Opens the window next to {@code owner}; {@code nodes} are the cluster's node names, for the node choice. */
    public static Stage open(Window owner, PolicyViewModel model, List<String> nodes) {
        PolicyWindow window = new PolicyWindow(model);
        return Views.showSecondary(owner, "Pull policy — " + PeerCells.text(model.context().name()),
                window.build(nodes), 1000, 640);
    }

    private VBox build(List<String> nodeNames) {
        Label title = new Label("What will the kubelet do? · " + PeerCells.text(model.context().name()));
        title.getStyleClass().add("title-3");
        TextField namespace = new TextField(model.context().namespaceOrDefault());
        namespace.setId("policy-namespace");
        namespace.setPrefColumnCount(12);
        TextField pod = new TextField();
        pod.setId("policy-pod");
        pod.setPromptText("pod name, e.g. web-7d4b9");
        pod.setPrefColumnCount(24);
        HBox podChoice = new HBox(8, new Label("Namespace"), namespace, new Label("Pod"), pod);
        podChoice.setAlignment(Pos.CENTER_LEFT);
        podChoice.setPadding(new Insets(8, 0, 0, 0));
        TextArea manifest = new TextArea();
        manifest.setId("policy-manifest");
        manifest.setPromptText("Paste a Pod or a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob…) as YAML or "
                + "JSON. It is read here; the cluster is asked only for its nodes' images.");
        manifest.setPrefRowCount(6);
        VBox podPane = new VBox(podChoice); // at the top of the tab, not centred in the manifest's height
        Tab podTab = new Tab("A pod of the cluster", podPane);
        podTab.setId("policy-pod-tab");
        Tab manifestTab = new Tab("A manifest", manifest);
        manifestTab.setId("policy-manifest-tab");
        TabPane source = new TabPane(podTab, manifestTab);
        source.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        source.setId("policy-source");

        List<String> nodeChoices = new ArrayList<>();
        nodeChoices.add(OWN_NODE);
        nodeChoices.addAll(nodeNames);
        ComboBox<String> node = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(nodeChoices));
        node.setId("policy-node");
        node.getSelectionModel().select(0);
        Button decide = new Button("Decide");
        decide.setId("policy-decide");
        decide.setDefaultButton(true);
        decide.disableProperty().bind(model.workingProperty());
        decide.setOnAction(event -> {
            Optional<String> on = Optional.ofNullable(node.getValue()).filter(n -> !n.equals(OWN_NODE));
            if (source.getSelectionModel().getSelectedItem() == podTab) {
                model.decideForPod(namespace.getText(), pod.getText(), on);
            } else {
                model.decideForManifest(manifest.getText(), on);
            }
        });
        HBox action = new HBox(8, new Label("On node"), node, decide);
        action.setAlignment(Pos.CENTER_LEFT);

        Label status = new Label();
        status.setId("policy-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(Bindings.createStringBinding(() -> !model.errorProperty().get().isEmpty()
                ? model.errorProperty().get() : model.workingProperty().get() ? "Asking the cluster…" : "",
                model.errorProperty(), model.workingProperty()));
        model.errorProperty().subscribe(error -> {
            status.getStyleClass().remove("danger");
            if (!error.isEmpty()) {
                status.getStyleClass().add("danger");
            }
        });

        TableView<PolicyViewModel.Row> rows = table();
        Label why = new Label();
        why.setId("policy-why");
        why.setWrapText(true);
        why.setMinHeight(Region.USE_PREF_SIZE);
        why.textProperty().bind(Bindings.createStringBinding(() -> {
            PolicyViewModel.Row row = rows.getSelectionModel().getSelectedItem();
            return row == null ? "" : "WHY (" + PeerCells.text(row.pod().name() + " · " + row.decision().image().label())
                    + "): " + PeerCells.text(row.decision().reason());
        }, rows.getSelectionModel().selectedItemProperty()));
        model.rows().addListener((javafx.collections.ListChangeListener<PolicyViewModel.Row>) change -> {
            if (!model.rows().isEmpty() && rows.getSelectionModel().isEmpty()) {
                rows.getSelectionModel().select(0);
            }
        });
        Button explain = WhyWindow.button("policy-explain", Bindings.createObjectBinding(
                () -> Optional.ofNullable(rows.getSelectionModel().getSelectedItem()).map(r -> r.decision().image()),
                rows.getSelectionModel().selectedItemProperty()), Bindings.createObjectBinding(
                () -> Optional.ofNullable(rows.getSelectionModel().getSelectedItem()).map(PolicyViewModel.Row::pod),
                rows.getSelectionModel().selectedItemProperty()),
                failing -> WhyWindow.open(rows.getScene().getWindow(), model.why(failing)));
        HBox whyBar = new HBox(8, why, explain);
        whyBar.setAlignment(Pos.TOP_LEFT);
        HBox.setHgrow(why, Priority.ALWAYS);
        why.setMaxWidth(Double.MAX_VALUE);
        VBox root = new VBox(8, title, source, action, status, rows, whyBar);
        VBox.setVgrow(rows, Priority.ALWAYS);
        source.setMinHeight(Region.USE_PREF_SIZE);
        rows.setPrefHeight(160);
        rows.setMinHeight(100);
        root.setPadding(new Insets(12));
        root.setId("policy-view");
        return root;
    }

    private TableView<PolicyViewModel.Row> table() {
        TableView<PolicyViewModel.Row> rows = new TableView<>(model.rows());
        rows.setId("policy-rows");
        rows.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        TableColumn<PolicyViewModel.Row, String> pod = column("POD", r -> r.pod().name());
        TableColumn<PolicyViewModel.Row, String> container = column("CONTAINER", r -> r.decision().image().label());
        TableColumn<PolicyViewModel.Row, String> image = column("IMAGE", r -> r.decision().image().image());
        TableColumn<PolicyViewModel.Row, String> node = column("NODE", r -> r.node().orElse("-"));
        TableColumn<PolicyViewModel.Row, String> policy = column("POLICY", r -> r.decision().policyLabel());
        TableColumn<PolicyViewModel.Row, String> will = column("KUBELET WILL", r -> r.decision().action().toString());
        will.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                PolicyViewModel.Row row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setTooltip(row == null ? null : new Tooltip(PeerCells.text(row.decision().reason())));
                getStyleClass().remove("danger");
                if (row != null && row.decision().action().toString().startsWith("fail")) {
                    getStyleClass().add("danger");
                }
            }
        });
        rows.getColumns().setAll(List.of(pod, container, image, node, policy, will));
        ColumnFit.install(rows, List.of(
                // the names elide (their whole text is in WHY below): short samples, so the figures always fit
                new ColumnFit.Spec<>(pod, () -> List.of("web-7d4b9"), 0, 200),
                new ColumnFit.Spec<>(container, () -> List.of("web"), 0, 180),
                new ColumnFit.Spec<>(image, () -> List.of("nginx:1.27"), 0, Double.MAX_VALUE),
                new ColumnFit.Spec<>(node, () -> List.of("worker"), 1, 140),
                new ColumnFit.Spec<>(policy, () -> List.of("IfNotPresent (default)"), 0, 0),
                new ColumnFit.Spec<>(will, () -> model.rows().stream().map(r -> r.decision().action().toString())
                        .distinct().toList(), 0, 0)));
        Label none = new Label("Name a pod or paste a manifest, then Decide.");
        none.getStyleClass().add("placeholder");
        rows.setPlaceholder(none);
        return rows;
    }

    private static TableColumn<PolicyViewModel.Row, String> column(String title,
                                                                   Function<PolicyViewModel.Row, String> value) {
        TableColumn<PolicyViewModel.Row, String> column = new TableColumn<>(title);
        column.setCellValueFactory(PeerCells.cell(value));
        return column;
    }
}
