package io.gantry.ui.manifest;

import io.gantry.service.ImageTable;
import io.gantry.service.ManifestDrafts;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The "Combine into a multi-arch image" window over {@link CombineViewModel}: the list's name and
 * format, the images (add by name, remove, set the platform of the chosen one), the JSON that will
 * be pushed, and the push's progress. Closing it cancels what is running.
 */
public final class CombineWindow {

    public static final String TITLE = "Combine into a multi-arch image";

    private final CombineViewModel model;
    private final Stage stage = new Stage();
    private final TableView<ManifestDrafts.Entry> table = new TableView<>();
    private final TextField os = field("combine-os", "linux", 80);
    private final TextField arch = field("combine-arch", "amd64", 80);
    private final TextField variant = field("combine-variant", "v8", 56);
    private final TextField image;

    public CombineWindow(Window owner, CombineViewModel model, List<String> stylesheets) {
        this.model = model;
        TextField name = field("combine-name", "registry:5000/team/app:1", 320);
        name.textProperty().bindBidirectional(model.nameProperty());
        HBox.setHgrow(name, Priority.ALWAYS);
        ComboBox<ManifestDrafts.Format> format = new ComboBox<>();
        format.setId("combine-format");
        format.getItems().setAll(ManifestDrafts.Format.values());
        format.setConverter(new StringConverter<>() {
            @Override
            public String toString(ManifestDrafts.Format f) {
                return f == null ? "" : f == ManifestDrafts.Format.OCI ? "OCI index" : "Docker manifest list";
            }

            @Override
            public ManifestDrafts.Format fromString(String text) {
                return text.startsWith("OCI") ? ManifestDrafts.Format.OCI : ManifestDrafts.Format.DOCKER;
            }
        });
        format.valueProperty().bindBidirectional(model.formatProperty());
        HBox head = new HBox(8, new Label("List name"), name, new Label("Format"), format);
        head.setAlignment(Pos.CENTER_LEFT);

        Button remove = new Button("Remove", new FontIcon(Feather.TRASH_2));
        remove.setId("combine-remove");
        remove.setOnAction(event -> {
            ManifestDrafts.Entry chosen = table.getSelectionModel().getSelectedItem();
            if (chosen != null) {
                model.remove(chosen);
            }
        });
        // the prompt shows whole in a 900 px window (on Xvfb it needs more room than headless); the tooltip has examples
        image = field("combine-image", "Local name or registry reference", 300);
        image.setTooltip(new javafx.scene.control.Tooltip("Image to add: a local name (app-amd64:1) or a registry reference "
                + "(registry:5000/app-arm64:1); several, separated by spaces"));
        image.textProperty().bindBidirectional(model.imageProperty());
        image.setOnAction(event -> model.add());
        HBox.setHgrow(image, Priority.ALWAYS);
        Button add = new Button("Add", new FontIcon(Feather.PLUS));
        add.setId("combine-add");
        add.setOnAction(event -> model.add());
        add.setMinWidth(Button.USE_PREF_SIZE);
        add.disableProperty().bind(model.busyProperty());
        HBox adding = new HBox(8, image, add, remove);
        adding.setAlignment(Pos.CENTER_LEFT);

        table.setId("combine-entries");
        table.setItems(model.entries());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ManifestDrafts.Entry, String> imageColumn = column("IMAGE", 220, e -> PeerCells.text(e.source()));
        imageColumn.setCellFactory(column -> Views.middleElided()); // host:5000/…/app-arm64:1, the end whole
        table.getColumns().add(imageColumn);
        table.getColumns().add(column("FROM", 76, e -> e.local() ? "local" : "registry"));
        table.getColumns().add(column("PLATFORM", 120, e -> PeerCells.text(e.platform().toString())));
        table.getColumns().get(2).setMinWidth(112);
        table.getColumns().add(column("SIZE", 64, e -> ImageTable.humanSize(e.size())));
        TableColumn<ManifestDrafts.Entry, String> digestColumn = column("DIGEST", 130,
                e -> e.digest().algorithm() + ":" + e.digest().hex().substring(0, 12));
        digestColumn.setCellFactory(column -> Views.middleElided()); // the hex's end tells digests apart
        table.getColumns().add(digestColumn);
        Label empty = new Label("No images yet. Add one image per platform: a local name or a registry reference.");
        empty.setWrapText(true);
        empty.getStyleClass().add("placeholder");
        table.setPlaceholder(empty);
        VBox.setVgrow(table, Priority.ALWAYS);
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> showPlatform(now));

        Button annotate = new Button("Set");
        annotate.setMinWidth(Button.USE_PREF_SIZE);
        annotate.setTooltip(new javafx.scene.control.Tooltip("Set the platform the list names for the chosen image"));
        annotate.setId("combine-annotate");
        annotate.setOnAction(event -> {
            ManifestDrafts.Entry chosen = table.getSelectionModel().getSelectedItem();
            if (chosen != null && model.annotate(chosen, os.getText(), arch.getText(), variant.getText())) {
                table.getSelectionModel().select(table.getItems().stream()
                        .filter(e -> e.digest().equals(chosen.digest())).findFirst().orElse(null));
            }
        });
        annotate.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(model.busyProperty()));
        for (TextField platformField : List.of(os, arch, variant)) {
            platformField.setOnAction(event -> annotate.fire()); // Return in a platform field sets it
        }
        remove.disableProperty().bind(annotate.disableProperty());
        HBox platformRow = new HBox(6, fixed("Platform: OS"), os, fixed("Arch"), arch, fixed("Variant"), variant, annotate);
        platformRow.setAlignment(Pos.CENTER_LEFT);
        Label imagesTitle = section("IMAGES, ONE PER PLATFORM");
        VBox left = new VBox(6, imagesTitle, adding, table, platformRow);

        TextArea preview = new TextArea();
        preview.setId("combine-preview");
        preview.setEditable(false);
        preview.getStyleClass().add("monospace");
        preview.setStyle("-fx-font-family: monospace;");
        preview.textProperty().bind(model.previewProperty());
        VBox.setVgrow(preview, Priority.ALWAYS);
        ListView<String> progress = new ListView<>(model.progress());
        progress.setId("combine-progress");
        progress.setCellFactory(PeerCells.listCells());
        progress.setPrefHeight(150);
        progress.visibleProperty().bind(Bindings.isNotEmpty(model.progress()));
        progress.managedProperty().bind(progress.visibleProperty());
        Label progressTitle = section("PUSH");
        progressTitle.visibleProperty().bind(progress.visibleProperty());
        progressTitle.managedProperty().bind(progress.visibleProperty());
        VBox right = new VBox(6, section("PREVIEW (WHAT IS PUSHED)"), preview, progressTitle, progress);

        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.6);
        VBox.setVgrow(split, Priority.ALWAYS);

        Label message = new Label();
        message.setId("combine-message");
        message.setWrapText(true);
        message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // every line of it: the table gives way, not the advice
        message.getStyleClass().add("search-message");
        message.textProperty().bind(model.messageProperty());
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Button cancel = new Button("Cancel");
        cancel.setId("combine-cancel");
        cancel.setOnAction(event -> model.cancel());
        cancel.visibleProperty().bind(model.busyProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        Button push = new Button("Push", new FontIcon(Feather.UPLOAD));
        push.setId("combine-push");
        push.getStyleClass().add("accent");
        push.setMinWidth(Button.USE_PREF_SIZE);
        push.disableProperty().bind(model.canPushBinding().not());
        push.setOnAction(event -> model.push());
        push.setDefaultButton(true); // Return pushes (in the image field it adds, in a platform field it sets)
        HBox bottom = new HBox(8, message, cancel, push);
        bottom.setAlignment(Pos.CENTER_LEFT);

        VBox root = new VBox(10, head, split, bottom);
        root.setPadding(new Insets(12));
        root.setId("combine-view");
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1100, screen.getWidth()), Math.min(620, screen.getHeight() - 30));
        scene.getStylesheets().addAll(stylesheets);
        stage.initOwner(owner);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        Views.closeWithKeys(stage);
        stage.setOnHidden(event -> model.cancel());
    }

    /** Shows the window in front; {@code images} (names chosen in the main window) are added. */
    public void show(List<String> images) {
        if (!stage.isShowing()) {
            model.reopened(); // the last push's log and message belong to the window as it was closed
            stage.show();
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            stage.setX(Math.max(screen.getMinX(), Math.min(stage.getX(), screen.getMaxX() - stage.getWidth())));
            stage.setY(Math.max(screen.getMinY(), Math.min(stage.getY(), screen.getMaxY() - stage.getHeight())));
        }
        stage.toFront();
        image.requestFocus(); // the next image to add, one per platform
        if (!images.isEmpty()) {
            model.add(images);
        }
    }

    public Stage stage() {
        return stage;
    }

    private void showPlatform(ManifestDrafts.Entry entry) {
        os.setText(entry == null ? "" : entry.platform().os());
        arch.setText(entry == null ? "" : entry.platform().architecture());
        variant.setText(entry == null ? "" : entry.platform().variant().orElse(""));
    }

    private static TableColumn<ManifestDrafts.Entry, String> column(String title, double width,
                                                                      java.util.function.Function<ManifestDrafts.Entry, String> value) {
        TableColumn<ManifestDrafts.Entry, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }

    private static TextField field(String id, String prompt, double width) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefWidth(width);
        return field;
    }

    private static Label section(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("section-title");
        return label;
    }

    private static Label fixed(String text) {
        Label label = new Label(text);
        label.setMinWidth(Label.USE_PREF_SIZE);
        return label;
    }
}
