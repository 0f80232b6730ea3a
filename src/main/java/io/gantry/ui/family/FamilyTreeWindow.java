package io.gantry.ui.family;

import io.gantry.service.ImageTable;
import io.gantry.service.analysis.FamilyTree;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.ui.Views;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The family tree window: binds {@code FamilyTreeView.fxml} to {@link FamilyTreeViewModel}. Each
 * node is a layer chain (short chain ID, the layer's own size, the stack size); images hang under
 * the node of their top layer. Selecting an image marks its chain and the images sharing it.
 */
public final class FamilyTreeWindow {

    /** A tree row: a layer chain or an image ending at its parent's chain. */
    public record Entry(FamilyTree.Node node, ImageLayers image) {
    }

    @FXML private Label titleLabel;
    @FXML private Label messageLabel;
    @FXML private TreeView<Entry> familyTree;
    @FXML private Label lineageLabel;

    /** The most layer chains a tree may have to open fully expanded. */
    static final int EXPANDED_NODES = 2_000;

    private final FamilyTreeViewModel model;
    private Stage stage;

    public FamilyTreeWindow(FamilyTreeViewModel model) {
        this.model = model;
    }

    /** Opens the window next to {@code owner} and starts loading. */
    public Stage show(Window owner) {
        stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Family tree — " + model.endpointName());
        Scene scene = new Scene(Views.load(FamilyTreeWindow.class, "/io/gantry/ui/family/FamilyTreeView.fxml", this),
                760, 620);
        scene.getStylesheets().addAll(Views.stylesheets());
        stage.setScene(scene);
        io.gantry.ui.Views.closeWithKeys(stage);
        stage.show();
        model.load();
        return stage;
    }

    public FamilyTreeViewModel model() {
        return model;
    }

    @FXML
    private void initialize() {
        titleLabel.setText("Image family tree · " + model.endpointName());
        messageLabel.textProperty().bind(model.messageProperty());
        lineageLabel.textProperty().bind(model.lineageProperty());
        familyTree.setShowRoot(false);
        familyTree.setCellFactory(tree -> new EntryCell());
        model.treeProperty().addListener((obs, old, now) -> {
            TreeItem<Entry> root = new TreeItem<>(new Entry(null, null));
            if (now != null) {
                root.getChildren().setAll(rows(now));
            }
            familyTree.setRoot(root);
        });
        familyTree.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null && now.getValue().image() != null) {
                model.select(now.getValue().image().imageId());
            }
        });
        model.highlightProperty().addListener((obs, old, now) -> familyTree.refresh());
    }

    /** The tree's top rows: its base layers (see {@link ChainItem}), then the images without layers. */
    static List<TreeItem<Entry>> rows(FamilyTree tree) {
        boolean expand = tree.nodeCount() <= EXPANDED_NODES;
        List<TreeItem<Entry>> rows = new ArrayList<>();
        tree.roots().forEach(node -> rows.add(new ChainItem(node, expand)));
        tree.layerlessImages().forEach(image -> rows.add(new TreeItem<>(new Entry(null, image))));
        return rows;
    }

    /**
     * A layer chain whose rows (its images, then its child chains) are made when the tree first
     * asks for them, i.e. when it is expanded: the tree of 10,000 images is 22,000 rows, which took
     * some 65 MB and a 220 ms frame to build at once. A tree of at most {@link #EXPANDED_NODES}
     * chains opens fully expanded, a larger one with its base layers collapsed.
     */
    private static final class ChainItem extends TreeItem<Entry> {
        private final boolean expand;
        private boolean built;

        ChainItem(FamilyTree.Node node, boolean expand) {
            super(new Entry(node, null));
            this.expand = expand;
            setExpanded(expand);
        }

        @Override
        public boolean isLeaf() {
            FamilyTree.Node node = getValue().node();
            return node.images().isEmpty() && node.children().isEmpty();
        }

        @Override
        public ObservableList<TreeItem<Entry>> getChildren() {
            if (!built) {
                built = true;
                FamilyTree.Node node = getValue().node();
                List<TreeItem<Entry>> rows = new ArrayList<>(node.images().size() + node.children().size());
                node.images().forEach(image -> rows.add(new TreeItem<>(new Entry(null, image))));
                node.children().forEach(child -> rows.add(new ChainItem(child, expand)));
                super.getChildren().setAll(rows);
            }
            return super.getChildren();
        }
    }

    /** A layer chain or an image, marked when it is on the selected image's chain or shares it. */
    private final class EntryCell extends TreeCell<Entry> {
        // one icon of each kind per cell: a new icon per update is a node and a CSS pass each time
        private final FontIcon layersIcon = new FontIcon(Feather.LAYERS);
        private final FontIcon tagIcon = new FontIcon(Feather.TAG);

        @Override
        protected void updateItem(Entry entry, boolean empty) {
            super.updateItem(entry, empty);
            getStyleClass().removeAll("lineage", "related", "selected-image");
            if (empty || entry == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            FamilyTreeViewModel.Highlight h = model.highlightProperty().get();
            if (entry.node() != null) {
                FamilyTree.Node node = entry.node();
                graphic(layersIcon);
                setText(node.chainId().shortHex() + "   +" + ImageTable.humanSize(node.ownSize()) + "   (stack "
                        + ImageTable.humanSize(node.stackSize()) + ")"
                        + (node.layer().createdBy().isEmpty() ? "" : "   " + abbreviate(node.layer().createdBy())));
                if (h.chainIds().contains(node.chainId())) {
                    getStyleClass().add("lineage");
                }
            } else {
                ImageLayers image = entry.image();
                graphic(tagIcon);
                setText(io.gantry.ui.PeerCells.text(FamilyTreeViewModel.name(image)) + "   " + ImageTable.humanSize(image.size()));
                if (h.selected().filter(image.imageId()::equals).isPresent()) {
                    getStyleClass().add("selected-image");
                } else if (h.relatedImages().contains(image.imageId())) {
                    getStyleClass().add("related");
                }
            }
        }

        private void graphic(FontIcon icon) {
            if (getGraphic() != icon) {
                setGraphic(icon);
            }
        }

        private static String abbreviate(String text) {
            String clean = text.replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ").strip();
            return clean.length() > 60 ? clean.substring(0, 59) + "…" : clean;
        }
    }
}
