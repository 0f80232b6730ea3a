package io.gantry.ui;

import atlantafx.base.theme.Styles;
import io.gantry.core.Digest;
import io.gantry.engine.ImageStore;
import io.gantry.service.ImageCleanup;
import io.gantry.service.ImageTable;
import io.gantry.service.LayerFiles;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.ui.containers.ContainersViewModel;
import io.gantry.ui.containers.ContainersWindow;
import io.gantry.ui.delete.CleanupDialog;
import io.gantry.ui.delete.CleanupViewModel;
import io.gantry.ui.details.DetailsController;
import io.gantry.ui.details.DetailsViewModel;
import io.gantry.ui.family.FamilyTreeViewModel;
import io.gantry.ui.family.FamilyTreeWindow;
import io.gantry.ui.layers.LayersController;
import io.gantry.ui.layers.LayersViewModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Everything reached from the images table: the details pane (details, layers with files,
 * containers), delete and prune with their previews, the family tree and the containers windows,
 * the notice banner and the keys Del and Enter. Kept apart from {@link MainController} so the main
 * view stays thin.
 */
public final class ImageActions {

    private final MainViewModel model;
    private final TableView<ImageTable.Row> table;
    private final VBox bannerBox;
    private final ImageCleanup cleanup = new ImageCleanup();
    private final DetailsViewModel details;
    private final LayersViewModel layers;
    private final StackPane detailsHolder;
    private DetailsController detailsController;
    private final Set<String> rememberedSelection = new LinkedHashSet<>();
    private FamilyTreeWindow familyWindow;
    private Stage familyStage;

    /**
     * @param model         the main window's model
     * @param table         the images table
     * @param detailsHolder where the details pane goes
     * @param bannerBox     where notices show
     */
    public ImageActions(MainViewModel model, TableView<ImageTable.Row> table, StackPane detailsHolder, VBox bannerBox) {
        this.model = model;
        this.table = table;
        this.bannerBox = bannerBox;
        this.details = new DetailsViewModel(model.tasks());
        this.layers = new LayersViewModel(model.tasks(), new LayerFiles(), details.layers());
        this.detailsHolder = detailsHolder;
        // Until an image is first selected (or its details asked for), the pane is only its message,
        // as DetailsView shows it: the first frame spares the tabs, tables and their CSS.
        Label message = new Label();
        message.setId("details-message");
        message.getStyleClass().add("placeholder");
        message.setWrapText(true);
        message.textProperty().bind(details.messageProperty());
        StackPane placeholder = new StackPane(message);
        placeholder.getStyleClass().add("details-pane");
        detailsHolder.getChildren().setAll(placeholder);

        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<ImageTable.Row>) change -> {
            if (!model.replacingRows()) {
                rememberedSelection.clear();
                table.getSelectionModel().getSelectedItems().forEach(row -> rememberedSelection.add(key(row)));
            }
            showSelected();
        });
        model.visibleImages().addListener((ListChangeListener<ImageTable.Row>) change -> restoreSelection());
        model.selectedEndpointProperty().addListener((obs, old, now) -> {
            rememberedSelection.clear();
            details.clear();
            layers.setImage(null, null);
            if (familyStage != null) {
                familyStage.close();
            }
        });
        details.loadedProperty().addListener((obs, old, now) -> {
            if (now != null) {
                detailsView();
                layers.setImage(now.store(), now.details().id());
                if (detailsView().layersShown() && !layers.analysedOrRunning()) {
                    layers.analyze();
                }
            }
        });
        layers.analysingProperty().addListener((obs, was, now) -> {
            if (now) {
                model.showProgress("Analysing the files of each layer…");
            } else {
                model.showEndpointStatus(); // the Layers tab shows the analysis' summary where it belongs
            }
        });
        model.noticeProperty().addListener((obs, old, now) -> showNotice(now));

        table.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.DELETE) {
                delete();
                event.consume();
            } else if (event.getCode() == KeyCode.ENTER) {
                showSelected();
                detailsView().focus();
                event.consume();
            }
        });
    }

    /** Opens the delete preview for the selected rows: a tagged row untags (or deletes) by name, a dangling one by ID. */
    public void delete() {
        Optional<ImageStore> store = model.selectedStore();
        List<ImageTable.Row> rows = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (store.isEmpty() || rows.isEmpty()) {
            model.notify(new Notice(Notice.Level.INFO, "Nothing to delete", "Select one or more images first."));
            return;
        }
        List<DeleteTarget> targets = targets(rows);
        CleanupViewModel cleanupModel = CleanupViewModel.delete(model.tasks(), cleanup, store.get(), targets, names());
        openCleanup(cleanupModel);
    }

    /**
     * What deleting the selected rows means: a row naming one of several tags of an image removes
     * that name (as {@code docker rmi repo:tag}); a row that is an image's only name, or a dangling
     * image, deletes the image by ID, so the engine's conflict rules for the image itself apply (a
     * stopped container: Force; a running one: no Force).
     */
    static List<DeleteTarget> targets(List<ImageTable.Row> rows) {
        Set<String> seen = new LinkedHashSet<>();
        List<DeleteTarget> targets = new ArrayList<>();
        for (ImageTable.Row row : rows) {
            boolean wholeImage = row.image().dangling() || row.tag().equals(ImageTable.NONE)
                    || row.image().repoTags().size() == 1;
            DeleteTarget target = wholeImage ? DeleteTarget.id(row.image().id())
                    : DeleteTarget.reference(row.repository() + ":" + row.tag());
            if (seen.add(target.toString())) {
                targets.add(target);
            }
        }
        return targets;
    }

    /** Opens the prune preview (dangling first; the dialog switches to all unused). */
    public void prune() {
        model.selectedStore().ifPresent(store ->
                openCleanup(CleanupViewModel.prune(model.tasks(), cleanup, store, names())));
    }

    private void openCleanup(CleanupViewModel cleanupModel) {
        cleanupModel.phaseProperty().addListener((obs, old, now) -> {
            switch (now) {
                case RUNNING -> model.showProgress(cleanupModel.isPrune() ? "Pruning images…" : "Deleting images…");
                case DONE -> {
                    model.showDone(cleanupModel.headlineProperty().get());
                    model.notify(new Notice(Notice.Level.SUCCESS, cleanupModel.isPrune() ? "Pruned" : "Deleted",
                            cleanupModel.headlineProperty().get()));
                }
                case FAILED -> model.showDone(cleanupModel.messageProperty().get());
                default -> { }
            }
        });
        cleanupModel.setOnChanged(model::refresh);
        new CleanupDialog(cleanupModel).show(table.getScene().getWindow());
    }

    /** Opens the family tree of the selected endpoint. */
    public void showFamilyTree() {
        model.selectedStore().ifPresent(store -> {
            if (familyStage != null) {
                familyStage.close();
            }
            FamilyTreeViewModel familyModel = new FamilyTreeViewModel(model.tasks(), store);
            familyWindow = new FamilyTreeWindow(familyModel);
            familyStage = familyWindow.show(table.getScene().getWindow());
            familyModel.treeProperty().addListener((obs, old, now) -> highlightSelectedInFamily());
            familyStage.setOnHidden(event -> {
                familyWindow = null;
                familyStage = null;
            });
        });
    }

    /** Opens every container of the selected endpoint with its image. */
    public void showContainers() {
        model.selectedStore().ifPresent(store ->
                new ContainersWindow(new ContainersViewModel(model.tasks(), store)).show(table.getScene().getWindow()));
    }

    /** Brings the details of the selected image forward. */
    public void focusDetails() {
        showSelected();
        detailsView().focus();
    }

    /** The details pane, built on first use (see the constructor). */
    private javafx.beans.value.ObservableBooleanValue whereOffered;
    private java.util.function.Consumer<String> where;

    /** Offers "Where is this image?" in the details pane while {@code offered} is true; {@code open} gets the image's name. */
    void offerWhere(javafx.beans.value.ObservableBooleanValue offered, java.util.function.Consumer<String> open) {
        this.whereOffered = offered;
        this.where = open;
        if (detailsController != null) {
            detailsController.offerWhere(offered, open);
        }
    }

    private DetailsController detailsView() {
        if (detailsController == null) {
            detailsController = new DetailsController(details, () -> new LayersController(layers).load());
            detailsHolder.getChildren().setAll(detailsController.load());
            if (where != null) {
                detailsController.offerWhere(whereOffered, where);
            }
            detailsController.setOnLayersShown(() -> {
                if (!layers.analysedOrRunning()) {
                    layers.analyze();
                }
            });
        }
        return detailsController;
    }

    private void showSelected() {
        List<ImageTable.Row> rows = table.getSelectionModel().getSelectedItems();
        Set<Digest> ids = new LinkedHashSet<>();
        rows.forEach(row -> {
            if (row != null) {
                ids.add(row.image().id());
            }
        });
        Optional<ImageStore> store = model.selectedStore();
        if (ids.size() == 1 && store.isPresent()) {
            detailsView(); // built as the first image is selected; its tabs show once the details are loaded
            details.show(store.get(), ids.iterator().next());
        } else if (!model.replacingRows()) {
            details.clear();
        }
        highlightSelectedInFamily();
    }

    private void highlightSelectedInFamily() {
        if (familyWindow != null) {
            ImageTable.Row row = table.getSelectionModel().getSelectedItem();
            familyWindow.model().select(row == null ? null : row.image().id());
        }
    }

    private void restoreSelection() {
        if (rememberedSelection.isEmpty() || !table.getSelectionModel().getSelectedItems().isEmpty()) {
            return;
        }
        List<ImageTable.Row> items = table.getItems();
        for (int i = 0; i < items.size(); i++) {
            if (rememberedSelection.contains(key(items.get(i)))) {
                table.getSelectionModel().select(i);
            }
        }
        if (table.getSelectionModel().getSelectedItems().isEmpty()) {
            details.clear(); // the image shown is gone (deleted, or filtered out)
        }
    }

    private Map<Digest, String> names() {
        Map<Digest, String> names = new HashMap<>();
        for (ImageTable.Row row : model.allRows()) {
            names.putIfAbsent(row.image().id(), row.image().dangling()
                    ? "<none>:<none>" : row.repository() + ":" + row.tag());
        }
        return names;
    }

    private void showNotice(Notice notice) {
        bannerBox.getChildren().clear();
        if (notice == null) {
            return;
        }
        FontIcon icon = new FontIcon(switch (notice.level()) {
            case INFO -> Feather.INFO;
            case SUCCESS -> Feather.CHECK_CIRCLE;
            case WARNING -> Feather.ALERT_TRIANGLE;
            case ERROR -> Feather.ALERT_OCTAGON;
        });
        Label title = new Label(notice.title());
        title.getStyleClass().add(Styles.TEXT_BOLD);
        Label text = new Label(notice.details());
        text.setWrapText(true);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button close = new Button(null, new FontIcon(Feather.X));
        close.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        close.setOnAction(event -> model.dismissNotice());
        HBox banner = new HBox(8, icon, title, text, new Pane(), close);
        banner.setId("notice-banner");
        banner.getStyleClass().addAll("notice", "notice-" + notice.level().name().toLowerCase());
        banner.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bannerBox.getChildren().add(banner);
    }

    private static String key(ImageTable.Row row) {
        return row.image().id() + " " + row.repository() + ":" + row.tag();
    }
}
