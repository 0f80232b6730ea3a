package io.gantry.ui.layers;

import io.gantry.service.ImageTable;
import io.gantry.service.LayerRows;
import io.gantry.service.analysis.FileNode;
import io.gantry.ui.Views;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Binds {@code LayersView.fxml} to {@link LayersViewModel}: the layer table, the size bar (one
 * segment per layer, its width the layer's share of the image, shared layers in one colour and
 * unique ones in another), and the file tree of the selected layer with added, modified and
 * deleted marks.
 */
public final class LayersController {

    @FXML private SizeBar sizeBar;
    @FXML private Label legendShared;
    @FXML private Label legendUnique;
    @FXML private TableView<LayerRows.Row> layersTable;
    @FXML private TableColumn<LayerRows.Row, Integer> indexColumn;
    @FXML private TableColumn<LayerRows.Row, Long> sizeColumn;
    @FXML private TableColumn<LayerRows.Row, List<String>> sharedColumn;
    @FXML private TableColumn<LayerRows.Row, String> createdByColumn;
    @FXML private Button analyseButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label summaryLabel;
    @FXML private CheckBox changesOnly;
    @FXML private Label layerLabel;
    @FXML private TreeView<FileNode> fileTree;

    private final LayersViewModel model;

    public LayersController(LayersViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return Views.load(LayersController.class, "/io/gantry/ui/layers/LayersView.fxml", this);
    }

    @FXML
    private void initialize() {
        layersTable.setItems(model.rows());
        io.gantry.ui.Views.downSelectsFirstRow(layersTable);
        indexColumn.setCellValueFactory(cell(LayerRows.Row::index));
        sizeColumn.setCellValueFactory(cell(LayerRows.Row::size));
        sizeColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Long size, boolean empty) {
                super.updateItem(size, empty);
                setText(empty || size == null ? null : ImageTable.humanSize(size));
            }
        });
        sharedColumn.setCellValueFactory(cell(LayerRows.Row::sharedWith));
        sharedColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(List<String> names, boolean empty) {
                super.updateItem(names, empty);
                getStyleClass().remove("shared-layer");
                if (empty || names == null) {
                    setText(null);
                    setTooltip(null);
                } else if (names.isEmpty()) {
                    setText("only this image");
                    setTooltip(null); // a reused cell must not keep another layer's names
                } else {
                    getStyleClass().add("shared-layer");
                    setText(io.gantry.ui.PeerCells.text(String.join(", ", names)));
                    setTooltip(new Tooltip(String.join("\n", names)));
                }
            }
        });
        createdByColumn.setCellValueFactory(cell(LayerRows.Row::createdBy));
        createdByColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : io.gantry.ui.PeerCells.text(text));
                setTooltip(empty || text == null || text.isEmpty() ? null : new Tooltip(text));
            }
        });
        Label none = new Label("No layers.");
        none.getStyleClass().add("placeholder");
        layersTable.setPlaceholder(none);
        model.rows().addListener((ListChangeListener<LayerRows.Row>) change -> drawSizeBar());
        layersTable.getSelectionModel().selectedIndexProperty().addListener((obs, old, now) -> {
            if (now.intValue() >= 0) {
                model.selectLayer(layersTable.getItems().get(now.intValue()).index());
            }
        });

        analyseButton.setGraphic(new FontIcon(Feather.SEARCH));
        analyseButton.textProperty().bind(javafx.beans.binding.Bindings.when(model.analysingProperty())
                .then("Cancel").otherwise("Analyse files"));
        analyseButton.setOnAction(event -> {
            if (model.analysingProperty().get()) {
                model.cancel();
            } else {
                model.analyze();
            }
        });
        progressBar.visibleProperty().bind(model.analysingProperty());
        progressBar.managedProperty().bind(model.analysingProperty());
        progressBar.progressProperty().bind(model.progressProperty());
        summaryLabel.textProperty().bind(model.summaryProperty());
        layerLabel.textProperty().bind(model.layerMessageProperty());
        layerLabel.visibleProperty().bind(model.layerMessageProperty().isNotEmpty());
        layerLabel.managedProperty().bind(layerLabel.visibleProperty());

        fileTree.setCellFactory(tree -> new FileCell());
        model.treeProperty().addListener((obs, old, now) -> showTree(now));
        model.analysisProperty().addListener((obs, old, now) -> {
            if (now != null && layersTable.getSelectionModel().isEmpty() && !layersTable.getItems().isEmpty()) {
                layersTable.getSelectionModel().selectLast(); // the top layer, which the model shows first
            }
        });
        changesOnly.selectedProperty().addListener((obs, old, now) -> showTree(model.treeProperty().get()));

        // The view may be built after the model has content (the Layers tab is built when first shown).
        drawSizeBar();
        showTree(model.treeProperty().get());
        if (model.analysisProperty().get() != null && !layersTable.getItems().isEmpty()) {
            layersTable.getSelectionModel().selectLast();
        }
    }

    private void showTree(FileNode root) {
        fileTree.setRoot(root == null ? null : new FileItem(root, changesOnly.isSelected()));
        if (fileTree.getRoot() != null) {
            fileTree.getRoot().setExpanded(true);
        }
    }

    private void drawSizeBar() {
        sizeBar.getChildren().clear();
        long total = model.rows().stream().mapToLong(LayerRows.Row::size).sum();
        for (LayerRows.Row row : model.rows()) {
            Region segment = new Region();
            boolean shared = !row.sharedWith().isEmpty();
            segment.getStyleClass().addAll("size-segment", shared ? "shared" : "unique");
            SizeBar.setWeight(segment, row.size());
            Tooltip.install(segment, new Tooltip("Layer " + row.index() + " · " + ImageTable.humanSize(row.size())
                    + (total == 0 ? "" : " · " + percent(row.size(), total) + " of the image")
                    + (shared ? " · shared with " + String.join(", ", row.sharedWith()) : " · only this image")
                    + (row.createdBy().isEmpty() ? "" : "\n" + row.createdBy())));
            segment.setOnMouseClicked(event -> layersTable.getSelectionModel().select(row));
            sizeBar.getChildren().add(segment);
        }
        legendShared.setText("Shared " + ImageTable.humanSize(model.sharedBytes()));
        legendUnique.setText("Unique " + ImageTable.humanSize(model.uniqueBytes()));
    }

    /** "32%", or "0.4%" under ten percent. */
    static String percent(long part, long total) {
        double share = 100.0 * part / total;
        return (share < 10 ? String.format(java.util.Locale.ROOT, "%.1f", share) : String.valueOf(Math.round(share))) + "%";
    }

    /** Lazily expanded tree item; with "only changes" it keeps only changed paths and their parents. */
    private static final class FileItem extends TreeItem<FileNode> {
        private final boolean changesOnly;
        private boolean loaded;

        FileItem(FileNode node, boolean changesOnly) {
            super(node);
            this.changesOnly = changesOnly;
            // open the directories whose contents the layer changed, so its changes show at once
            if (node.isDirectory() && node.change().isEmpty() && node.children().stream().anyMatch(FileItem::hasChange)) {
                setExpanded(true);
            }
        }

        @Override
        public boolean isLeaf() {
            return visibleChildren().isEmpty();
        }

        @Override
        public javafx.collections.ObservableList<TreeItem<FileNode>> getChildren() {
            if (!loaded) {
                loaded = true;
                List<TreeItem<FileNode>> items = visibleChildren().stream()
                        .map(child -> (TreeItem<FileNode>) new FileItem(child, changesOnly)).toList();
                super.getChildren().setAll(items);
            }
            return super.getChildren();
        }

        private List<FileNode> visibleChildren() {
            return getValue().children().stream().filter(c -> !changesOnly || hasChange(c)).toList();
        }

        private static boolean hasChange(FileNode node) {
            return node.change().isPresent() || node.children().stream().anyMatch(FileItem::hasChange);
        }
    }

    /** A path with its size and its change mark: A added, M modified, D deleted (struck through). */
    private static final class FileCell extends TreeCell<FileNode> {
        @Override
        protected void updateItem(FileNode node, boolean empty) {
            super.updateItem(node, empty);
            getStyleClass().removeAll("file-added", "file-modified", "file-deleted");
            if (empty || node == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            String mark = node.change().map(kind -> switch (kind) {
                case ADDED -> "A";
                case MODIFIED -> "M";
                case DELETED -> "D";
            }).orElse(" ");
            node.change().ifPresent(kind -> getStyleClass().add(switch (kind) {
                case ADDED -> "file-added";
                case MODIFIED -> "file-modified";
                case DELETED -> "file-deleted";
            }));
            String link = node.entry().linkTarget().isEmpty() ? "" : " → " + node.entry().linkTarget();
            String size = node.isDirectory() ? "" : "  " + ImageTable.humanSize(node.totalSize());
            setText(mark + "  " + io.gantry.ui.PeerCells.text(node.name()) + (node.isDirectory() ? "/" : "")
                    + io.gantry.ui.PeerCells.text(link) + size);
            FontIcon icon = new FontIcon(node.isDirectory() ? Feather.FOLDER : Feather.FILE);
            icon.getStyleClass().add("file-icon");
            setGraphic(icon);
            String flags = node.entry().flags().isEmpty() ? "" : "\n⚠ " + node.entry().flags().stream()
                    .map(f -> f.description()).reduce((a, b) -> a + "; " + b).orElse("");
            setTooltip(new Tooltip(node.path() + "\n" + node.entry().modeString() + " " + node.entry().uid() + ":"
                    + node.entry().gid() + (node.layerIndex() >= 0 ? " · from layer " + node.layerIndex() : "") + flags));
        }
    }

    private static <S, T> javafx.util.Callback<TableColumn.CellDataFeatures<S, T>, javafx.beans.value.ObservableValue<T>>
            cell(Function<S, T> getter) {
        return io.gantry.ui.PeerCells.cell(getter); // peer text cleaned
    }
}
