package io.gantry.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PullRequest;
import io.gantry.service.ImageTable;
import io.gantry.service.settings.Settings;
import io.gantry.service.settings.SettingsStore;
import io.gantry.ui.pull.PullPanelController;
import io.gantry.ui.pull.PullsViewModel;
import io.gantry.ui.pull.RegistryTargetDialog;
import io.gantry.ui.pull.UpdateMarks;
import io.gantry.ui.search.SearchBarController;
import io.gantry.ui.search.SearchViewModel;
import io.gantry.ui.search.SearchWindow;
import io.gantry.ui.settings.SettingsDialog;
import io.gantry.ui.settings.SettingsViewModel;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.controlsfx.control.Notifications;
import org.slf4j.LoggerFactory;

/**
 * Builds the main window from {@code MainView.fxml} and wires the views around it (search bar,
 * search window, pull panel, settings, update marks); used by the app and by the GUI tests.
 */
public final class MainWindow {

    public static final String TITLE = "Gantry";
    /** The endpoint rail's width until the user drags it. */
    static final double DEFAULT_RAIL_WIDTH = 210;

    private MainWindow() {
    }

    /** Puts the main scene on {@code stage}, restores its last bounds and shows it. */
    public static void show(Stage stage, DesktopContext context) {
        open(stage, context);
    }

    /** The last "Copy to" entry: a registry, typed in {@link RegistryTargetDialog}. */
    static final String COPY_TO_REGISTRY = "A registry…";

    /**
     * "Copy to" for the image {@code name} of the endpoint selected in the rail: every other endpoint
     * that can load images; a containerd in each namespace known without asking it (the menu opens
     * on the FX thread): for the selected containerd, every namespace its selector lists, for another
     * one the namespace it shows, for both {@code k8s.io} (the Kubernetes node's); and, when the
     * endpoint can push, a registry ({@link #COPY_TO_REGISTRY}: the reference is asked for). Choosing
     * one starts the copy as a card in the pull panel.
     */
    private static java.util.List<java.util.Map.Entry<String, Runnable>> copyTargets(Stage stage, DesktopContext context,
            MainViewModel model, PullsViewModel pulls, PullPanelController pullPanel, String name) {
        java.util.List<java.util.Map.Entry<String, Runnable>> targets = new java.util.ArrayList<>();
        Optional<ImageStore> selected = model.selectedStore();
        ImageReference reference;
        try {
            reference = ImageReference.parse(name);
        } catch (RuntimeException e) {
            return targets;
        }
        if (selected.isEmpty()) {
            return targets;
        }
        ImageStore from = selected.get();
        for (io.gantry.engine.Endpoint endpoint : context.catalog().endpoints()) {
            ImageStore to = context.catalog().store(endpoint.id());
            if (!to.capabilities().has(io.gantry.engine.Capabilities.Capability.LOAD)) {
                continue;
            }
            boolean same = endpoint.id().equals(from.endpoint().id());
            if (!to.capabilities().namespaces()) {
                if (!same) {
                    targets.add(java.util.Map.entry(endpoint.name(), () -> {
                        pulls.copy(from, reference, to, false);
                        pullPanel.show();
                    }));
                }
                continue;
            }
            java.util.Set<String> namespaces = new java.util.LinkedHashSet<>();
            to.namespace().ifPresent(namespaces::add);
            if (same) {
                namespaces.addAll(model.namespaces());
            }
            namespaces.add("k8s.io");
            for (String namespace : namespaces) {
                if (same && from.namespace().equals(Optional.of(namespace))) {
                    continue;
                }
                // the catalog's store stays open; a store opened for another namespace closes after the copy
                boolean shown = to.namespace().equals(Optional.of(namespace));
                targets.add(java.util.Map.entry(endpoint.name() + " [" + namespace + "]", () -> {
                    pulls.copy(from, reference, shown ? to : to.inNamespace(namespace), !shown);
                    pullPanel.show();
                }));
            }
        }
        if (from.capabilities().push()) {
            // the image's own name is where an engine pushes it; a Docker Hub name is left for the user to type
            String suggested = reference.registry().equals(ImageReference.DOCKER_HUB) ? "" : reference.familiar();
            Optional<String> tagsOn = io.gantry.service.ImageCopier.tagsBeforePush(from)
                    ? Optional.of(from.endpoint().name()) : Optional.empty();
            targets.add(java.util.Map.entry(COPY_TO_REGISTRY, () -> new RegistryTargetDialog(stage, reference.familiar(),
                    suggested, tagsOn, Views.stylesheets(), target -> {
                        pulls.copyToRegistry(from, reference, target);
                        pullPanel.show();
                    }).show()));
        }
        return targets;
    }

    /** As {@link #show}, returning the window's parts for tests and screenshots. */
    public static Parts open(Stage stage, DesktopContext context) {
        Settings settings = context.settings().load();
        ObjectProperty<Settings> current = new SimpleObjectProperty<>(settings);
        FxTasks tasks = new FxTasks(context.executor());
        MainViewModel model = new MainViewModel(context.catalog(), tasks);
        model.holdLoading(); // until the first frame is laid out, see below
        MainController controller = new MainController(model, settings.lastEndpoint());
        Consumer<ErrorMessages.Message> notify = message -> notify(stage, message);

        PullsViewModel pulls = new PullsViewModel(context.pulls(), context.executor(), Platform::runLater,
                job -> model.endpointChanged(job.endpointId()), (job, error) -> notify.accept(ErrorMessages.of(error)));
        PullPanelController pullPanel = new PullPanelController(pulls);
        java.util.function.Function<PullRequest, java.util.concurrent.CompletionStage<String>> startPull = request -> {
            EndpointItem target = model.selectedEndpointProperty().get();
            if (target == null) {
                notify.accept(new ErrorMessages.Message("No endpoint", "Nothing is selected in the rail.",
                        "Choose where to pull on the left, then pull again."));
                return java.util.concurrent.CompletableFuture.completedFuture("Nothing pulled: no endpoint is selected.");
            }
            ImageStore store = context.catalog().store(target.endpoint().id());
            return PullsViewModel.ending(pulls.pull(store, request));
        };
        SearchViewModel search = new SearchViewModel(context.browser(), tasks, startPull,
                () -> current.get().defaultPlatform(), notify, () -> Optional.ofNullable(model.selectedEndpointProperty().get())
                        .map(item -> context.catalog().store(item.endpoint().id())));
        ObservableList<String> registries = FXCollections.observableArrayList(ImageReference.DOCKER_HUB);
        registries.addAll(settings.insecureRegistries());
        ObservableStringValue targetName = Bindings.createStringBinding(() -> model.selectedEndpointProperty().get() == null
                ? "…" : model.selectedEndpointProperty().get().endpoint().name(), model.selectedEndpointProperty());

        Parts parts = new Parts(stage, model, pulls, search, current);
        context.drafts().ifPresent(drafts -> {
            io.gantry.ui.manifest.CombineViewModel combine = new io.gantry.ui.manifest.CombineViewModel(drafts, tasks,
                    Platform::runLater, () -> {
                        EndpointItem item = model.selectedEndpointProperty().get();
                        return context.catalog().store(item == null ? context.catalog().endpoints().get(0).id()
                                : item.endpoint().id());
                    });
            parts.combine = combine;
            controller.onCombine(images -> parts.combineWindow().show(images));
        });
        controller.onCopyTo(name -> copyTargets(stage, context, model, pulls, pullPanel, name));
        // the kubeconfig's contexts in the rail (issue 16); read once the first frame is laid out
        Optional<io.gantry.ui.cluster.ClustersViewModel> clusters = context.clusters()
                .map(access -> new io.gantry.ui.cluster.ClustersViewModel(access, tasks));
        SearchBarController searchBar = new SearchBarController(text -> {
            search.queryProperty().set(text == null ? "" : text.trim());
            if (!search.submit()) {
                parts.searchWindow(registries, targetName).show();
            }
        }, pullPanel::show, () -> parts.settingsDialog(context).show(), pulls.runningProperty());

        stage.setTitle(TITLE);
        for (String icon : new String[] {"icons/gantry-64.png", "icons/gantry-256.png"}) {
            stage.getIcons().add(new Image(Objects.requireNonNull(MainWindow.class.getResource(icon)).toExternalForm()));
        }
        Scene scene = createScene(Map.of(MainController.class, controller, PullPanelController.class, pullPanel,
                SearchBarController.class, searchBar));
        controller.installShortcuts(scene);
        clusters.ifPresent(c -> {
            io.gantry.ui.cluster.ClusterView view = new io.gantry.ui.cluster.ClusterView(c);
            view.onPullPolicy(item -> io.gantry.ui.cluster.PolicyWindow.open(stage, new io.gantry.ui.cluster.PolicyViewModel(
                    context.clusters().orElseThrow(), tasks, item.context()), c.nodes().stream()
                    .map(row -> row.node().name()).toList()));
            view.onPullSecrets(item -> io.gantry.ui.cluster.PullSecretWindow.open(stage,
                    new io.gantry.ui.cluster.PullSecretViewModel(context.clusters().orElseThrow(), tasks, item.context())));
            controller.showClusters(c, view);
            java.util.function.BiConsumer<String, io.gantry.ui.cluster.ClusterItem> prePull = (image, in) ->
                    io.gantry.ui.cluster.PrePullWindow.open(stage, new io.gantry.ui.cluster.PrePullViewModel(
                            context.clusters().orElseThrow(), tasks, Platform::runLater), c.contexts(), in, image);
            controller.onWhere(Bindings.isNotEmpty(c.contexts()), image -> c.defaultContext().ifPresent(in ->
                    io.gantry.ui.cluster.WhereWindow.open(stage, new io.gantry.ui.cluster.WhereViewModel(
                            context.clusters().orElseThrow(), tasks), c.contexts(), in, image, prePull)));
            controller.onPrePull(image -> c.defaultContext().ifPresent(in -> prePull.accept(image, in)));
            view.onPrePull(item -> prePull.accept("", item));
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), searchBar::focus);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN), () -> {
            search.queryProperty().set(searchBar.text() == null ? "" : searchBar.text().trim());
            if (search.queryProperty().get().isEmpty() || !search.submit()) {
                parts.searchWindow(registries, targetName).show();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN),
                () -> parts.settingsDialog(context).show());

        UpdateMarks marks = new UpdateMarks(context.updates(), context.executor(), Platform::runLater);
        marks.installColumn(controller.imagesTable());
        // an invalidation listener: a listing equal to the last one must still trigger a check
        model.loadedImagesProperty().addListener(obs -> {
            List<ImageSummary> now = model.loadedImagesProperty().get();
            marks.check(now);
            // parsing a thousand references is work for a worker, not for the FX thread
            tasks.run(() -> registriesOf(now).toList(),
                    found -> found.stream().filter(r -> !registries.contains(r)).forEach(registries::add), error -> { });
        });
        parts.marks = marks;

        stage.setScene(scene);
        // never larger than the screen: the first start centres the default size on it, and
        // remembered bounds are moved and shrunk onto the screen they overlap (WindowPlacement)
        javafx.stage.Screen primary = javafx.stage.Screen.getPrimary();
        WindowPlacement place = WindowPlacement.of(settings.window(),
                javafx.stage.Screen.getScreens().stream().map(javafx.stage.Screen::getVisualBounds).toList(),
                primary.getVisualBounds());
        // the narrowest the window reads whole in (NarrowLayoutTest): every action, header and figure
        stage.setMinWidth(Math.min(900, primary.getVisualBounds().getWidth()));
        stage.setMinHeight(Math.min(560, primary.getVisualBounds().getHeight()));
        stage.setX(place.x());
        stage.setY(place.y());
        stage.setWidth(place.width());
        stage.setHeight(place.height());
        settings.window().ifPresent(bounds -> stage.setMaximized(bounds.maximized()));
        controller.railWidth(settings.window().map(Settings.WindowBounds::railWidth).filter(w -> w >= 150)
                .orElse(DEFAULT_RAIL_WIDTH));
        settings.window().map(Settings.WindowBounds::pullPanelHeight).filter(h -> h >= 90)
                .ifPresent(controller::pullPanelHeight);
        stage.setOnCloseRequest(event -> {
            pulls.cancelAll();
            marks.cancel();
            remember(stage, controller, context.settings());
        });
        logTimings(scene, model);
        stage.show();
        // the listings start once the first frame is laid out: the window never waits for a store
        onNextLayout(scene, () -> {
            model.startLoading();
            clusters.ifPresent(io.gantry.ui.cluster.ClustersViewModel::loadContexts);
        });
        return parts;
    }

    /**
     * Logs (at debug) when the first frame is laid out and when each listing's rows are laid out
     * in the table, relative to the store's answer; {@code GuiBenchmark} reads these lines.
     */
    private static void logTimings(Scene scene, MainViewModel model) {
        org.slf4j.Logger log = LoggerFactory.getLogger(MainWindow.class);
        if (!log.isDebugEnabled()) {
            return;
        }
        onNextLayout(scene, () -> {
            long now = System.currentTimeMillis();
            long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            log.debug("window shown {} ms after JVM start (JVM started at {} ms since the epoch; {} ms of CPU so far)",
                    now - jvmStart, jvmStart, processCpuMillis());
        });
        model.lastListingProperty().addListener((obs, old, timing) -> onNextLayout(scene, () -> log.debug(
                "images table: {} rows laid out {} ms after the store answered (listing took {} ms)", timing.rows(),
                (System.nanoTime() - timing.answeredNanos()) / 1_000_000, timing.listingMillis())));
    }

    /** The CPU time this process has used (all threads, from /proc on Linux; -1 elsewhere): a figure that load from other processes does not inflate. */
    private static long processCpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // utime + stime, at 100 ticks/s
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void onNextLayout(Scene scene, Runnable action) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            action.run();
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }

    /** The registries named by local images (other than Docker Hub), for the search window's registry box. */
    private static java.util.stream.Stream<String> registriesOf(List<ImageSummary> images) {
        return images.stream().flatMap(image -> image.repoTags().stream()).flatMap(tag -> {
            try {
                return java.util.stream.Stream.of(ImageReference.parse(tag).registry());
            } catch (GantryException e) {
                return java.util.stream.Stream.empty();
            }
        }).filter(registry -> !registry.equals(ImageReference.DOCKER_HUB)).distinct().sorted();
    }

    static void notify(Stage owner, ErrorMessages.Message message) {
        LoggerFactory.getLogger(MainWindow.class).info("{}", message.oneLine());
        // ControlsFX's toast does not wrap: an engine's one-line error made it wider than the screen
        Notifications.create().owner(owner).title(message.title())
                .text(wrap(message.detail(), TOAST_COLUMNS)
                        + (message.action().isEmpty() ? "" : "\n" + wrap(message.action(), TOAST_COLUMNS)))
                .hideAfter(javafx.util.Duration.seconds(10))
                .showError();
    }

    /** The toast's lines are at most this many characters long (a longer word stays whole up to twice that). */
    static final int TOAST_COLUMNS = 72;

    /** {@code text} broken at spaces into lines of at most {@code columns} characters; a longer word is cut. */
    static String wrap(String text, int columns) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            int lineLength = 0;
            for (String word : paragraph.split(" ")) {
                while (word.length() > 2 * columns) {
                    if (lineLength > 0) {
                        out.append('\n');
                    }
                    out.append(word, 0, columns).append('\n');
                    word = word.substring(columns);
                    lineLength = 0;
                }
                if (lineLength > 0 && lineLength + 1 + word.length() > columns) {
                    out.append('\n');
                    lineLength = 0;
                } else if (lineLength > 0) {
                    out.append(' ');
                    lineLength++;
                }
                out.append(word);
                lineLength += word.length();
            }
        }
        return out.toString();
    }

    /** Applies saved settings at once: theme, and the remote engines that are new join the rail. */
    private static void apply(Settings saved, DesktopContext context, MainViewModel model) {
        Theme.fromSettings(saved.theme(), System.getenv()).apply();
        List<String> known = context.catalog().endpoints().stream().map(e -> e.id()).toList();
        for (Settings.RemoteEngine engine : saved.remoteEngines()) {
            try {
                ImageStore store = context.engines().open(engine);
                if (!known.contains(store.endpoint().id()) && context.catalog().add(store)) {
                    model.addEndpoint(store.endpoint());
                } else if (known.contains(store.endpoint().id())) {
                    store.close();
                }
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(MainWindow.class).warn("engine {} could not be added: {}", engine.host(), io.gantry.core.IoProblem.describe(e));
            }
        }
    }

    private static void remember(Stage stage, MainController controller, SettingsStore store) {
        Settings settings = store.load().withWindow(new Settings.WindowBounds(
                stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized(), controller.railWidth(),
                controller.pullPanelHeight()));
        settings = controller.selectedEndpointId().map(settings::withLastEndpoint).orElse(settings);
        try {
            store.save(settings);
        } catch (GantryException e) {
            LoggerFactory.getLogger(MainWindow.class).warn("{}", e.describe());
        }
    }

    private static Scene createScene(Map<Class<?>, Object> controllers) {
        FXMLLoader loader = new FXMLLoader(MainWindow.class.getResource("MainView.fxml"));
        loader.setControllerFactory(type -> {
            Object controller = controllers.get(type);
            if (controller == null) {
                throw new IllegalArgumentException("no controller " + type);
            }
            return controller;
        });
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("MainView.fxml could not be loaded", e);
        }
        Scene scene = new Scene(root, WindowPlacement.DEFAULT_WIDTH, WindowPlacement.DEFAULT_HEIGHT);
        scene.getStylesheets().addAll(Views.stylesheets());
        return scene;
    }

    /** The main window's view models and secondary windows (created on first use). */
    public static final class Parts {
        private final Stage stage;
        private final MainViewModel model;
        private final PullsViewModel pulls;
        private final SearchViewModel search;
        private final ObjectProperty<Settings> settings;
        private SearchWindow searchWindow;
        private SettingsDialog settingsDialog;
        private UpdateMarks marks;
        private io.gantry.ui.manifest.CombineViewModel combine;
        private io.gantry.ui.manifest.CombineWindow combineWindow;

        private Parts(Stage stage, MainViewModel model, PullsViewModel pulls, SearchViewModel search,
                      ObjectProperty<Settings> settings) {
            this.stage = stage;
            this.model = model;
            this.pulls = pulls;
            this.search = search;
            this.settings = settings;
        }

        public MainViewModel model() {
            return model;
        }

        public PullsViewModel pulls() {
            return pulls;
        }

        public SearchViewModel search() {
            return search;
        }

        public UpdateMarks marks() {
            return marks;
        }

        /** The settings as last saved in this session. */
        public Settings settings() {
            return settings.get();
        }

        /** The "Combine into a multi-arch image" model; empty when the context keeps no drafts. */
        public Optional<io.gantry.ui.manifest.CombineViewModel> combine() {
            return Optional.ofNullable(combine);
        }

        /** The "Combine into a multi-arch image" window, built on first use. */
        public io.gantry.ui.manifest.CombineWindow combineWindow() {
            if (combineWindow == null) {
                combineWindow = new io.gantry.ui.manifest.CombineWindow(stage, combine, Views.stylesheets());
            }
            return combineWindow;
        }

        public Optional<SearchWindow> openSearchWindow() {
            return Optional.ofNullable(searchWindow);
        }

        SearchWindow searchWindow(ObservableList<String> registries, ObservableStringValue targetName) {
            if (searchWindow == null) {
                searchWindow = new SearchWindow(stage, search, targetName, registries, Views.stylesheets());
            }
            return searchWindow;
        }

        SettingsDialog settingsDialog(DesktopContext context) {
            if (settingsDialog == null) {
                SettingsViewModel vm = new SettingsViewModel(context.settings(), saved -> {
                    settings.set(saved);
                    apply(saved, context, model);
                });
                settingsDialog = new SettingsDialog(stage, vm, Views.stylesheets());
            }
            return settingsDialog;
        }
    }
}
