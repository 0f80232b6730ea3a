package io.gantry.ui.search;

import io.gantry.registry.SearchResult;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Binds {@code SearchView.fxml} to {@link SearchViewModel}: results table, tags list, the chosen
 * tag's summary ({@link RemoteSummaryView}), platform choice and the Pull button (also
 * double-click on a tag, and Ctrl+P).
 */
public final class SearchController {

    @FXML private ComboBox<String> registryBox;
    @FXML private TextField queryField;
    @FXML private Button searchButton;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private TableView<SearchResult> resultsTable;
    @FXML private TableColumn<SearchResult, String> nameColumn;
    @FXML private TableColumn<SearchResult, String> descriptionColumn;
    @FXML private TableColumn<SearchResult, Integer> starsColumn;
    @FXML private TableColumn<SearchResult, Boolean> officialColumn;
    @FXML private Button moreResultsButton;
    @FXML private Label tagsTitle;
    @FXML private ListView<String> tagsList;
    @FXML private Button moreTagsButton;
    @FXML private javafx.scene.layout.VBox summaryBox;
    @FXML private HBox platformRow;
    @FXML private ComboBox<String> platformBox;
    @FXML private Button pullButton;
    @FXML private Label messageLabel;

    private final SearchViewModel model;
    private final ObservableStringValue targetName;
    private final ObservableList<String> knownRegistries;

    /**
     * @param targetName      the name of the endpoint a pull goes to (the one selected in the rail)
     * @param knownRegistries registries offered in the registry box
     */
    public SearchController(SearchViewModel model, ObservableStringValue targetName, ObservableList<String> knownRegistries) {
        this.model = model;
        this.targetName = targetName;
        this.knownRegistries = knownRegistries;
    }

    @FXML
    private void initialize() {
        registryBox.setItems(knownRegistries);
        registryBox.valueProperty().bindBidirectional(model.registryProperty());
        queryField.textProperty().bindBidirectional(model.queryProperty());
        searchButton.setGraphic(new FontIcon(Feather.SEARCH));
        searchButton.setOnAction(event -> model.submit());
        queryField.setOnAction(event -> model.submit());
        queryField.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.DOWN && !resultsTable.getItems().isEmpty()) {
                resultsTable.requestFocus();
                if (resultsTable.getSelectionModel().isEmpty()) {
                    resultsTable.getSelectionModel().select(0);
                }
                resultsTable.getFocusModel().focus(resultsTable.getSelectionModel().getSelectedIndex());
                event.consume();
            }
        });
        resultsTable.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ENTER && resultsTable.getSelectionModel().getSelectedItem() != null) {
                tagsList.requestFocus(); // as a double click: on to the tags
                if (tagsList.getSelectionModel().isEmpty() && !tagsList.getItems().isEmpty()) {
                    tagsList.getSelectionModel().select(0);
                }
                event.consume();
            }
        });
        busyIndicator.visibleProperty().bind(model.busyProperty());

        // sorted over the results, so a header's sort holds for the next search's results and for "load more"
        // (the window is kept between searches, with its sort arrow)
        javafx.collections.transformation.SortedList<SearchResult> sorted =
                new javafx.collections.transformation.SortedList<>(model.results());
        sorted.comparatorProperty().bind(resultsTable.comparatorProperty());
        resultsTable.setItems(sorted);
        // a registry's catalog has no description, stars or official mark: those columns show only for
        // results that have them (Docker Hub's), and NAME (the last column then) takes their room
        javafx.beans.binding.BooleanBinding hubColumns = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> model.results().isEmpty() || model.results().stream().anyMatch(r -> r.official() || r.stars() > 0
                        || (r.description() != null && !r.description().isBlank())), model.results());
        descriptionColumn.visibleProperty().bind(hubColumns);
        starsColumn.visibleProperty().bind(hubColumns);
        officialColumn.visibleProperty().bind(hubColumns);
        io.gantry.ui.Views.downSelectsFirstRow(resultsTable);
        Label placeholder = new Label();
        placeholder.textProperty().bind(model.emptyResultsProperty());
        placeholder.setWrapText(true);
        placeholder.setMaxWidth(420);
        placeholder.setId("search-placeholder");
        placeholder.getStyleClass().add("placeholder");
        resultsTable.setPlaceholder(placeholder);
        nameColumn.setCellValueFactory(io.gantry.ui.PeerCells.cell(r -> r.name()));
        nameColumn.setCellFactory(column -> io.gantry.ui.Views.middleElided()); // host:port/…/demo/worker, not host:…/demo/wo…
        descriptionColumn.setCellValueFactory(io.gantry.ui.PeerCells.cell(r -> r.description()));
        starsColumn.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().stars()));
        starsColumn.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(Integer stars, boolean empty) {
                super.updateItem(stars, empty);
                setText(empty || stars == null || stars == 0 ? null : String.format("%,d", stars)); // catalogs have none
            }
        });
        officialColumn.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().official()));
        officialColumn.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(Boolean official, boolean empty) {
                super.updateItem(official, empty);
                setText(null);
                setGraphic(!empty && Boolean.TRUE.equals(official) ? officialMark() : null);
            }
        });
        resultsTable.getSelectionModel().selectedItemProperty()
                .addListener((obs, old, now) -> model.selectedResultProperty().set(now));
        model.selectedResultProperty().addListener((obs, old, now) -> {
            if (now == null) {
                resultsTable.getSelectionModel().clearSelection();
            }
        });
        resultsTable.setRowFactory(table -> {
            TableRow<SearchResult> row = new TableRow<>();
            row.setOnMouseClicked(event -> {
                if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2 && !row.isEmpty()) {
                    tagsList.requestFocus();
                }
            });
            return row;
        });
        moreResultsButton.visibleProperty().bind(model.moreResultsProperty());
        moreResultsButton.managedProperty().bind(moreResultsButton.visibleProperty());
        moreResultsButton.setOnAction(event -> model.loadMoreResults());

        tagsList.setItems(model.tags());
        io.gantry.ui.Views.downSelectsFirstRow(tagsList);
        if (tagsList.getCellFactory() == null) {
            tagsList.setCellFactory(io.gantry.ui.PeerCells.listCells());
        }
        tagsTitle.textProperty().bind(Bindings.createStringBinding(() -> model.selectedResultProperty().get() == null
                ? "TAGS" : "TAGS OF " + io.gantry.ui.PeerCells.text(model.selectedResultProperty().get().name()), model.selectedResultProperty()));
        Label noTags = new Label("Choose a repository to see its tags.");
        noTags.getStyleClass().add("placeholder");
        noTags.setWrapText(true);
        tagsList.setPlaceholder(noTags);
        tagsList.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.selectedTagProperty().set(now);
            }
        });
        model.selectedTagProperty().addListener((obs, old, now) -> {
            if (now != null && !now.equals(tagsList.getSelectionModel().getSelectedItem())) {
                tagsList.getSelectionModel().select(now);
            }
        });
        tagsList.setOnMouseClicked(event -> {
            if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2
                    && tagsList.getSelectionModel().getSelectedItem() != null) {
                model.pull();
            }
        });
        tagsList.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                model.pull();
            }
        });
        moreTagsButton.visibleProperty().bind(model.moreTagsProperty());
        moreTagsButton.managedProperty().bind(moreTagsButton.visibleProperty());
        moreTagsButton.setOnAction(event -> model.loadMoreTags());

        javafx.scene.Node summary = new RemoteSummaryView(model).node();
        javafx.scene.layout.VBox.setVgrow(summary, javafx.scene.layout.Priority.ALWAYS);
        summaryBox.getChildren().add(summary);

        platformBox.setItems(model.platforms());
        platformBox.valueProperty().bindBidirectional(model.platformProperty());
        platformRow.visibleProperty().bind(Bindings.isNotEmpty(model.platforms()));
        platformRow.managedProperty().bind(platformRow.visibleProperty());

        pullButton.setGraphic(new FontIcon(Feather.DOWNLOAD));
        pullButton.setMnemonicParsing(false); // "Pull into DOCKER_HOST", not "DOCKERHOST"
        pullButton.textProperty().bind(Bindings.concat("Pull into ", targetName));
        pullButton.disableProperty().bind(model.canPullBinding().not());
        pullButton.setOnAction(event -> model.pull());

        messageLabel.textProperty().bind(model.messageProperty());
    }

    /** Ctrl+P pulls the chosen tag; Esc closes the window (done by the caller's scene handling). */
    public void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN), model::pull);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            queryField.requestFocus();
            queryField.selectAll();
        });
    }

    /** Puts the caret in the query field. */
    public void focusQuery() {
        queryField.requestFocus();
        queryField.end();
    }

    private static FontIcon officialMark() {
        FontIcon icon = new FontIcon(Feather.AWARD);
        icon.getStyleClass().add("official-mark");
        return icon;
    }
}
