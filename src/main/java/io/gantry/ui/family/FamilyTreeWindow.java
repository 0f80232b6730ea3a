package io.gantry.ui.family;

import io.gantry.service.ImageTable;
import io.gantry.service.analysis.FamilyTree;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.ui.Views;
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
        scene.getStylesheets().add(Views.stylesheet());
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
                now.roots().forEach(node -> root.getChildren().add(item(node)));
                now.layerlessImages().forEach(image -> root.getChildren().add(new TreeItem<>(new Entry(null, image))));
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

    private static TreeItem<Entry> item(FamilyTree.Node node) {
        TreeItem<Entry> item = new TreeItem<>(new Entry(node, null));
        item.setExpanded(true);
        node.images().forEach(image -> item.getChildren().add(new TreeItem<>(new Entry(null, image))));
        node.children().forEach(child -> item.getChildren().add(item(child)));
        return item;
    }

    /** A layer chain or an image, marked when it is on the selected image's chain or shares it. */
    private final class EntryCell extends TreeCell<Entry> {
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
                setGraphic(new FontIcon(Feather.LAYERS));
                setText(node.chainId().shortHex() + "   +" + ImageTable.humanSize(node.ownSize()) + "   (stack "
                        + ImageTable.humanSize(node.stackSize()) + ")"
                        + (node.layer().createdBy().isEmpty() ? "" : "   " + abbreviate(node.layer().createdBy())));
                if (h.chainIds().contains(node.chainId())) {
                    getStyleClass().add("lineage");
                }
            } else {
                ImageLayers image = entry.image();
                setGraphic(new FontIcon(Feather.TAG));
                setText(io.gantry.ui.PeerCells.text(FamilyTreeViewModel.name(image)) + "   " + ImageTable.humanSize(image.size()));
                if (h.selected().filter(image.imageId()::equals).isPresent()) {
                    getStyleClass().add("selected-image");
                } else if (h.relatedImages().contains(image.imageId())) {
                    getStyleClass().add("related");
                }
            }
        }

        private static String abbreviate(String text) {
            String clean = text.replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ").strip();
            return clean.length() > 60 ? clean.substring(0, 59) + "…" : clean;
        }
    }
}
