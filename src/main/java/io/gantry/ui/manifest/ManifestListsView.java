package io.gantry.ui.manifest;

import io.gantry.engine.ManifestList;
import io.gantry.service.ImageTable;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The manifest-list section of the main window (issue 19): a table of the endpoint's lists
 * ({@code #manifest-lists}: NAME, DIGEST, PLATFORMS, LOCAL, CREATED) shown in the images table's
 * place, and the selected list's platforms for the details pane ({@code #manifest-list-details}:
 * each platform's manifest digest, size and the endpoint's image for it). Built in code: two small
 * nodes that the main view places, bound to {@link ManifestListsViewModel}.
 */
public final class ManifestListsView {

    private final ManifestListsViewModel model;
    private final Supplier<Instant> now;
    private final TableView<ManifestListsViewModel.Row> lists = new TableView<>();
    private final VBox details = new VBox(8);

    /**
     * @param model the lists of the selected endpoint
     * @param now   the time CREATED is shown against (the main window's clock)
     */
    public ManifestListsView(ManifestListsViewModel model, Supplier<Instant> now) {
        this.model = model;
        this.now = now;
        buildTable();
        buildDetails();
    }

    /** The table of lists, for the images table's place. */
    public TableView<ManifestListsViewModel.Row> table() {
        return lists;
    }

    /** The selected list's platforms, for the details pane's place. */
    public Node details() {
        return details;
    }

    private void buildTable() {
        lists.setId("manifest-lists");
        lists.setItems(model.visibleRows());
        lists.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ManifestListsViewModel.Row, String> name = column("NAME", 240, ManifestListsViewModel.Row::name);
        TableColumn<ManifestListsViewModel.Row, String> digest = column("DIGEST", 150,
                row -> row.list().digest().map(d -> d.shortHex()).orElse(""));
        TableColumn<ManifestListsViewModel.Row, String> platforms = column("PLATFORMS", 260,
                ManifestListsViewModel.Row::platformsText);
        TableColumn<ManifestListsViewModel.Row, String> local = column("LOCAL", 80, ManifestListsViewModel.Row::localText);
        TableColumn<ManifestListsViewModel.Row, String> created = column("CREATED", 130,
                row -> ImageTable.ago(row.list().created(), now.get()));
        name.setCellFactory(c -> tipCell(ManifestListsViewModel.Row::name));
        platforms.setCellFactory(c -> tipCell(ManifestListsViewModel.Row::platformsText));
        digest.setCellFactory(c -> tipCell(ManifestListsViewModel.Row::digestText));
        local.setCellFactory(c -> tipCell(row -> row.localText() + " platforms' images are on this endpoint"));
        lists.getColumns().setAll(java.util.List.of(name, digest, platforms, local, created));
        Label none = new Label();
        none.setId("manifest-lists-placeholder");
        none.getStyleClass().add("placeholder");
        none.setWrapText(true);
        none.setMaxWidth(520);
        none.textProperty().bind(Bindings.createStringBinding(() -> model.messageProperty().get().isEmpty()
                ? "No manifest list matches the filter. Clear the filter (Esc) to see them all."
                : model.messageProperty().get(), model.messageProperty()));
        lists.setPlaceholder(none);
        lists.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null || !model.rows().isEmpty()) {
                model.selectedProperty().set(row);
            }
        });
        model.selectedProperty().addListener((obs, old, row) -> {
            if (row != lists.getSelectionModel().getSelectedItem()) {
                if (row == null) {
                    lists.getSelectionModel().clearSelection();
                } else {
                    lists.getSelectionModel().select(row);
                }
            }
        });
        VBox.setVgrow(lists, Priority.ALWAYS);
    }

    private void buildDetails() {
        details.setId("manifest-list-details");
        details.getStyleClass().add("details-pane");
        details.setPadding(new Insets(10, 12, 10, 12));
        model.selectedProperty().addListener((obs, old, row) -> showDetails(row));
        showDetails(null);
    }

    private void showDetails(ManifestListsViewModel.Row row) {
        if (row == null) {
            Label message = new Label("Select a manifest list to see its platforms and which of their images are here.");
            message.setId("manifest-list-message");
            message.getStyleClass().add("placeholder");
            message.setWrapText(true);
            details.getChildren().setAll(message);
            return;
        }
        ManifestList list = row.list();
        Label title = new Label(PeerCells.text(row.name()));
        title.getStyleClass().add("title-4");
        title.setId("manifest-list-title");
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(4);
        int line = 0;
        if (list.names().size() > 1) {
            line = fact(grid, line, "Names", String.join(", ", list.names()), null);
        }
        line = fact(grid, line, "Kind", kind(list.mediaType()), null);
        if (list.digest().isPresent()) {
            line = fact(grid, line, "Digest", list.digest().get().toString(), "the list's digest");
        }
        line = fact(grid, line, "ID", list.id().toString(), "the list's ID");
        fact(grid, line, "Created", ImageTable.ago(list.created(), now.get()), null);

        Label section = new Label("Platforms (" + row.platforms().size() + ")");
        section.getStyleClass().add("section-title");
        TableView<ManifestListsViewModel.Platform> platforms = new TableView<>();
        platforms.setId("manifest-list-platforms");
        platforms.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ManifestListsViewModel.Platform, String> platform = new TableColumn<>("PLATFORM");
        platform.setPrefWidth(120);
        platform.setCellValueFactory(PeerCells.cell(ManifestListsViewModel.Platform::platformText));
        TableColumn<ManifestListsViewModel.Platform, String> digest = new TableColumn<>("MANIFEST DIGEST");
        digest.setPrefWidth(530);
        digest.setCellValueFactory(PeerCells.cell(p -> p.entry().digest().toString()));
        TableColumn<ManifestListsViewModel.Platform, String> size = new TableColumn<>("SIZE");
        size.setPrefWidth(70);
        size.setCellValueFactory(PeerCells.cell(p -> ImageTable.humanSize(p.entry().size())));
        TableColumn<ManifestListsViewModel.Platform, String> local = new TableColumn<>("IMAGE ON THIS ENDPOINT");
        local.setPrefWidth(260);
        local.setCellValueFactory(PeerCells.cell(ManifestListsViewModel.Platform::localText));
        platforms.getColumns().setAll(java.util.List.of(platform, digest, size, local));
        platforms.getItems().setAll(row.platforms());
        Label none = new Label("This list has no platforms yet (podman manifest add adds one).");
        none.getStyleClass().add("placeholder");
        platforms.setPlaceholder(none);
        VBox.setVgrow(platforms, Priority.ALWAYS);
        details.getChildren().setAll(title, grid, section, platforms);
    }

    /** One "Label value" line of the details, with a copy button when {@code copyWhat} names the value. */
    private static int fact(GridPane grid, int line, String label, String value, String copyWhat) {
        Label key = new Label(label);
        key.getStyleClass().add("muted");
        Label text = new Label(PeerCells.text(value));
        text.setTooltip(new Tooltip(PeerCells.text(value)));
        HBox cell = copyWhat == null ? new HBox(text) : new HBox(4, text, Views.copyButton(copyWhat, value));
        cell.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        grid.addRow(line, key, cell);
        return line + 1;
    }

    /** The media type in words. */
    static String kind(String mediaType) {
        return switch (mediaType) {
            case "application/vnd.oci.image.index.v1+json" -> "OCI image index";
            case "application/vnd.docker.distribution.manifest.list.v2+json" -> "Docker manifest list";
            default -> mediaType.isEmpty() ? "manifest list" : mediaType;
        };
    }

    private static TableColumn<ManifestListsViewModel.Row, String> column(String title, double width,
                                                                         Function<ManifestListsViewModel.Row, String> value) {
        TableColumn<ManifestListsViewModel.Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(PeerCells.cell(value));
        return column;
    }

    /** A cell showing its value with the full text (of {@code tip}) as tooltip. */
    private static TableCell<ManifestListsViewModel.Row, String> tipCell(Function<ManifestListsViewModel.Row, String> tip) {
        return new TableCell<>() {
            {
                setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            }

            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                ManifestListsViewModel.Row row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : value);
                setTooltip(row == null ? null : new Tooltip(PeerCells.text(tip.apply(row))));
            }
        };
    }
}
