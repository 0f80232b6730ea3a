package io.gantry.ui.cluster;

import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ImageWhereabouts;
import io.gantry.engine.cluster.ImageWhereabouts.NodeHolding;
import io.gantry.engine.cluster.ImageWhereabouts.PodUse;
import io.gantry.service.ImageTable;
import io.gantry.service.NodeCris;
import io.gantry.engine.cluster.KubeletPullRules;
import io.gantry.ui.ColumnFit;
import io.gantry.ui.Counts;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The "Where is this image?" window (issue 16), opened from an image's menu on any endpoint: the
 * cluster and namespace to look in, the nodes that hold the image ({@code #where-nodes}: HOLDS IT is
 * "not known" where the kubelet's 50-image cap may hide it) and the pods that use it
 * ({@code #where-pods}: each container's effective pull policy and what the kubelet will do on its
 * node; why, for the chosen one, under the table). Bound to {@link WhereViewModel}; built in code.
 */
public final class WhereWindow {

    private final WhereViewModel model;
    private java.util.function.BiConsumer<String, ClusterItem> prePull;
    private final TableView<NodeHolding> nodes = new TableView<>();
    private final TableView<PodUse> pods = new TableView<>();

    private WhereWindow(WhereViewModel model) {
        this.model = model;
    }

    /**
     * Opens the window next to {@code owner} for {@code image}, in {@code chosen} of {@code contexts},
     * and starts reading.
     */
    public static Stage open(Window owner, WhereViewModel model, ObservableList<ClusterItem> contexts,
                             ClusterItem chosen, String image) {
        return open(owner, model, contexts, chosen, image, null);
    }

    /**
     * {@link #open(Window, WhereViewModel, ObservableList, ClusterItem, String)} with "Pre-pull to nodes…"
     * ({@code #where-prepull}), which hands {@code prePull} the image and the cluster chosen; none when null.
     */
    public static Stage open(Window owner, WhereViewModel model, ObservableList<ClusterItem> contexts,
                             ClusterItem chosen, String image,
                             java.util.function.BiConsumer<String, ClusterItem> prePull) {
        WhereWindow window = new WhereWindow(model);
        window.prePull = prePull;
        Stage stage = Views.showSecondary(owner, "Where is " + PeerCells.text(image) + "?",
                window.build(contexts, chosen), 1000, 620);
        model.show(image, chosen.context());
        return stage;
    }

    private VBox build(ObservableList<ClusterItem> contexts, ClusterItem chosen) {
        Label title = new Label();
        title.setId("where-title");
        title.getStyleClass().add("title-3");
        title.textProperty().bind(Bindings.createStringBinding(() -> "Where is " + PeerCells.text(model.imageProperty().get())
                + "?", model.imageProperty()));
        ComboBox<ClusterItem> cluster = ContextCell.chooser("where-cluster", contexts, chosen, now -> {
            model.contextProperty().set(now.context());
            model.read();
        });
        TextField namespace = new TextField();
        namespace.setId("where-namespace");
        namespace.setPromptText("every namespace");
        namespace.setPrefColumnCount(12);
        namespace.textProperty().bindBidirectional(model.namespaceProperty());
        namespace.setOnAction(event -> model.read());
        Button again = new Button("Look again", new FontIcon(Feather.REFRESH_CW));
        again.setId("where-read");
        again.setOnAction(event -> model.read());
        Label clusterLabel = new Label("Cluster");
        Label namespaceLabel = new Label("Namespace");
        HBox choice = new HBox(8, clusterLabel, cluster, namespaceLabel, namespace, again);
        if (prePull != null) {
            Button toNodes = new Button("Pre-pull to nodes…");
            toNodes.setId("where-prepull");
            toNodes.setTooltip(new Tooltip("Pull this image onto the cluster's nodes that lack it: through a node's own "
                    + "CRI where Gantry reaches it, else with a DaemonSet (previewed first)"));
            toNodes.setOnAction(event -> {
                if (cluster.getValue() != null) {
                    prePull.accept(model.imageProperty().get(), cluster.getValue());
                }
            });
            choice.getChildren().add(toNodes);
        }
        choice.setAlignment(Pos.CENTER_LEFT);

        Label status = new Label();
        status.setId("where-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(Bindings.createStringBinding(this::statusText, model.foundProperty(),
                model.loadingProperty(), model.errorProperty()));
        model.errorProperty().subscribe(error -> {
            status.getStyleClass().remove("danger");
            if (!error.isEmpty()) {
                status.getStyleClass().add("danger");
            }
        });

        buildNodes();
        buildPods();
        model.foundProperty().subscribe(found -> {
            nodes.getItems().setAll(found == null ? List.of() : found.nodes());
            pods.getItems().setAll(found == null ? List.of() : found.pods());
        });
        Label nodesTitle = new Label("NODES");
        nodesTitle.getStyleClass().add("rail-title");
        Label cap = new Label("HOLDS IT comes from node.status.images: each kubelet reports at most the "
                + ClusterNode.REPORTED_IMAGES_CAP + " largest images of its node, so where that list is full an image "
                + "missing from it is \"not known\". Where Gantry reaches a node's own CRI, the CRI answers instead, "
                + "with every image and its digests (FROM says which): " + NodeCris.RULE + ".");
        cap.setId("where-cap");
        cap.getStyleClass().add("endpoint-detail");
        cap.setWrapText(true);
        cap.setMinHeight(Region.USE_PREF_SIZE);
        Label podsTitle = new Label("PODS USING IT");
        podsTitle.getStyleClass().add("rail-title");
        // why the kubelet does what it does, for the chosen container (the first at first)
        Label why = new Label();
        why.setId("where-why");
        why.setWrapText(true);
        why.setMinHeight(Region.USE_PREF_SIZE);
        why.textProperty().bind(Bindings.createStringBinding(() -> {
            PodUse use = pods.getSelectionModel().getSelectedItem();
            return use == null ? "" : "WHY (" + PeerCells.text(use.pod().name() + " · " + use.image().label()) + "): "
                    + PeerCells.text(use.decision().reason());
        }, pods.getSelectionModel().selectedItemProperty()));
        pods.getItems().addListener((javafx.collections.ListChangeListener<PodUse>) change -> {
            if (!pods.getItems().isEmpty() && pods.getSelectionModel().isEmpty()) {
                pods.getSelectionModel().select(0);
            }
        });
        javafx.scene.control.Button explain = WhyWindow.button("where-explain", Bindings.createObjectBinding(
                () -> java.util.Optional.ofNullable(pods.getSelectionModel().getSelectedItem()).map(PodUse::image),
                pods.getSelectionModel().selectedItemProperty()), Bindings.createObjectBinding(
                () -> java.util.Optional.ofNullable(pods.getSelectionModel().getSelectedItem()).map(PodUse::pod),
                pods.getSelectionModel().selectedItemProperty()),
                pod -> WhyWindow.open(pods.getScene().getWindow(), model.why(pod)));
        javafx.scene.layout.HBox whyBar = new javafx.scene.layout.HBox(8, why, explain);
        whyBar.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        javafx.scene.layout.HBox.setHgrow(why, Priority.ALWAYS);
        why.setMaxWidth(Double.MAX_VALUE);
        VBox root = new VBox(8, title, choice, status, nodesTitle, nodes, cap, podsTitle, pods, whyBar);
        VBox.setVgrow(nodes, Priority.SOMETIMES);
        VBox.setVgrow(pods, Priority.ALWAYS);
        // the nodes table as tall as its rows, up to six; the pods get the rest
        nodes.prefHeightProperty().bind(Bindings.createDoubleBinding(() -> Math.min(6, Math.max(1,
                nodes.getItems().size())) * 28.0 + 36, nodes.getItems()));
        nodes.setMinHeight(70);
        pods.setMinHeight(110);
        pods.setPrefHeight(160); // grows into the room left; a large preferred height would squeeze the nodes
        root.setPadding(new Insets(12));
        root.setId("where-view");
        return root;
    }

    private String statusText() {
        if (!model.errorProperty().get().isEmpty()) {
            return model.errorProperty().get();
        }
        if (model.loadingProperty().get()) {
            return "Reading the cluster's nodes and pods…";
        }
        ImageWhereabouts found = model.foundProperty().get();
        if (found == null) {
            return "";
        }
        long holding = found.holding().size();
        long podCount = found.pods().stream().map(use -> use.pod().namespace() + "/" + use.pod().name()).distinct().count();
        return "Held by " + holding + " of " + Counts.of(found.nodes().size(), "node") + "; used by "
                + Counts.of(found.pods().size(), "container") + " in " + Counts.of(podCount, "pod") + ".";
    }

    private void buildNodes() {
        nodes.setId("where-nodes");
        nodes.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        nodes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<NodeHolding, String> name = column("NODE", 240, h -> h.node().name());
        TableColumn<NodeHolding, String> holds = column("HOLDS IT", 320, h -> switch (h.presence()) {
            case PRESENT -> "yes";
            case ABSENT -> "no";
            case NOT_LISTED, NO_NODE -> "not known (lists only its " + ClusterNode.REPORTED_IMAGES_CAP
                    + " largest images)";
        });
        TableColumn<NodeHolding, String> size = column("SIZE", 100, h -> h.entry()
                .map(e -> ImageTable.humanSize(e.sizeBytes())).orElse("-"));
        size.getStyleClass().add("numeric");
        TableColumn<NodeHolding, String> from = column("FROM", 200, h -> h.node().imagesSource());
        nodes.getColumns().setAll(List.of(name, holds, size, from));
        Label none = new Label("No nodes.");
        none.getStyleClass().add("placeholder");
        nodes.setPlaceholder(none);
    }

    private void buildPods() {
        pods.setId("where-pods");
        pods.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        TableColumn<PodUse, String> namespace = column("NAMESPACE", 100, u -> u.pod().namespace());
        TableColumn<PodUse, String> pod = column("POD", 170, u -> u.pod().name());
        TableColumn<PodUse, String> container = column("CONTAINER", 130, u -> u.image().label());
        TableColumn<PodUse, String> node = column("NODE", 110, u -> u.pod().nodeName().orElse("(not scheduled)"));
        TableColumn<PodUse, String> policy = column("POLICY", 150, u -> u.decision().policyLabel());
        TableColumn<PodUse, String> will = column("KUBELET WILL", 170, u -> u.decision().action().toString());
        will.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                PodUse use = empty || getTableRow() == null ? null : getTableRow().getItem();
                // the whole action too: a long one ("use the node's copy, or fail: …") elides before a pod's name does
                setTooltip(use == null ? null : new Tooltip(PeerCells.text(value) + "\n"
                        + PeerCells.text(use.decision().reason())));
            }
        });
        pods.getColumns().setAll(List.of(namespace, pod, container, node, policy, will));
        // no header cut; the names get the room their values want first (a pod's name whole), then what
        // the kubelet will do: a long action ("use the node's copy, or fail: …") elides, whole in its tooltip
        ColumnFit.install(pods, List.of(
                new ColumnFit.Spec<>(namespace, () -> List.of("default"), 0, 180,
                        () -> pods.getItems().stream().map(u -> u.pod().namespace()).toList()),
                new ColumnFit.Spec<>(pod, () -> List.of("web-1"), 0, Double.MAX_VALUE,
                        () -> pods.getItems().stream().map(u -> u.pod().name()).toList()),
                new ColumnFit.Spec<>(container, () -> pods.getItems().stream().map(u -> u.image().label())
                        .distinct().limit(50).toList(), 0, 260),
                new ColumnFit.Spec<>(node, () -> List.of("worker"), 0, 200,
                        () -> pods.getItems().stream().map(u -> u.pod().nodeName().orElse("(not scheduled)")).toList()),
                new ColumnFit.Spec<>(policy, () -> List.of("IfNotPresent (default)"), 0, 0),
                new ColumnFit.Spec<>(will, () -> List.of(KubeletPullRules.Action.PULL.toString()), 0, 420,
                        () -> pods.getItems().stream().map(u -> u.decision().action().toString()).toList())));
        Label none = new Label();
        none.getStyleClass().add("placeholder");
        none.textProperty().bind(Bindings.createStringBinding(() -> model.foundProperty().get() == null ? ""
                : "No pod" + (model.namespaceProperty().get() == null || model.namespaceProperty().get().isBlank() ? ""
                : " in namespace " + PeerCells.text(model.namespaceProperty().get().trim())) + " uses it.",
                model.foundProperty()));
        none.setId("where-no-pods");
        pods.setPlaceholder(none);
    }

    private static <S> TableColumn<S, String> column(String title, double width, Function<S, String> value) {
        TableColumn<S, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(PeerCells.cell(value));
        return column;
    }
}
