package io.gantry.ui;

import io.gantry.core.Digest;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.service.ImageTable;
import io.gantry.ui.manifest.ManifestListsView;
import io.gantry.ui.manifest.ManifestListsViewModel;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Callback;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Binds {@code MainView.fxml} to {@link MainViewModel}; no logic of its own. */
public final class MainController {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz")
            .withZone(ZoneId.systemDefault());

    @FXML private ListView<EndpointItem> endpointList;
    @FXML private TextField filterField;
    @FXML private HBox filterButtons;
    @FXML private Button refreshButton;
    @FXML private TableView<ImageTable.Row> imagesTable;
    @FXML private TableColumn<ImageTable.Row, String> repositoryColumn;
    @FXML private TableColumn<ImageTable.Row, String> tagColumn;
    @FXML private TableColumn<ImageTable.Row, Digest> idColumn;
    @FXML private TableColumn<ImageTable.Row, ImageTable.Row> createdColumn;
    @FXML private TableColumn<ImageTable.Row, Long> sizeColumn;
    @FXML private TableColumn<ImageTable.Row, Long> sharedColumn;
    @FXML private TableColumn<ImageTable.Row, Long> uniqueColumn;
    @FXML private TableColumn<ImageTable.Row, Integer> containersColumn;
    @FXML private StatusBar statusBar;
    @FXML private Button deleteButton;
    @FXML private Button pruneButton;
    @FXML private Button familyButton;
    @FXML private Button containersButton;
    @FXML private StackPane detailsHolder;
    @FXML private StackPane detailsArea;
    @FXML private Label paneTitle;
    @FXML private VBox bannerBox;
    @FXML private HBox appBar;
    @FXML private Label appTitle;
    @FXML private javafx.scene.control.SplitPane railSplit;
    @FXML private javafx.scene.control.SplitPane pullSplit;
    @FXML private VBox pullPanel;
    @FXML private javafx.scene.control.ScrollPane railScroll;
    @FXML private VBox rail;
    @FXML private VBox namespaceBox;
    @FXML private VBox nodeBox;
    @FXML private javafx.scene.control.ComboBox<String> namespaceChoice;
    @FXML private VBox clusterBox;
    @FXML private ListView<io.gantry.ui.cluster.ClusterItem> clusterList;
    @FXML private Label clusterError;
    @FXML private javafx.scene.control.SplitPane mainSplit;
    /** The chosen cluster's reader, when the window offers clusters; F5 and Refresh read it again. */
    private io.gantry.ui.cluster.ClustersViewModel clusters;
    private ImageActions actions;
    private ManifestListsViewModel lists;
    private java.util.function.Consumer<java.util.List<String>> combine;
    private java.util.function.Consumer<String> where;
    private java.util.function.Consumer<String> prePull;
    private javafx.beans.value.ObservableBooleanValue whereOffered = new javafx.beans.property.SimpleBooleanProperty(false);
    private java.util.function.Function<String, java.util.List<java.util.Map.Entry<String, Runnable>>> copyTargets;

    private final MainViewModel model;
    /** Each sortable column's order on the rows' keys (see {@link #rowOrder()}). */
    private final Map<TableColumn<ImageTable.Row, ?>, Comparator<ImageTable.Row>> sortKeys = new IdentityHashMap<>();
    private final Optional<String> lastEndpointId;

    public MainController(MainViewModel model, Optional<String> lastEndpointId) {
        this.model = model;
        this.lastEndpointId = lastEndpointId;
    }

    @FXML
    private void initialize() {
        endpointList.setItems(model.endpoints());
        endpointList.setCellFactory(list -> new EndpointCell(compactEntries));
        endpointList.setSkin(new EndpointListSkin(endpointList));
        endpointList.getSelectionModel().selectedItemProperty()
                .addListener((obs, old, now) -> model.selectedEndpointProperty().set(now));
        // the list never scrolls itself (EndpointListSkin): the rail scrolls to an entry chosen with the keyboard
        endpointList.getSelectionModel().selectedIndexProperty().addListener((obs, old, now) ->
                javafx.application.Platform.runLater(() -> scrollRailTo(now.intValue())));
        // ... and again when the rail's content or view changes height after that (an entry measured
        // again, the gauge made compact), while the keys are in the list: else it stopped short
        for (javafx.beans.value.ObservableValue<?> height : List.of(railScroll.getContent().layoutBoundsProperty(),
                railScroll.viewportBoundsProperty())) {
            height.addListener(obs -> {
                if (endpointList.isFocused()) {
                    javafx.application.Platform.runLater(() ->
                            scrollRailTo(endpointList.getSelectionModel().getSelectedIndex()));
                }
            });
        }
        // a containerd's namespaces: shown only for an endpoint that has them
        namespaceChoice.setItems(model.namespaces());
        namespaceBox.visibleProperty().bind(Bindings.isNotEmpty(model.namespaces()));
        namespaceBox.managedProperty().bind(namespaceBox.visibleProperty());
        model.namespaceProperty().addListener((obs, old, now) -> namespaceChoice.getSelectionModel().select(now));
        model.namespaces().addListener((javafx.collections.ListChangeListener<String>) change ->
                namespaceChoice.getSelectionModel().select(model.namespaceProperty().get()));
        namespaceChoice.setOnAction(event -> model.chooseNamespace(namespaceChoice.getValue()));
        // a Kubernetes node's image filesystem (containerd's k8s.io through the CRI), under the namespace
        NodeGauge gauge = new NodeGauge();
        nodeBox.getChildren().add(gauge);
        nodeBox.visibleProperty().bind(model.nodeProperty().isNotNull());
        nodeBox.managedProperty().bind(nodeBox.visibleProperty());
        model.nodeProperty().addListener((obs, old, now) -> {
            if (now != null) {
                gauge.show(now);
            }
            fitRail(gauge);
        });
        // short of room (the pull panel open at 1200x720), the gauge is compact so the rail fits at a glance
        for (javafx.beans.value.ObservableValue<?> room : List.of(railScroll.viewportBoundsProperty(),
                endpointList.heightProperty(), namespaceBox.visibleProperty(), nodeBox.visibleProperty())) {
            room.addListener(obs -> fitRail(gauge));
        }

        filterField.textProperty().bindBidirectional(model.filterTextProperty());
        ToggleGroup group = new ToggleGroup();
        for (ImageFilter filter : ImageFilter.values()) {
            ToggleButton button = new ToggleButton(filter.label());
            button.setId("filter-" + filter.name().toLowerCase());
            button.setToggleGroup(group);
            button.setUserData(filter);
            button.setSelected(filter == model.filterProperty().get());
            filterButtons.getChildren().add(button);
        }
        ToggleButton listsButton = manifestLists(group);
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one filter is always chosen
            } else if (now == listsButton) {
                lists.shownProperty().set(true);
            } else {
                lists.shownProperty().set(false);
                model.filterProperty().set((ImageFilter) now.getUserData());
            }
        });
        lists.shownProperty().addListener((obs, was, shown) -> {
            if (!shown && listsButton.isSelected()) {
                group.getToggles().stream().filter(t -> t.getUserData() == model.filterProperty().get()).findFirst()
                        .ifPresent(t -> t.setSelected(true));
            }
        });
        refreshButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshButton.setOnAction(event -> refreshAll());

        // sorted over the filtered rows, so a header click sorts, and the order survives refreshes and filters
        javafx.collections.transformation.SortedList<ImageTable.Row> sorted =
                new javafx.collections.transformation.SortedList<>(model.visibleImages());
        imagesTable.setSortPolicy(table -> {
            sorted.setComparator(rowOrder());
            return true;
        });
        imagesTable.setItems(sorted);
        Views.downSelectsFirstRow(imagesTable);
        imagesTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // rows of 2em, not 2.8em: at 900x600 the table shows six images or more (WindowLayoutTest)
        imagesTable.getStyleClass().add(atlantafx.base.theme.Styles.DENSE);
        imagesTable.setPlaceholder(placeholder());
        model.listingErrorProperty().addListener((obs, old, now) -> imagesTable.setPlaceholder(placeholder()));
        model.loadingProperty().addListener((obs, old, now) -> imagesTable.setPlaceholder(placeholder()));
        model.filterProperty().addListener((obs, old, now) -> imagesTable.setPlaceholder(placeholder()));
        model.selectedEndpointProperty().addListener((obs, old, now) -> imagesTable.setPlaceholder(placeholder()));
        model.filterTextProperty().addListener((obs, old, now) -> imagesTable.setPlaceholder(placeholder()));
        model.allRows().addListener((javafx.collections.ListChangeListener<ImageTable.Row>) change ->
                imagesTable.setPlaceholder(placeholder()));
        repositoryColumn.setCellValueFactory(cell(ImageTable.Row::repository));
        tagColumn.setCellValueFactory(cell(ImageTable.Row::tag));
        idColumn.setCellValueFactory(cell(row -> row.image().id()));
        idColumn.setCellFactory(column -> formatted(Digest::shortHex));
        createdColumn.setCellValueFactory(cell(row -> row));
        createdColumn.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(ImageTable.Row row, boolean empty) {
                super.updateItem(row, empty);
                setText(empty || row == null ? null : ImageTable.ago(row.image().created(), model.nowProperty().get()));
                tooltip(this, empty || row == null ? null : EXACT.format(row.image().created()));
            }
        });
        startClock();
        sizeColumn.setCellValueFactory(cell(row -> row.image().size()));
        sharedColumn.setCellValueFactory(cell(row -> row.image().sharedSize()));
        uniqueColumn.setCellValueFactory(cell(row -> row.image().uniqueSize()));
        for (TableColumn<ImageTable.Row, Long> column : List.of(sizeColumn, sharedColumn, uniqueColumn)) {
            column.setCellFactory(c -> formatted(ImageTable::humanSize));
        }
        containersColumn.setCellValueFactory(cell(row -> row.image().containers()));
        sortKeys.put(repositoryColumn, Comparator.comparing(ImageTable.Row::repositoryKey));
        sortKeys.put(tagColumn, Comparator.comparing(ImageTable.Row::tagKey));
        sortKeys.put(idColumn, (a, b) -> compareIds(a.image().id(), b.image().id()));
        sortKeys.put(createdColumn, Comparator.comparing(row -> row.image().created()));
        sortKeys.put(sizeColumn, Comparator.comparingLong(row -> row.image().size()));
        sortKeys.put(sharedColumn, Comparator.comparingLong(row -> row.image().sharedSize()));
        sortKeys.put(uniqueColumn, Comparator.comparingLong(row -> row.image().uniqueSize()));
        sortKeys.put(containersColumn, Comparator.comparingInt(row -> row.image().containers()));
        repositoryColumn.setCellFactory(column -> nameCell(row -> row.repository() + ":" + row.tag()));
        tagColumn.setCellFactory(column -> nameCell(row -> row.repository() + ":" + row.tag()));
        fitColumns();

        statusBar.textProperty().bind(model.statusProperty());
        statusBar.progressProperty().bind(
                Bindings.when(model.busyProperty()).then(-1.0).otherwise(0.0));

        imagesTable.setRowFactory(table -> {
            TableRow<ImageTable.Row> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty())
                    .then((ContextMenu) null).otherwise(rowMenu(row)));
            return row;
        });
        // the row's menu from the keyboard (the Menu key, Shift+F10): for the focused row, under it; the
        // toolkit's own keyboard menu request goes to the table, which has no menu of its own
        imagesTable.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.CONTEXT_MENU || (event.getCode() == KeyCode.F10 && event.isShiftDown())) {
                showFocusedRowMenu();
                event.consume();
            }
        });
        imagesTable.addEventHandler(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, event -> {
            if (event.isKeyboardTrigger()) {
                showFocusedRowMenu();
                event.consume();
            }
        });

        actions = new ImageActions(model, imagesTable, detailsHolder, bannerBox);
        deleteButton.setGraphic(new FontIcon(Feather.TRASH_2));
        deleteButton.setOnAction(event -> actions.delete());
        deleteButton.disableProperty().bind(Bindings.isEmpty(imagesTable.getSelectionModel().getSelectedItems())
                .or(lists.shownProperty()));
        pruneButton.setGraphic(new FontIcon(Feather.SCISSORS));
        pruneButton.setOnAction(event -> actions.prune());
        familyButton.setGraphic(new FontIcon(Feather.GIT_MERGE));
        familyButton.setOnAction(event -> actions.showFamilyTree());
        containersButton.setGraphic(new FontIcon(Feather.BOX));
        containersButton.setOnAction(event -> actions.showContainers());
        // actions the selected endpoint cannot do are off, by its capabilities (the embedded store runs no containers)
        containersButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> !can(Capability.CONTAINERS), model.selectedEndpointProperty()));
        pruneButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> !can(Capability.PRUNE_PREVIEW), model.selectedEndpointProperty()));

        ToolbarFit.install(appBar, appTitle, List.of(familyButton, containersButton, pruneButton, deleteButton, refreshButton),
                List.of("Family tree: every image by shared layers (Ctrl+T)", "Containers of this endpoint (Ctrl+K)",
                        "Prune: remove dangling or unused images, with a preview (Ctrl+Shift+Del)",
                        "Delete the selected images (Del in the table, Shift+Del anywhere)",
                        "Refresh every endpoint (F5)"));
        javafx.scene.control.SplitPane.setResizableWithParent(railScroll, false);
        javafx.scene.control.SplitPane.setResizableWithParent(pullPanel, false); // a taller window gives the images the room
        pullPanel.visibleProperty().addListener((obs, was, shown) -> showPullPanel(shown));
        showPullPanel(pullPanel.isVisible());

        model.preferredEndpoint(lastEndpointId).ifPresent(endpointList.getSelectionModel()::select);
        model.probeEndpoints();
        model.followEndpoints();
    }

    /** Scrolls the rail, when it scrolls, just enough that the endpoint list's entry {@code index} shows whole. */
    private void scrollRailTo(int index) {
        javafx.scene.Node content = railScroll.getContent();
        double contentHeight = content.getLayoutBounds().getHeight();
        double viewport = railScroll.getViewportBounds().getHeight();
        if (index < 0 || contentHeight <= viewport || viewport <= 0) {
            return;
        }
        for (javafx.scene.Node node : endpointList.lookupAll(".list-cell")) {
            if (node instanceof ListCell<?> cell && cell.isVisible() && cell.getIndex() == index) {
                javafx.geometry.Bounds entry = content.sceneToLocal(cell.localToScene(cell.getLayoutBounds()));
                double range = contentHeight - viewport;
                double top = (railScroll.getVvalue() - railScroll.getVmin()) / (railScroll.getVmax() - railScroll.getVmin()) * range;
                if (entry.getMinY() < top) {
                    top = entry.getMinY();
                } else if (entry.getMaxY() > top + viewport) {
                    top = entry.getMaxY() - viewport;
                } else {
                    return;
                }
                railScroll.setVvalue(railScroll.getVmin() + (railScroll.getVmax() - railScroll.getVmin())
                        * Math.max(0, Math.min(range, top)) / range);
                return;
            }
        }
    }

    private boolean railFitQueued;

    /**
     * Makes the node gauge compact when the rail with every gauge line would not fit its height
     * (decided on the whole gauge's height, so the choice does not flip as the gauge changes size).
     * Queued after the layout pass that measured the room.
     */
    private void fitRail(NodeGauge gauge) {
        if (railFitQueued) {
            return;
        }
        railFitQueued = true;
        javafx.application.Platform.runLater(() -> {
            railFitQueued = false;
            double width = rail.getWidth();
            double room = railScroll.getViewportBounds().getHeight();
            if (width <= 0 || room <= 0) {
                return;
            }
            double engines = engineLinesHeight();
            double whole = rail.prefHeight(width) + (gauge.isCompact() && nodeBox.isVisible() ? gauge.extraHeight(width) : 0)
                    + (compactEntries.get() ? engines : 0);
            // first the entries' engine lines go (into each entry's tooltip), then the gauge's rule and order;
            // going back to whole needs about a line's room to spare, so the choice does not flip as the
            // scroll bar comes and goes (the rail's lines wrap at another width)
            compactEntries.set(whole > room + (compactEntries.get() ? -RAIL_HYSTERESIS : 0.5));
            gauge.setCompact(nodeBox.isVisible() && whole - engines > room + (gauge.isCompact() ? -RAIL_HYSTERESIS : 0.5));
        });
    }

    /** About a line of the rail: the room to spare before a compact rail shows every line again. */
    private static final double RAIL_HYSTERESIS = 16;

    /**
     * Whether the rail's entries leave out their engine line ("Docker Engine 20.10.24 · API 1.41", then
     * in the entry's tooltip): when the rail would not fit its height with them (the pull panel open at
     * 1200x720 beside a containerd's picker and gauge).
     */
    private final javafx.beans.property.BooleanProperty compactEntries = new javafx.beans.property.SimpleBooleanProperty();

    /** The height the entries' engine lines take, or would take, at the list's width now. */
    private double engineLinesHeight() {
        double height = 0;
        for (javafx.scene.Node node : endpointList.lookupAll(".list-cell")) {
            if (node instanceof ListCell<?> cell && cell.isVisible() && cell.getItem() != null
                    && cell.lookup("#endpoint-engine") instanceof Label engine && !engine.getText().isEmpty()) {
                double width = engine.getParent() instanceof javafx.scene.layout.Region text && text.getMaxWidth() > 0
                        && text.getMaxWidth() < Double.MAX_VALUE ? text.getMaxWidth() : engine.getWidth();
                height += engine.prefHeight(width);
            }
        }
        return height;
    }

    /**
     * The manifest lists of the selected endpoint (issue 19; Podman's, read after each listing): a
     * "Manifest lists" button after the filters, there only while the endpoint has lists, shows
     * them in the images table's place and the selected list's platforms in the details pane's.
     */
    private ToggleButton manifestLists(ToggleGroup group) {
        lists = model.manifestLists();
        ManifestListsView view = new ManifestListsView(lists, () -> model.nowProperty().get());
        ToggleButton button = new ToggleButton();
        button.setId("filter-manifest-lists");
        button.textProperty().bind(Bindings.createStringBinding(() -> "Manifest lists (" + lists.rows().size() + ")",
                lists.rows()));
        button.setTooltip(new Tooltip("The manifest lists this endpoint keeps (podman manifest create), with their platforms"));
        button.setToggleGroup(group);
        button.visibleProperty().bind(Bindings.isNotEmpty(lists.rows()).or(lists.shownProperty()));
        button.managedProperty().bind(button.visibleProperty());
        filterButtons.getChildren().add(button);

        javafx.scene.layout.VBox pane = (javafx.scene.layout.VBox) imagesTable.getParent();
        pane.getChildren().add(pane.getChildren().indexOf(imagesTable) + 1, view.table());
        view.table().visibleProperty().bind(lists.shownProperty());
        view.table().managedProperty().bind(lists.shownProperty());
        imagesTable.visibleProperty().bind(lists.shownProperty().not());
        imagesTable.managedProperty().bind(lists.shownProperty().not());
        detailsArea.getChildren().add(view.details());
        view.details().visibleProperty().bind(lists.shownProperty());
        detailsHolder.visibleProperty().bind(lists.shownProperty().not());
        paneTitle.textProperty().bind(Bindings.when(lists.shownProperty()).then("Manifest lists").otherwise("Images"));
        return button;
    }

    /** How often CREATED's relative times move on while the window shows (docker says them to the minute). */
    static final javafx.util.Duration CLOCK_PERIOD = javafx.util.Duration.seconds(30);

    /**
     * CREATED ("8 minutes ago") advances: while the window shows, a timeline moves the model's
     * clock on every {@link #CLOCK_PERIOD} and the shown cells redraw (the rows stay as listed).
     */
    private void startClock() {
        javafx.animation.Timeline clock = new javafx.animation.Timeline(new javafx.animation.KeyFrame(CLOCK_PERIOD,
                event -> model.tick(java.time.Instant.now())));
        clock.setCycleCount(javafx.animation.Animation.INDEFINITE);
        imagesTable.sceneProperty().flatMap(Scene::windowProperty).flatMap(javafx.stage.Window::showingProperty)
                .orElse(false).subscribe(showing -> {
                    if (showing) {
                        clock.play();
                    } else {
                        clock.stop();
                    }
                });
        model.nowProperty().addListener((obs, old, now) -> imagesTable.refresh());
    }

    /**
     * Every column at least as wide as its header and its widest value; REPOSITORY gets the room its
     * widest name needs, then TAG its widest tag's, then REPOSITORY the rest; when there is not room
     * enough, they elide in the middle. Too narrow for all: IMAGE ID goes first, then CREATED (both
     * are in the details pane).
     */
    private void fitColumns() {
        java.util.function.Supplier<List<String>> sizes = () -> List.of("999.9MB");
        ColumnFit.install(imagesTable, List.of(
                new ColumnFit.Spec<>(repositoryColumn, () -> List.of("library/registry"), 0, Double.MAX_VALUE,
                        () -> model.visibleImages().stream().map(ImageTable.Row::repository).toList()),
                new ColumnFit.Spec<>(tagColumn, () -> List.of("latest", "<none>"), 0, 220, // a dangling image's whole
                        () -> model.visibleImages().stream().map(ImageTable.Row::tag).toList()),
                new ColumnFit.Spec<>(idColumn, () -> List.of("0123456789ab"), 2, 0),
                new ColumnFit.Spec<>(createdColumn, () -> java.util.stream.Stream.concat(java.util.stream.Stream.of("59 minutes ago"),
                        model.visibleImages().stream().map(ImageTable.Row::createdAgo).distinct().limit(50)).toList(), 1, 0),
                new ColumnFit.Spec<>(sizeColumn, sizes, 0, 0),
                new ColumnFit.Spec<>(sharedColumn, sizes, 0, 0),
                new ColumnFit.Spec<>(uniqueColumn, sizes, 0, 0),
                new ColumnFit.Spec<>(containersColumn, () -> List.of("999"), 0, 0)));
    }

    /** A name cell: elided in the middle (both ends of a long repository stay readable), the full reference as tooltip. */
    private static TableCell<ImageTable.Row, String> nameCell(Function<ImageTable.Row, String> tooltip) {
        return new TableCell<>() {
            {
                setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            }

            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                ImageTable.Row row = empty ? null : getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : value);
                tooltip(this, empty || row == null ? null : tooltip.apply(row));
            }
        };
    }

    /**
     * The table's order, from its sort order (the headers clicked, each ascending or descending),
     * on the keys each row carries: sizes as bytes, CREATED as time, names by the collation keys
     * made with the rows on the worker (the order of {@link TableColumn#DEFAULT_COMPARATOR}, the
     * locale's collator). The table's own comparator would ask each column's cell-value factory
     * twice per comparison, some 130,000 times for 10,000 rows; null keeps the listing's order.
     */
    private Comparator<ImageTable.Row> rowOrder() {
        Comparator<ImageTable.Row> order = null;
        for (TableColumn<ImageTable.Row, ?> column : imagesTable.getSortOrder()) {
            Comparator<ImageTable.Row> key = sortKeys.get(column);
            if (key == null || !column.isSortable()) {
                continue;
            }
            if (column.getSortType() == TableColumn.SortType.DESCENDING) {
                key = key.reversed();
            }
            order = order == null ? key : order.thenComparing(key);
        }
        return order;
    }

    /** {@link Digest#compareTo}'s order without making two strings per comparison. */
    private static int compareIds(Digest a, Digest b) {
        return a.algorithm().equals(b.algorithm()) ? a.hex().compareTo(b.hex()) : a.compareTo(b);
    }

    /**
     * Sets a table cell's tooltip to {@code text} (none for null), reusing the cell's one
     * {@link Tooltip}: a new one per update is a popup window and a CSS pass each time, which on
     * 10,000 images took much of the FX thread while sorting and scrolling.
     */
    static void tooltip(TableCell<?, ?> cell, String text) {
        if (text == null) {
            cell.setTooltip(null);
            return;
        }
        Tooltip tip = (Tooltip) cell.getProperties().computeIfAbsent(Tooltip.class, key -> new Tooltip());
        tip.setText(text);
        if (cell.getTooltip() != tip) {
            cell.setTooltip(tip);
        }
    }

    /**
     * Keyboard shortcuts of the main window: F5 refresh, Ctrl+L filter (Ctrl+F is the toolbar's
     * search field), Esc clears the filter.
     */
    void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), this::refreshAll);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.L,
                KeyCombination.SHORTCUT_DOWN), filterField::requestFocus);
        filterField.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ESCAPE) {
                filterField.clear();
                imagesTable.requestFocus();
            } else if (event.getCode() == KeyCode.DOWN && !imagesTable.getItems().isEmpty()) {
                imagesTable.requestFocus();
                if (imagesTable.getSelectionModel().isEmpty()) {
                    imagesTable.getSelectionModel().select(0);
                }
                imagesTable.getFocusModel().focus(imagesTable.getSelectionModel().getSelectedIndex());
                event.consume();
            }
        });
        // every toolbar action has a key (the tooltips name them); Del and Enter are the table's
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN), familyButton::fire);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), containersButton::fire);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.DELETE, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), pruneButton::fire);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.DELETE, KeyCombination.SHIFT_DOWN), deleteButton::fire);
    }

    /**
     * What the empty table says: why it is empty and what to do. A listing that failed shows the
     * endpoint's state and the reason with Retry, never the look of an empty endpoint.
     */
    private javafx.scene.Node placeholder() {
        EndpointItem item = model.selectedEndpointProperty().get();
        String name = item == null ? "this endpoint" : item.endpoint().name();
        String error = model.listingErrorProperty().get();
        if (!error.isEmpty()) {
            return Views.notAnswering(name, error, "listing-error", "retry-listing", model::refreshAll);
        }
        String text;
        if (model.loadingProperty().get() && model.allRows().isEmpty()) {
            text = "Loading images from " + name + "…";
        } else if (!model.allRows().isEmpty()) {
            String typed = model.filterTextProperty().get() == null ? "" : model.filterTextProperty().get().trim();
            text = !typed.isEmpty() ? "No image matches \"" + typed + "\"" + (model.filterProperty().get() == ImageFilter.ALL
                    ? "." : " among the " + model.filterProperty().get().label() + " images.") + " Clear the filter (Esc) to see them all."
                    : switch (model.filterProperty().get()) {
                        case ALL -> "No images.";
                        default -> "No " + model.filterProperty().get().label().toLowerCase(java.util.Locale.ROOT)
                                + " images on " + name + ". Choose All to see every image.";
                    };
        } else {
            text = "No images on " + name + " yet. Search (Ctrl+F) for an image to pull, or type a reference such as alpine:3.20.";
        }
        Label placeholder = new Label(text);
        placeholder.setWrapText(true);
        placeholder.setMaxWidth(520);
        placeholder.getStyleClass().add("placeholder");
        placeholder.setId("images-placeholder");
        return placeholder;
    }

    /** Opens the focused (else the first selected) row's menu under that row, its first item focused. */
    private void showFocusedRowMenu() {
        int index = imagesTable.getFocusModel().getFocusedIndex();
        if (index < 0) {
            index = imagesTable.getSelectionModel().getSelectedIndex();
        }
        if (index < 0) {
            return;
        }
        imagesTable.scrollTo(index);
        imagesTable.layout();
        for (javafx.scene.Node node : imagesTable.lookupAll(".table-row-cell")) {
            if (node instanceof TableRow<?> row && row.isVisible() && row.getIndex() == index && !row.isEmpty()
                    && row.getContextMenu() != null) {
                javafx.geometry.Bounds at = row.localToScreen(row.getLayoutBounds());
                if (at != null) {
                    row.getContextMenu().show(row, at.getMinX() + 24, at.getMaxY());
                }
                return;
            }
        }
    }

    private ContextMenu rowMenu(TableRow<ImageTable.Row> row) {
        MenuItem copyId = new MenuItem("Copy image ID");
        copyId.setOnAction(event -> {
            copy(row.getItem().image().id().toString());
            model.showDone("Copied " + row.getItem().image().id() + " (paste it in the filter to find the image)");
        });
        MenuItem copyReference = new MenuItem("Copy reference");
        copyReference.setOnAction(event -> {
            copy(reference(row.getItem()));
            model.showDone("Copied " + reference(row.getItem()));
        });
        copyReference.disableProperty().bind(Bindings.createBooleanBinding(
                () -> row.getItem() == null || row.getItem().image().dangling(), row.itemProperty()));
        MenuItem details = new MenuItem("Show details");
        details.setOnAction(event -> actions.focusDetails());
        MenuItem delete = new MenuItem("Delete…");
        delete.setOnAction(event -> actions.delete());
        MenuItem combineItem = new MenuItem("Combine into a multi-arch image…");
        combineItem.setId("combine-menu");
        combineItem.setOnAction(event -> combine.accept(imagesTable.getSelectionModel().getSelectedItems().stream()
                .filter(r -> !r.image().dangling()).map(MainController::reference).distinct().toList()));
        MenuItem whereItem = new MenuItem("Where is this image? (Kubernetes)…");
        whereItem.setId("where-menu");
        whereItem.setOnAction(event -> where.accept(reference(row.getItem())));
        MenuItem prePullItem = new MenuItem("Pre-pull to nodes (Kubernetes)…");
        prePullItem.setId("prepull-menu");
        prePullItem.setOnAction(event -> prePull.accept(reference(row.getItem())));
        javafx.scene.control.Menu copyTo = new javafx.scene.control.Menu("Copy to");
        copyTo.setId("copy-to-menu");
        ContextMenu menu = new ContextMenu(details, copyId, copyReference, whereItem, prePullItem, copyTo, combineItem,
                delete);
        menu.setOnShowing(event -> {
            // offered while the kubeconfig has contexts; a dangling image has no name to look for
            whereItem.setVisible(where != null && whereOffered.get());
            whereItem.setDisable(row.getItem() == null || row.getItem().image().dangling());
            prePullItem.setVisible(prePull != null && whereOffered.get());
            prePullItem.setDisable(whereItem.isDisable());
            combineItem.setVisible(combine != null); // rows are made before it is offered
            copyTo.getItems().clear();
            ImageTable.Row item = row.getItem();
            boolean named = item != null && !item.image().dangling();
            if (copyTargets != null && named) {
                copyTargets.apply(reference(item)).forEach(target -> {
                    MenuItem choice = new MenuItem(target.getKey());
                    choice.setOnAction(e -> target.getValue().run());
                    copyTo.getItems().add(choice);
                });
            }
            copyTo.setVisible(copyTargets != null);
            copyTo.setDisable(copyTo.getItems().isEmpty());
        });
        return menu;
    }

    private static String reference(ImageTable.Row row) {
        return row.repository() + ":" + row.tag();
    }

    private static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /**
     * Offers "Copy to" in an image's menu: {@code targets} gives, for an image's name, each other
     * endpoint (label) and what choosing it starts (no I/O: called while the menu opens).
     */
    public void onCopyTo(java.util.function.Function<String, java.util.List<java.util.Map.Entry<String, Runnable>>> targets) {
        this.copyTargets = targets;
    }

    /**
     * Offers "Where is this image? (Kubernetes)…" in an image's menu and in its details while
     * {@code offered} is true (the kubeconfig has contexts); {@code open} gets the image's name.
     */
    void onWhere(javafx.beans.value.ObservableBooleanValue offered, java.util.function.Consumer<String> open) {
        this.whereOffered = offered;
        this.where = open;
        actions.offerWhere(offered, open);
    }

    /**
     * Offers "Pre-pull to nodes (Kubernetes)…" in an image's menu while the kubeconfig has contexts
     * (as "Where is this image?" is offered); {@code open} gets the image's name.
     */
    void onPrePull(java.util.function.Consumer<String> open) {
        this.prePull = open;
    }

    /**
     * Offers "Combine into a multi-arch image…" in an image's menu; {@code open} gets the names of
     * the chosen images (set before the window is shown).
     */
    public void onCombine(java.util.function.Consumer<java.util.List<String>> open) {
        this.combine = open;
    }

    /** F5 and Refresh: every endpoint, and the chosen cluster. */
    private void refreshAll() {
        model.refreshAll();
        if (clusters != null) {
            clusters.refresh();
        }
    }

    /**
     * Offers the kubeconfig's contexts in the rail under the endpoints (issue 16): choosing one
     * shows {@code view} (its nodes) in the images' place and clears the endpoint's selection;
     * choosing an endpoint brings the images back. The section shows only when there are contexts
     * (or the kubeconfig could not be read, said in one line).
     */
    void showClusters(io.gantry.ui.cluster.ClustersViewModel clusters, io.gantry.ui.cluster.ClusterView view) {
        this.clusters = clusters;
        clusterList.setItems(clusters.contexts());
        clusterList.setCellFactory(list -> new ClusterCell());
        clusterError.textProperty().bind(clusters.contextsErrorProperty());
        clusterError.visibleProperty().bind(clusters.contextsErrorProperty().isNotEmpty());
        clusterError.managedProperty().bind(clusterError.visibleProperty());
        clusterList.visibleProperty().bind(Bindings.isNotEmpty(clusters.contexts()));
        clusterList.managedProperty().bind(clusterList.visibleProperty());
        clusterBox.visibleProperty().bind(Bindings.isNotEmpty(clusters.contexts())
                .or(clusters.contextsErrorProperty().isNotEmpty()));
        clusterBox.managedProperty().bind(clusterBox.visibleProperty());
        // the list is as tall as its entries, up to four; the endpoints keep the rest
        clusterList.prefHeightProperty().bind(Bindings.createDoubleBinding(
                () -> Math.min(4, Math.max(1, clusters.contexts().size())) * 64.0 + 4, clusters.contexts()));
        // the status bar speaks of the cluster while one is shown, of the endpoint otherwise
        javafx.beans.binding.BooleanBinding clusterShown = clusters.selectedProperty().isNotNull();
        statusBar.textProperty().bind(Bindings.when(clusterShown).then(clusters.statusProperty())
                .otherwise(model.statusProperty()));
        statusBar.progressProperty().bind(Bindings.when(clusterShown.and(clusters.busyProperty())
                .or(clusterShown.not().and(model.busyProperty()))).then(-1.0).otherwise(0.0));
        clusterList.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            clusters.selectedProperty().set(now);
            if (now != null) {
                endpointList.getSelectionModel().clearSelection();
                railSplit.getItems().set(1, view.root());
            }
        });
        endpointList.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                clusterList.getSelectionModel().clearSelection();
                railSplit.getItems().set(1, mainSplit);
            }
        });
    }

    /** A cluster in the rail: icon, context name, and what Gantry knows of its API server. */
    private static final class ClusterCell extends ListCell<io.gantry.ui.cluster.ClusterItem> {
        @Override
        protected void updateItem(io.gantry.ui.cluster.ClusterItem item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            io.gantry.engine.cluster.KubeContext context = item.context();
            Label name = new Label(PeerCells.text(context.name()));
            name.getStyleClass().add("endpoint-name");
            name.setId("cluster-name");
            name.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            Label detail = new Label();
            detail.getStyleClass().add("endpoint-detail");
            detail.setId("cluster-state");
            detail.setWrapText(true);
            detail.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            javafx.beans.binding.DoubleBinding lineWidth = getListView().widthProperty().subtract(EndpointCell.TEXT_INSET);
            detail.textProperty().bind(Bindings.createStringBinding(() -> RailText.fit(java.util.stream.Stream.of(
                            context.current() ? "current" : "", stateText(item.stateProperty().get()),
                            item.summaryProperty().get().replace(" ", "\u00A0")).filter(part -> !part.isEmpty()).toList(),
                            lineWidth.get(),
                            EndpointCell.widthIn(detail)),
                    item.stateProperty(), item.summaryProperty(), lineWidth, detail.fontProperty()));
            VBox text = new VBox(name, detail);
            text.maxWidthProperty().bind(lineWidth);
            HBox box = new HBox(8, new FontIcon(Feather.CLOUD), text);
            box.getStyleClass().add("endpoint-cell");
            setText(null);
            setGraphic(box);
            setTooltip(new Tooltip(PeerCells.text("Kubernetes context " + context.name() + "\n" + context.server()
                    + "\nuser " + context.user() + ", namespace " + context.namespaceOrDefault() + "\n" + context.file())));
        }

        private static String stateText(io.gantry.ui.cluster.ClusterItem.State state) {
            return switch (state) {
                case NOT_READ -> "";
                case CONNECTING -> "connecting…";
                case CONNECTED -> ""; // the node count says it
                case DISCONNECTED -> "not answering";
            };
        }
    }

    /** The rail's width now, for remembering it. */
    double railWidth() {
        return railScroll.getWidth();
    }

    /** Gives the rail {@code width} pixels once the window is laid out (the divider's position is a fraction). */
    void railWidth(double width) {
        javafx.beans.InvalidationListener[] once = new javafx.beans.InvalidationListener[1];
        once[0] = obs -> {
            if (railSplit.getWidth() > 0) {
                railSplit.widthProperty().removeListener(once[0]);
                railSplit.setDividerPosition(0, Math.min(0.6, width / railSplit.getWidth()));
            }
        };
        railSplit.widthProperty().addListener(once[0]);
    }

    /** The pull panel's height until the user drags its divider. */
    static final double DEFAULT_PULL_PANEL_HEIGHT = 220;
    /** The pull panel's height the user chose (the last one while it was shown), or the default. */
    private double pullPanelHeight = DEFAULT_PULL_PANEL_HEIGHT;

    /** The pull panel's height now (or when it was last shown), for remembering it. */
    double pullPanelHeight() {
        if (pullSplit.getItems().contains(pullPanel) && pullPanel.getHeight() > 0) {
            pullPanelHeight = pullPanel.getHeight();
        }
        return pullPanelHeight;
    }

    /** Gives the pull panel {@code height} pixels whenever it is shown (until the user drags its divider). */
    void pullPanelHeight(double height) {
        pullPanelHeight = height;
        if (pullSplit.getItems().contains(pullPanel)) {
            placePullDivider();
        }
    }

    /**
     * The pull panel is an item of the vertical split only while shown (a SplitPane keeps room and
     * a divider for a hidden item); it comes back at the height it had, never more than half the split.
     */
    private void showPullPanel(boolean shown) {
        boolean there = pullSplit.getItems().contains(pullPanel);
        if (shown && !there) {
            pullSplit.getItems().add(pullPanel);
            placePullDivider();
        } else if (!shown && there) {
            pullPanelHeight(); // remember the height the user left it at
            pullSplit.getItems().remove(pullPanel);
        }
    }

    private void placePullDivider() {
        if (pullSplit.getHeight() > 0) {
            double height = Math.min(pullPanelHeight, pullSplit.getHeight() / 2);
            pullSplit.setDividerPosition(0, 1 - height / pullSplit.getHeight());
            return;
        }
        javafx.beans.InvalidationListener[] once = new javafx.beans.InvalidationListener[1];
        once[0] = obs -> {
            if (pullSplit.getHeight() > 0) {
                pullSplit.heightProperty().removeListener(once[0]);
                placePullDivider();
            }
        };
        pullSplit.heightProperty().addListener(once[0]);
    }

    /** The images table, for views that add to it (the update column). */
    TableView<ImageTable.Row> imagesTable() {
        return imagesTable;
    }

    /** The endpoint selected now, for remembering it. */
    Optional<String> selectedEndpointId() {
        // a disconnected endpoint is not remembered, so the next start opens on one that answered
        return java.util.stream.Stream.concat(java.util.stream.Stream.ofNullable(model.selectedEndpointProperty().get()),
                        model.endpoints().stream())
                .filter(item -> item.stateProperty().get() != EndpointItem.State.DISCONNECTED)
                .findFirst()
                .map(item -> item.endpoint().id());
    }

    private static <T> Callback<TableColumn.CellDataFeatures<ImageTable.Row, T>, ObservableValue<T>> cell(
            Function<ImageTable.Row, T> getter) {
        return io.gantry.ui.PeerCells.cell(getter); // peer text cleaned
    }

    private static <T> TableCell<ImageTable.Row, T> formatted(Function<T, String> format) {
        return new TableCell<>() {
            @Override
            protected void updateItem(T value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null : format.apply(value));
            }
        };
    }

    /** Whether the endpoint selected in the rail has {@code capability}. */
    private boolean can(Capability capability) {
        EndpointItem selected = model.selectedEndpointProperty().get();
        return selected != null && selected.capabilities().has(capability);
    }

    /**
     * The endpoint list as tall as all its entries (a list's own preferred height is a fixed 400 px,
     * and the rail used to give it only what the NAMESPACE picker and the node gauge left: about one
     * entry at 900x600 with the pull panel open). Each entry is measured as the list measures it (its
     * shown cell, or the list's measuring cell at the list's width); the rail gives the list that
     * height first and scrolls as a whole when the window is lower than the entries, the picker and
     * the gauge together.
     */
    private static final class EndpointListSkin extends javafx.scene.control.skin.ListViewSkin<EndpointItem> {

        EndpointListSkin(ListView<EndpointItem> list) {
            super(list);
            // an entry's lines change with its state and figures, their wrapping with the width: measure again
            javafx.beans.InvalidationListener remeasure = obs -> list.requestLayout();
            list.getItems().forEach(item -> follow(item, remeasure));
            list.getItems().addListener((javafx.collections.ListChangeListener<EndpointItem>) change -> {
                while (change.next()) {
                    change.getAddedSubList().forEach(item -> follow(item, remeasure));
                }
                list.requestLayout();
            });
            list.widthProperty().addListener(remeasure);
        }

        private static void follow(EndpointItem item, javafx.beans.InvalidationListener remeasure) {
            item.stateProperty().addListener(new javafx.beans.WeakInvalidationListener(remeasure));
            item.summaryProperty().addListener(new javafx.beans.WeakInvalidationListener(remeasure));
        }

        @Override
        protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
            javafx.scene.control.skin.VirtualFlow<?> flow = getVirtualFlow();
            double height = top + bottom;
            for (int i = 0; i < getSkinnable().getItems().size(); i++) {
                height += flow.getCell(i).getLayoutBounds().getHeight();
            }
            return Math.ceil(height) + 2; // no scroll bar for a rounding error
        }
    }

    /** A rail entry: icon, name, state and a summary line. */
    private static final class EndpointCell extends ListCell<EndpointItem> {
        private final javafx.beans.value.ObservableBooleanValue compact;

        EndpointCell(javafx.beans.value.ObservableBooleanValue compact) {
            this.compact = compact;
            // the list's height is the sum of its cells' (EndpointListSkin), known only once the cells are
            // laid out: when one changes height (an engine line left out or back, a line that wraps), the
            // list measures again. After this layout pass: a request made during it is dropped (the
            // rail's parents are laying out), and the list kept the old sum (28 px too tall at 1200x720)
            heightProperty().addListener(obs -> {
                ListView<EndpointItem> list = getListView();
                if (list != null) {
                    javafx.application.Platform.runLater(list::requestLayout);
                }
            });
        }

        /**
         * The list's width less the icon, its gap and the cell's padding: the width of an entry's text
         * (the list never scrolls itself, EndpointListSkin; when the rail scrolls, the list is narrower).
         */
        private static final double TEXT_INSET = 54;

        @Override
        protected void updateItem(EndpointItem item, boolean empty) {
            super.updateItem(item, empty);
            textProperty().unbind();
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            FontIcon icon = new FontIcon(item.capabilities().daemon() ? Feather.SERVER : Feather.ARCHIVE);
            Label name = new Label(item.endpoint().name());
            name.getStyleClass().add("endpoint-name");
            name.setId("endpoint-name");
            // a long name keeps both ends ("rancher-desktop…k3s-node"); the tooltip has it whole
            name.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            // line 2: state, image count and disk use; line 3: the engine's version, so a long one never hides the figures
            Label detail = new Label();
            detail.getStyleClass().addAll("endpoint-detail", "endpoint-usage");
            detail.setId("endpoint-usage");
            // a narrow rail breaks the lines between figures (RailText), never at a "·" nor inside "6 images";
            // wrapping stays on for a single figure wider than the rail
            detail.setWrapText(true);
            detail.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // the cell grows with the lines
            javafx.beans.binding.DoubleBinding lineWidth = getListView().widthProperty().subtract(TEXT_INSET);
            detail.textProperty().bind(Bindings.createStringBinding(
                    () -> RailText.fit(parts(stateText(item.stateProperty().get()) + RailText.SEPARATOR
                                    + usageLine(item.summaryProperty().get())), lineWidth.get(), widthIn(detail)),
                    item.stateProperty(), item.summaryProperty(), lineWidth, detail.fontProperty()));
            Label engine = new Label();
            engine.getStyleClass().addAll("endpoint-detail", "endpoint-engine");
            engine.setId("endpoint-engine");
            engine.setWrapText(true); // "Docker Engine 20.10.24 · API 1.41" whole, on two lines in a narrow rail
            engine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            engine.textProperty().bind(Bindings.createStringBinding(
                    () -> item.stateProperty().get() == EndpointItem.State.DISCONNECTED ? ""
                            : RailText.fit(parts(engineLine(item.summaryProperty().get())), lineWidth.get(),
                                    widthIn(engine)),
                    item.stateProperty(), item.summaryProperty(), lineWidth, engine.fontProperty()));
            // short of room the engine line is left out (MainController.fitRail); the tooltip still has it
            engine.managedProperty().bind(engine.textProperty().isNotEmpty().and(Bindings.not(compact)));
            engine.visibleProperty().bind(engine.managedProperty());
            VBox text = new VBox(name, detail, engine);
            text.maxWidthProperty().bind(lineWidth); // ellipsize, never scroll sideways
            HBox box = new HBox(8, icon, text);
            box.getStyleClass().add("endpoint-cell");
            setText(null);
            setGraphic(box);
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(Bindings.createStringBinding(() -> item.endpoint().name() + "\n"
                    + item.endpoint().address() + (engine.getText().isEmpty() ? "" : "\n" + engineLine(
                    item.summaryProperty().get())), engine.textProperty(), item.summaryProperty()));
            setTooltip(tip);
        }

        private static String stateText(EndpointItem.State state) {
            return switch (state) {
                case EMBEDDED -> "embedded";
                case CONNECTING -> "connecting…";
                case CONNECTED -> "connected";
                case DISCONNECTED -> "disconnected";
            };
        }

        /**
         * The summary ends with "N images · SIZE" (MainViewModel.summaryOf); the rail shows that part
         * after the state, and the engine's version on a line of its own so a long one never hides it.
         */
        private static String usageLine(String summary) {
            int cut = usageStart(summary);
            return cut < 0 ? "" : summary.substring(cut);
        }

        /** "Docker Engine 20.10.24 · API 1.41" of the summary; empty for the embedded store or "not answering". */
        private static String engineLine(String summary) {
            int cut = usageStart(summary);
            return cut < 0 ? "" : summary.substring(0, Math.max(0, cut - 3));
        }

        private static int usageStart(String summary) {
            // the count is grouped by the locale ("10,000 images", "10 000 images")
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(^|· )(\\d[\\d.,'\u00A0\u202F]* images?( · \\S+)?)$")
                    .matcher(summary);
            return m.find() ? m.start(2) : -1;
        }

        /** The figures of a line ("connected · 6 images · 11.1MB"), each kept whole ("6\u00A0images", "API\u00A01.41"). */
        private static java.util.List<String> parts(String line) {
            return java.util.Arrays.stream(line.split(" · ")).map(String::strip)
                    .map(part -> part.replaceAll("(\\d) (images?)", "$1\u00A0$2").replace("API ", "API\u00A0")).toList();
        }

        /** The width of a text in {@code label}'s font. */
        static java.util.function.ToDoubleFunction<String> widthIn(Label label) {
            javafx.scene.text.Text probe = new javafx.scene.text.Text();
            return text -> {
                probe.setFont(label.getFont());
                probe.setText(text);
                return probe.getLayoutBounds().getWidth();
            };
        }
    }
}
