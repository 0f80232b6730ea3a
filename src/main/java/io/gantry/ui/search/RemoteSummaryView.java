package io.gantry.ui.search;

import io.gantry.core.Digest;
import io.gantry.service.ImageTable;
import io.gantry.service.LocalLayers;
import io.gantry.service.RemoteImage;
import io.gantry.ui.PeerCells;
import java.util.List;
import java.util.Optional;
import javafx.beans.InvalidationListener;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The search window's summary of the chosen tag before a pull, what {@code gantry manifest inspect
 * -s} prints: the manifest or index and its digest, each platform with its digest and compressed
 * size, and for the platform a pull would fetch its creation time, entrypoint, cmd, env, labels
 * and layers with sizes, those the target endpoint already has marked. Rebuilt from
 * {@link SearchViewModel}'s properties whenever they change; peer text is cleaned.
 */
final class RemoteSummaryView {

    private final SearchViewModel model;
    private final VBox content = new VBox(8);
    private final ScrollPane scroll = new ScrollPane(content);
    private final Label status = new Label();
    private final Button cancel = new Button("Cancel");
    private final VBox root;

    RemoteSummaryView(SearchViewModel model) {
        this.model = model;
        Label title = new Label("BEFORE YOU PULL");
        title.getStyleClass().add("section-title");
        status.setId("remote-status");
        status.setWrapText(true);
        status.getStyleClass().add("search-message");
        status.textProperty().bind(model.remoteStatusProperty());
        status.visibleProperty().bind(model.remoteStatusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        status.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(status, Priority.ALWAYS);
        cancel.setId("remote-cancel");
        cancel.getStyleClass().add("flat");
        cancel.visibleProperty().bind(model.remoteLoadingProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(event -> model.cancelRemote());
        HBox statusRow = new HBox(8, status, cancel);
        statusRow.managedProperty().bind(status.visibleProperty().or(cancel.visibleProperty()));
        statusRow.visibleProperty().bind(statusRow.managedProperty());
        content.setId("remote-summary");
        content.setPadding(new Insets(2, 8, 6, 2));
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        root = new VBox(6, title, statusRow, scroll);
        InvalidationListener redraw = obs -> redraw();
        model.remoteProperty().addListener(redraw);
        model.localLayersProperty().addListener(redraw);
        model.platformProperty().addListener(redraw);
        model.remoteLoadingProperty().addListener(redraw);
        redraw();
    }

    Node node() {
        return root;
    }

    private void redraw() {
        content.getChildren().clear();
        RemoteImage image = model.remoteProperty().get();
        if (image == null) {
            Label none = new Label(model.remoteLoadingProperty().get() ? "" : "Choose a tag to see what it holds before pulling it.");
            none.getStyleClass().add("placeholder");
            none.setWrapText(true);
            content.getChildren().add(none);
            return;
        }
        GridPane head = grid("remote-head");
        row(head, 0, "Digest", image.digest().toString());
        row(head, 1, "Type", PeerCells.text(kind(image)));
        content.getChildren().add(head);
        if (image.isIndex()) {
            GridPane platforms = new GridPane();
            platforms.setId("remote-platforms");
            platforms.setHgap(12);
            platforms.setVgap(2);
            int r = 0;
            for (String header : List.of("PLATFORM", "DIGEST", "SIZE", "LAYERS")) {
                Label h = new Label(header);
                h.getStyleClass().add("remote-key");
                platforms.add(h, r++, 0);
            }
            int line = 1;
            for (RemoteImage.PlatformImage platform : image.images()) {
                platforms.add(new Label(PeerCells.text(platform.platform().toString())), 0, line);
                platforms.add(new Label(shortDigest(platform.digest())), 1, line);
                platforms.add(right(ImageTable.humanSize(platform.compressedSize())), 2, line);
                platforms.add(right(String.valueOf(platform.manifest().layers().size())), 3, line);
                line++;
            }
            content.getChildren().add(platforms);
        }
        Optional<RemoteImage.PlatformImage> shown = model.shownPlatform();
        shown.ifPresent(platform -> platform(platform, image.isIndex()));
    }

    private void platform(RemoteImage.PlatformImage platform, boolean inIndex) {
        Label title = new Label(PeerCells.text(platform.platform().toString()));
        title.setId("remote-platform-title");
        title.getStyleClass().add("section-title");
        GridPane config = grid("remote-config");
        int r = 0;
        if (inIndex) { // a single manifest's digest is the one above
            row(config, r++, "Digest", platform.digest().toString());
        }
        row(config, r++, "Image ID", platform.imageId().toString());
        row(config, r++, "Size", ImageTable.humanSize(platform.compressedSize()) + " compressed, "
                + platform.manifest().layers().size() + (platform.manifest().layers().size() == 1 ? " layer" : " layers"));
        if (platform.config().created().isPresent()) {
            row(config, r++, "Created", platform.config().created().get().toString());
        }
        if (!platform.config().entrypoint().isEmpty()) {
            row(config, r++, "Entrypoint", PeerCells.text(String.join(" ", platform.config().entrypoint())));
        }
        if (!platform.config().cmd().isEmpty()) {
            row(config, r++, "Cmd", PeerCells.text(String.join(" ", platform.config().cmd())));
        }
        if (!platform.config().env().isEmpty()) {
            row(config, r++, "Env", PeerCells.text(String.join("\n", platform.config().env())));
        }
        if (!platform.config().labels().isEmpty()) {
            row(config, r++, "Labels", PeerCells.text(String.join("\n", platform.config().labels().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList())));
        }
        LocalLayers local = model.localLayersProperty().get();
        List<RemoteImage.RemoteLayer> layers = local.mark(platform);
        long have = layers.stream().filter(RemoteImage.RemoteLayer::local).count();
        Label layersTitle = new Label("LAYERS" + (local.known()
                ? "  " + have + " of " + layers.size() + " already on " + PeerCells.text(model.localNameProperty().get())
                : ""));
        layersTitle.setId("remote-layers-title");
        layersTitle.getStyleClass().add("section-title");
        GridPane rows = new GridPane();
        rows.setId("remote-layers");
        rows.setHgap(12);
        rows.setVgap(2);
        int line = 0;
        for (RemoteImage.RemoteLayer layer : layers) {
            Label digest = new Label(shortDigest(layer.blob().digest()));
            rows.add(digest, 0, line);
            rows.add(right(ImageTable.humanSize(layer.blob().size())), 1, line);
            if (local.known() && layer.local()) {
                Label mark = new Label("local");
                mark.getStyleClass().add("remote-local");
                rows.add(mark, 2, line);
            }
            line++;
        }
        content.getChildren().addAll(title, config, layersTitle, rows);
    }

    private static String kind(RemoteImage image) {
        String type = image.mediaType();
        String name = switch (type) {
            case io.gantry.core.MediaTypes.DOCKER_MANIFEST_LIST -> "Docker manifest list";
            case io.gantry.core.MediaTypes.OCI_INDEX -> "OCI index";
            case io.gantry.core.MediaTypes.DOCKER_MANIFEST -> "Docker image manifest";
            case io.gantry.core.MediaTypes.OCI_MANIFEST -> "OCI image manifest";
            default -> type;
        };
        return image.isIndex() ? name + ", " + image.images().size()
                + (image.images().size() == 1 ? " platform" : " platforms") : name;
    }

    private static GridPane grid(String id) {
        GridPane grid = new GridPane();
        grid.setId(id);
        grid.setHgap(12);
        grid.setVgap(3);
        ColumnConstraints key = new ColumnConstraints();
        key.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints value = new ColumnConstraints();
        value.setHgrow(Priority.ALWAYS);
        value.setMinWidth(0);
        grid.getColumnConstraints().addAll(key, value);
        return grid;
    }

    private static void row(GridPane grid, int row, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("remote-key");
        GridPane.setValignment(k, javafx.geometry.VPos.TOP);
        Label v = new Label(value);
        v.setWrapText(true);
        v.setMinWidth(0);
        grid.add(k, 0, row);
        grid.add(v, 1, row);
    }

    private static Label right(String text) {
        Label label = new Label(text);
        GridPane.setHalignment(label, HPos.RIGHT);
        return label;
    }

    /** {@code sha256:} and the first 12 hex digits, as docker shortens IDs. */
    static String shortDigest(Digest digest) {
        String hex = digest.hex();
        return digest.algorithm() + ":" + hex.substring(0, Math.min(12, hex.length()));
    }
}
