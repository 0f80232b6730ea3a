package io.gantry.ui.cluster;

import io.gantry.engine.cluster.ClusterNode;
import io.gantry.service.ImageTable;
import io.gantry.service.NodeCris;
import io.gantry.ui.ColumnFit;
import io.gantry.ui.Counts;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.List;
import java.util.function.Function;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The chosen cluster, in the images' place (issue 16): its nodes ({@code #cluster-nodes}: NODE,
 * READY, DISK PRESSURE, IMAGES, SIZE (of the images reported), IMAGE CACHE, IMAGE GC) with a gauge of each node's image
 * filesystem against its kubelet's GC thresholds, the kubelet's 50-image cap said under the table,
 * and the chosen node's cached images ({@code #node-images}). A cluster that does not answer shows
 * its state and the reason with Retry ({@code #cluster-error}), as a dead engine does. Built in code
 * and bound to {@link ClustersViewModel}.
 */
public final class ClusterView {

    private final ClustersViewModel model;
    private final VBox root = new VBox(8);
    private final TableView<NodeRow> nodes = new TableView<>();
    private final TableView<ClusterNode.NodeImage> images = new TableView<>();
    private final Label imagesTitle = new Label();

    public ClusterView(ClustersViewModel model) {
        this.model = model;
        build();
    }

    private java.util.function.Consumer<ClusterItem> openPolicy;

    /** What "Pull policy…" opens for the chosen cluster. */
    public void onPullPolicy(java.util.function.Consumer<ClusterItem> open) {
        this.openPolicy = open;
    }

    private java.util.function.Consumer<ClusterItem> openSecrets;

    /** What "Pull secrets…" opens for the chosen cluster. */
    public void onPullSecrets(java.util.function.Consumer<ClusterItem> open) {
        this.openSecrets = open;
    }

    private java.util.function.Consumer<ClusterItem> openPrePull;

    /** What "Pre-pull…" opens for the chosen cluster. */
    public void onPrePull(java.util.function.Consumer<ClusterItem> open) {
        this.openPrePull = open;
    }

    /** The view, for the main window to place. */
    public Node root() {
        return root;
    }

    private void build() {
        root.setId("cluster-view");
        root.getStyleClass().add("images-pane");
        root.setPadding(new Insets(10, 12, 8, 12));
        Label title = new Label();
        title.setId("cluster-title");
        title.getStyleClass().add("title-3");
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label server = new Label();
        server.setId("cluster-server");
        server.getStyleClass().add("endpoint-detail");
        server.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        model.selectedProperty().subscribe(item -> {
            title.setText(item == null ? "" : PeerCells.text(item.context().name()));
            server.setText(item == null ? "" : PeerCells.text(item.context().server() + " · user "
                    + item.context().user() + " · namespace " + item.context().namespaceOrDefault()));
        });
        javafx.scene.layout.Pane gap = new javafx.scene.layout.Pane();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button policy = new Button("Pull policy…");
        policy.setId("cluster-policy");
        policy.setTooltip(new Tooltip("What the kubelet will do for each image of a pod or a pasted manifest, and why"));
        policy.setOnAction(event -> {
            ClusterItem item = model.selectedProperty().get();
            if (item != null && openPolicy != null) {
                openPolicy.accept(item);
            }
        });
        policy.setMinWidth(Region.USE_PREF_SIZE);
        Button secrets = new Button("Pull secrets…");
        secrets.setId("cluster-secrets");
        secrets.setTooltip(new Tooltip("Make an image pull secret from your Docker credentials, and see which pods and "
                + "service accounts reference which pull secrets"));
        secrets.setOnAction(event -> {
            ClusterItem item = model.selectedProperty().get();
            if (item != null && openSecrets != null) {
                openSecrets.accept(item);
            }
        });
        secrets.setMinWidth(Region.USE_PREF_SIZE);
        Button prePull = new Button("Pre-pull…");
        prePull.setId("cluster-prepull");
        prePull.setTooltip(new Tooltip("Pre-pull an image onto this cluster's nodes: through a node's own CRI where "
                + "Gantry reaches it, else with a DaemonSet"));
        prePull.setOnAction(event -> {
            ClusterItem item = model.selectedProperty().get();
            if (item != null && openPrePull != null) {
                openPrePull.accept(item);
            }
        });
        prePull.setMinWidth(Region.USE_PREF_SIZE);
        server.setMinWidth(0);
        HBox header = new HBox(12, title, server, gap, prePull, secrets, policy);
        header.setAlignment(Pos.CENTER_LEFT);

        buildNodes();
        Label cap = new Label("IMAGES: each kubelet reports at most the " + ClusterNode.REPORTED_IMAGES_CAP
                + " largest images of its node (node.status.images, --node-status-max-images); a node showing "
                + ClusterNode.REPORTED_IMAGES_CAP + "+ may hold more, and its SIZE is then a lower bound. FROM says "
                + "where each node's list came from: " + NodeCris.RULE + ".");
        cap.setId("node-images-cap");
        Label gaugeNote = new Label();
        gaugeNote.setId("cluster-gauge-note");
        gaugeNote.textProperty().bind(model.gaugeNoteProperty());
        gaugeNote.visibleProperty().bind(model.gaugeNoteProperty().isNotEmpty());
        gaugeNote.managedProperty().bind(gaugeNote.visibleProperty());
        for (Label label : List.of(cap, gaugeNote)) {
            label.getStyleClass().add("endpoint-detail");
            label.setWrapText(true);
            label.setMinHeight(Region.USE_PREF_SIZE);
        }
        nodes.setMinHeight(80); // the table gives way, never the words under it
        VBox nodesPane = new VBox(6, nodes, cap, gaugeNote);
        VBox.setVgrow(nodes, Priority.ALWAYS);

        buildImages();
        imagesTitle.setId("node-images-title");
        imagesTitle.getStyleClass().add("rail-title");
        VBox imagesPane = new VBox(6, imagesTitle, images);
        VBox.setVgrow(images, Priority.ALWAYS);
        imagesPane.setPadding(new Insets(6, 0, 0, 0));
        SplitPane split = new SplitPane(nodesPane, imagesPane);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        // a node's images only while there are nodes (not under a cluster that does not answer)
        model.nodes().addListener((javafx.collections.ListChangeListener<NodeRow>) change -> {
            if (model.nodes().isEmpty()) {
                split.getItems().remove(imagesPane);
            } else if (!split.getItems().contains(imagesPane)) {
                split.getItems().add(imagesPane);
                split.setDividerPositions(0.55);
            }
        });
        split.getItems().remove(imagesPane);
        split.getStyleClass().add("main-split");
        VBox.setVgrow(split, Priority.ALWAYS);
        root.getChildren().addAll(header, split);
    }

    private void buildNodes() {
        nodes.setId("cluster-nodes");
        nodes.setItems(model.nodes());
        nodes.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        TableColumn<NodeRow, String> name = column("NODE", 180, row -> row.node().name());
        name.setCellFactory(c -> tipCell(row -> row.node().name() + "\nkubelet " + row.node().kubeletVersion().orElse("?")
                + ", runtime " + row.node().containerRuntime().orElse("?")));
        TableColumn<NodeRow, String> ready = column("READY", 70, row -> row.node().ready() ? "yes" : "no");
        TableColumn<NodeRow, String> pressure = column("DISK PRESSURE", 110,
                row -> row.node().diskPressure() ? "YES" : "no");
        pressure.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                getStyleClass().remove("danger");
                if (!empty && "YES".equals(value)) {
                    getStyleClass().add("danger");
                }
            }
        });
        TableColumn<NodeRow, String> count = column("IMAGES", 80, row -> row.node().images().size()
                + (row.node().imageListMayBeCut() ? "+" : ""));
        count.getStyleClass().add("numeric");
        TableColumn<NodeRow, String> size = column("SIZE", 100, row -> (row.node().imageListMayBeCut() ? "≥ " : "")
                + ImageTable.humanSize(row.reportedImagesBytes()));
        size.getStyleClass().add("numeric");
        TableColumn<NodeRow, String> from = column("FROM", 150, row -> row.node().imagesSource());
        from.setCellFactory(c -> tipCell(row -> row.node().imagesFromCri().isPresent()
                ? "Every image of the node, from its own CRI (" + row.node().imagesFromCri().get() + " on this machine)."
                : "The images the kubelet reports in node.status.images (at most the " + ClusterNode.REPORTED_IMAGES_CAP
                + " largest); Gantry reaches no CRI of this node."));
        TableColumn<NodeRow, NodeRow> gauge = new TableColumn<>("IMAGE CACHE");
        gauge.setPrefWidth(200);
        gauge.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyObjectWrapper<>(cell.getValue()));
        gauge.setCellFactory(c -> new GaugeCell());
        gauge.setSortable(false);
        TableColumn<NodeRow, String> gc = column("IMAGE GC", 150, row -> row.thresholds().highPercent() + "% → "
                + row.thresholds().lowPercent() + "%" + (row.ownThresholds() ? "" : " (default)"));
        gc.setCellFactory(c -> tipCell(row -> "The kubelet's image garbage collection starts when the image filesystem "
                + "is " + row.thresholds().highPercent() + "% full and removes unused images until it is "
                + row.thresholds().lowPercent() + "% full" + (row.ownThresholds() ? " (read from the kubelet's configuration)."
                : " (the kubelet's defaults; its own configuration was not read).")));
        nodes.getColumns().setAll(List.of(name, ready, pressure, count, size, from, gauge, gc));
        // no header or figure cut to "…": a narrow window hides FROM first (the node's images title says it), then
        // IMAGE GC (the gauge's tooltip says it), then READY
        ColumnFit.install(nodes, List.of(
                new ColumnFit.Spec<>(name, () -> List.of("worker-1"), 0, Double.MAX_VALUE),
                new ColumnFit.Spec<>(ready, () -> List.of("yes"), 1, 0),
                new ColumnFit.Spec<>(pressure, () -> List.of("YES"), 0, 0),
                new ColumnFit.Spec<>(count, () -> List.of("50+"), 0, 0),
                new ColumnFit.Spec<>(size, () -> List.of("≥ 999.9MB"), 0, 0),
                new ColumnFit.Spec<>(from, () -> List.of("node.status.images"), 3, 0),
                new ColumnFit.Spec<>(gauge, () -> List.of("MMMMMM 100% GC due"), 0, 0),
                new ColumnFit.Spec<>(gc, () -> List.of("85% → 80% (default)"), 2, 0)));
        updatePlaceholder();
        model.loadingProperty().addListener((obs, old, now) -> updatePlaceholder());
        model.errorProperty().addListener((obs, old, now) -> updatePlaceholder());
        model.selectedProperty().addListener((obs, old, now) -> updatePlaceholder());
        // the chosen node survives a refresh: the rows are replaced when the gauges arrive
        String[] chosen = {null};
        nodes.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                chosen[0] = now.node().name();
            }
            showImages(now);
        });
        model.nodes().addListener((javafx.collections.ListChangeListener<NodeRow>) change -> {
            if (nodes.getSelectionModel().getSelectedItem() != null || model.nodes().isEmpty()) {
                return;
            }
            model.nodes().stream().filter(row -> row.node().name().equals(chosen[0])).findFirst()
                    .or(() -> model.nodes().stream().findFirst())
                    .ifPresent(row -> nodes.getSelectionModel().select(row));
        });
    }

    private void buildImages() {
        images.setId("node-images");
        images.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        images.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ClusterNode.NodeImage, String> name = new TableColumn<>("IMAGE");
        name.setPrefWidth(520);
        name.setCellValueFactory(PeerCells.cell(image -> image.names().isEmpty() ? "<none>" : image.names().stream()
                .filter(n -> !n.contains("@")).findFirst().orElse(image.names().get(0))));
        name.setCellFactory(c -> new TableCell<>() {
            {
                setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            }

            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                ClusterNode.NodeImage image = empty || getTableRow() == null ? null : getTableRow().getItem();
                setTooltip(image == null ? null : new Tooltip(PeerCells.text(String.join("\n", image.names()))));
            }
        });
        TableColumn<ClusterNode.NodeImage, Long> size = new TableColumn<>("SIZE");
        size.setPrefWidth(90);
        size.getStyleClass().add("numeric");
        size.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyObjectWrapper<>(cell.getValue().sizeBytes()));
        size.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Long value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null : ImageTable.humanSize(value));
            }
        });
        images.getColumns().setAll(List.of(name, size));
        Label none = new Label("This node reports no images.");
        none.getStyleClass().add("placeholder");
        images.setPlaceholder(none);
        showImages(null);
    }

    private void showImages(NodeRow row) {
        if (row == null) {
            imagesTitle.setText("IMAGES ON THE NODE: choose a node above");
            images.getItems().clear();
            return;
        }
        ClusterNode node = row.node();
        imagesTitle.setText("IMAGES ON " + PeerCells.text(node.name()) + ": " + Counts.of(node.images().size(), "image")
                + (node.imageListMayBeCut() ? " reported (the kubelet's cap: it may hold more)" : "")
                + " · from " + PeerCells.text(node.imagesSource()));
        images.getItems().setAll(node.images());
    }

    /** What the placeholder shows now; it is made again only when that changes (Retry stays the same button). */
    private String placeholderShows;

    private void updatePlaceholder() {
        ClusterItem item = model.selectedProperty().get();
        String error = model.errorProperty().get();
        String shows = (item == null ? "" : item.context().name()) + "\n" + (!error.isEmpty() ? "error " + error
                : "loading " + model.loadingProperty().get());
        if (!shows.equals(placeholderShows)) {
            placeholderShows = shows;
            nodes.setPlaceholder(placeholder());
        }
    }

    /** What the empty nodes table says: reading, the cluster's failure with Retry, or no nodes. */
    private Node placeholder() {
        ClusterItem item = model.selectedProperty().get();
        String name = item == null ? "this cluster" : PeerCells.text(item.context().name());
        String error = model.errorProperty().get();
        if (!error.isEmpty()) {
            return Views.notAnswering(name, error, "cluster-error", "retry-cluster", model::refresh);
        }
        Label text = new Label(model.loadingProperty().get() ? "Reading the nodes of " + name + "…" : "No nodes.");
        text.setId("cluster-placeholder");
        text.getStyleClass().add("placeholder");
        return text;
    }

    private static <T> TableColumn<NodeRow, T> column(String title, double width, Function<NodeRow, T> value) {
        TableColumn<NodeRow, T> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(PeerCells.cell(value));
        return column;
    }

    private static TableCell<NodeRow, String> tipCell(Function<NodeRow, String> tip) {
        return new TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                NodeRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setTooltip(row == null ? null : new Tooltip(PeerCells.text(tip.apply(row))));
            }
        };
    }

    /** The IMAGE CACHE cell: a bar of the image filesystem's use with the two thresholds, and the figure. */
    private static final class GaugeCell extends TableCell<NodeRow, NodeRow> {
        private final CacheGauge bar = new CacheGauge();
        private final Label figure = new Label();
        private final HBox box = new HBox(6, bar, figure);

        GaugeCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            HBox.setHgrow(bar, Priority.ALWAYS);
            bar.setMinWidth(50);
            figure.setMinWidth(Region.USE_PREF_SIZE);
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(NodeRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            bar.show(row);
            figure.setText(row.reading() ? "reading…" : row.imageFs().map(fs -> fs.usagePercent() + "%"
                    + (row.gcDue() ? " GC due" : "")).orElse("not known"));
            figure.getStyleClass().remove("danger");
            if (row.gcDue()) {
                figure.getStyleClass().add("danger");
            }
            setGraphic(box);
            setTooltip(new Tooltip(PeerCells.text(CacheGauge.describe(row))));
        }
    }
}
