package io.gantry.ui;

import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.concurrent.Task;

/**
 * The main window's state and commands: the endpoint rail, the images of the selected endpoint
 * with their filters, and the status line. All store calls run through {@link FxTasks}.
 */
public final class MainViewModel {

    private final EndpointCatalog catalog;
    private final FxTasks tasks;

    private final ObservableList<EndpointItem> endpoints = FXCollections.observableArrayList();
    private final ObjectProperty<EndpointItem> selectedEndpoint = new SimpleObjectProperty<>();
    private final ObservableList<ImageTable.Row> images = FXCollections.observableArrayList();
    private final FilteredList<ImageTable.Row> visibleImages = new FilteredList<>(images);
    private final StringProperty filterText = new SimpleStringProperty("");
    private final ObjectProperty<ImageFilter> filter = new SimpleObjectProperty<>(ImageFilter.ALL);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Ready");
    /** The selected endpoint's line ("Embedded store: 3 images · 7.3MB"), what the status bar returns to. */
    private String endpointStatus = "Ready";
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<List<ImageSummary>> loadedImages = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyObjectWrapper<ListingTiming> lastListing = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Notice> notice = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper listingError = new ReadOnlyStringWrapper("");
    private final ObservableList<String> namespaces = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper namespace = new ReadOnlyStringWrapper("");
    /** The selected endpoint's node view (a containerd's k8s.io through the CRI); null for any other. */
    private final ReadOnlyObjectWrapper<io.gantry.engine.NodeImageCache> node = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Instant> now = new ReadOnlyObjectWrapper<>(Instant.now());
    private final io.gantry.ui.manifest.ManifestListsViewModel manifestLists;
    private Task<?> listing;
    /** The store the running {@link #listing} reads (an endpoint in one namespace). */
    private ImageStore listingStore;
    /** The endpoint whose store the running {@link #listing} reads. */
    private EndpointItem listingItem;
    /** A refresh of the store being listed was asked for meanwhile: list again once the running listing ends. */
    private boolean listAgain;
    /** How many listings were started; only the latest one's answer is shown. */
    private long listings;
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private boolean loadingHeld;
    private boolean refreshWhenStarted;
    private boolean probeWhenStarted;
    private boolean replacingRows;
    /**
     * How many rail answers each endpoint was asked for (probes, and the listing when it is
     * selected); a probe's answer is shown only if no later one was asked meanwhile. FX thread only.
     */
    private final java.util.Map<EndpointItem, Long> railAnswers = new java.util.HashMap<>();

    public MainViewModel(EndpointCatalog catalog, FxTasks tasks) {
        this.catalog = catalog;
        this.tasks = tasks;
        this.manifestLists = new io.gantry.ui.manifest.ManifestListsViewModel(tasks);
        catalog.endpoints().forEach(endpoint -> endpoints.add(itemFor(endpoint)));
        filterText.addListener((obs, old, now) -> {
            applyFilter();
            manifestLists.filter(now);
        });
        filter.addListener((obs, old, now) -> applyFilter());
        selectedEndpoint.addListener((obs, old, now) -> {
            // never another endpoint's images under this one's name: the rows go at once, the
            // table says it is loading until this endpoint answers
            images.clear();
            loading.set(now != null);
            listingError.set("");
            notice.set(null); // a notice is about the endpoint it was made on
            node.set(null);
            manifestLists.clear();
            loadNamespaces();
            refresh();
        });
    }

    public ObservableList<EndpointItem> endpoints() {
        return endpoints;
    }

    public ObjectProperty<EndpointItem> selectedEndpointProperty() {
        return selectedEndpoint;
    }

    public ObservableList<ImageTable.Row> visibleImages() {
        return visibleImages;
    }

    /** Every row of the selected endpoint, filters ignored. */
    public ObservableList<ImageTable.Row> allRows() {
        return images;
    }

    public StringProperty filterTextProperty() {
        return filterText;
    }

    public ObjectProperty<ImageFilter> filterProperty() {
        return filter;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /**
     * The images of the selected endpoint as last listed (set after each successful refresh), for
     * views that work on the whole list, such as the update check. Set anew on every listing, so
     * an invalidation listener hears each one even when the list did not change.
     */
    /**
     * When the last listing's answer arrived ({@link System#nanoTime()}), how long the store took
     * and how many rows it gave: the start-up benchmark measures from here to the laid-out table.
     */
    public record ListingTiming(int rows, long answeredNanos, long listingMillis) {
    }

    public ReadOnlyObjectProperty<ListingTiming> lastListingProperty() {
        return lastListing.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<ImageSummary>> loadedImagesProperty() {
        return loadedImages.getReadOnlyProperty();
    }

    /**
     * Adds an endpoint that joined the catalog while running (a remote engine added in the
     * settings): it appears in the rail, is probed and followed like the others.
     */
    public EndpointItem addEndpoint(Endpoint endpoint) {
        EndpointItem item = itemFor(endpoint);
        endpoints.add(item);
        probe(item);
        if (item.capabilities().events()) {
            follow(item);
        }
        return item;
    }

    private EndpointItem itemFor(Endpoint endpoint) {
        return new EndpointItem(endpoint, catalog.store(endpoint.id()).capabilities());
    }

    /** The namespaces of the selected endpoint (containerd's); empty for an endpoint without namespaces. */
    public ObservableList<String> namespaces() {
        return namespaces;
    }

    /**
     * The node's image cache when the selected endpoint shows a Kubernetes node's namespace
     * ({@code k8s.io} of a containerd with the CRI); null otherwise. Read after each listing.
     */
    public ReadOnlyObjectProperty<io.gantry.engine.NodeImageCache> nodeProperty() {
        return node.getReadOnlyProperty();
    }

    /** Reads the node view of the selected endpoint in the background, when it shows a node's namespace. */
    private void loadNode(EndpointItem item, ImageStore store) {
        if (!item.capabilities().has(io.gantry.engine.Capabilities.Capability.NODE_IMAGES)
                || !store.namespace().equals(Optional.of("k8s.io"))) {
            node.set(null);
            return;
        }
        tasks.run(store::nodeImageCache, found -> {
            if (item == selectedEndpoint.get() && store.namespace().equals(Optional.of(namespace.get()))) {
                node.set(found);
            }
        }, error -> node.set(null));
    }

    /** The namespace the selected endpoint shows; empty for an endpoint without namespaces. */
    public ReadOnlyStringProperty namespaceProperty() {
        return namespace.getReadOnlyProperty();
    }

    /** Asks the selected endpoint for its namespaces in the background (none when it has no namespaces). */
    public void loadNamespaces() {
        EndpointItem item = selectedEndpoint.get();
        if (item == null || !item.capabilities().namespaces()) {
            namespaces.clear();
            namespace.set("");
            return;
        }
        ImageStore store = catalog.store(item.endpoint().id());
        namespace.set(store.namespace().orElse(""));
        tasks.run(store::namespaces, found -> {
            if (item != selectedEndpoint.get()) {
                return;
            }
            List<String> all = new java.util.ArrayList<>(found);
            store.namespace().filter(n -> !all.contains(n)).ifPresent(all::add); // not created until first used
            all.sort(null);
            namespaces.setAll(all);
            namespace.set(store.namespace().orElse(""));
        }, error -> namespaces.setAll(store.namespace().stream().toList()));
    }

    /**
     * Shows {@code name} of the selected endpoint's namespaces: the catalog's store for it is
     * replaced by the same endpoint in that namespace, and the images are listed again.
     */
    public void chooseNamespace(String name) {
        EndpointItem item = selectedEndpoint.get();
        if (item == null || name == null || name.isBlank() || !item.capabilities().namespaces()) {
            return;
        }
        ImageStore store = catalog.store(item.endpoint().id());
        if (store.namespace().equals(Optional.of(name))) {
            return;
        }
        catalog.replace(store.inNamespace(name));
        namespace.set(name);
        images.clear(); // another namespace's images
        loading.set(true);
        refresh();
    }

    /** The store of the selected endpoint, if one is selected. */
    public Optional<ImageStore> selectedStore() {
        return Optional.ofNullable(selectedEndpoint.get()).map(item -> catalog.store(item.endpoint().id()));
    }

    /**
     * The manifest lists the selected endpoint keeps apart from its images (Podman's), read after
     * each listing; none where it keeps none.
     */
    public io.gantry.ui.manifest.ManifestListsViewModel manifestLists() {
        return manifestLists;
    }

    /** The task helper every view of this window runs its background work through. */
    public FxTasks tasks() {
        return tasks;
    }

    /** Whether the rows are being replaced by a refresh (a selection cleared meanwhile is not the user's). */
    public boolean replacingRows() {
        return replacingRows;
    }

    /**
     * The time relative figures ("8 minutes ago") are shown against: set by each listing and moved
     * on by the window's clock ({@link #tick}), so CREATED advances without a refresh.
     */
    public ReadOnlyObjectProperty<Instant> nowProperty() {
        return now.getReadOnlyProperty();
    }

    /** Moves the time relative figures are shown against to {@code instant}. */
    public void tick(Instant instant) {
        now.set(instant);
    }

    /**
     * Whether the selected endpoint's images are being listed and none of them are shown yet (just
     * selected, or another namespace chosen): the table says "Loading images from …".
     */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Why the selected endpoint's images could not be listed (readable, no class names); empty when they were. */
    public ReadOnlyStringProperty listingErrorProperty() {
        return listingError.getReadOnlyProperty();
    }

    /** The message the window shows in its banner; null when there is none. */
    public ReadOnlyObjectProperty<Notice> noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /**
     * Shows a readable notice: what happened and what to do. It goes when another endpoint is
     * selected; a success ("Deleted … reclaimed 524MB") also goes once the endpoint's images change
     * after it (a pull, a tag in a terminal), when it no longer describes what the list shows.
     */
    public void notify(Notice value) {
        noticeRows = null;
        notice.set(value);
    }

    /** Shows a failure of {@code what} as a notice, worded from the structured error. */
    public void notifyFailure(String what, Throwable error) {
        notify(Notice.failure(what, error));
    }

    public void dismissNotice() {
        notice.set(null);
    }

    /** The rows the first listing after a success notice showed; a listing that differs ends the notice. */
    private java.util.Set<String> noticeRows;

    private void noticeSeesListing(List<ImageTable.Row> rows) {
        Notice shown = notice.get();
        if (shown == null || shown.level() != Notice.Level.SUCCESS) {
            return;
        }
        java.util.Set<String> now = new java.util.HashSet<>();
        rows.forEach(row -> now.add(row.image().id() + " " + row.repository() + ":" + row.tag()));
        if (noticeRows == null) {
            noticeRows = now; // the state the notice describes
        } else if (!noticeRows.equals(now)) {
            notice.set(null);
        }
    }

    /** Shows progress of a long action in the status bar. */
    public void showProgress(String text) {
        busy.set(true);
        status.set(text);
    }

    /** Ends a long action: the status bar says how it went. */
    public void showDone(String text) {
        busy.set(false);
        status.set(text);
    }

    /**
     * Ends a long action whose result its own view shows (the Layers tab's file analysis): the status
     * bar goes back to the selected endpoint's line rather than keep a line about one image.
     */
    public void showEndpointStatus() {
        busy.set(false);
        status.set(endpointStatus);
    }

    /** The endpoint to select first: the one selected last time if it is still there, else the first. */
    public Optional<EndpointItem> preferredEndpoint(Optional<String> lastEndpointId) {
        return lastEndpointId
                .flatMap(id -> endpoints.stream().filter(item -> item.endpoint().id().equals(id)).findFirst())
                .or(() -> endpoints.stream().findFirst());
    }

    /**
     * Until {@link #startLoading()}, {@link #refresh()} and {@link #probeEndpoints()} only take note:
     * the window lays out its first frame without the stores' listings competing for the CPU (on two
     * cores a listing of 1,000 images delayed the first frame by a second).
     */
    public void holdLoading() {
        loadingHeld = true;
    }

    /** Runs the refresh and probes asked for while loading was held. */
    public void startLoading() {
        if (!loadingHeld) {
            return;
        }
        loadingHeld = false;
        if (refreshWhenStarted) {
            refreshWhenStarted = false;
            refresh();
        }
        if (probeWhenStarted) {
            probeWhenStarted = false;
            probeEndpoints();
        }
    }

    /** Asks every other endpoint whether it answers, so the rail shows connected or disconnected. */
    public void probeEndpoints() {
        if (loadingHeld) {
            probeWhenStarted = true;
            return;
        }
        for (EndpointItem item : endpoints) {
            if (item == selectedEndpoint.get()) {
                continue; // refresh() is already listing it
            }
            probe(item);
        }
    }

    /**
     * F5 and the refresh button: reloads the selected endpoint's images and asks every other
     * endpoint for its rail summary again, so no count in the rail stays behind.
     */
    public void refreshAll() {
        refresh();
        probeEndpoints();
    }

    /**
     * Something changed on endpoint {@code endpointId} (a pull ended there): the list if it is the
     * selected one, else its rail summary.
     */
    public void endpointChanged(String endpointId) {
        for (EndpointItem item : endpoints) {
            if (item.endpoint().id().equals(endpointId)) {
                if (item == selectedEndpoint.get()) {
                    refresh();
                } else if (!loadingHeld) {
                    probe(item);
                }
            }
        }
    }

    /**
     * Asks an unselected endpoint for its rail summary. Probes of one endpoint can overlap (one an
     * event asked for during a copy into it, then the copy's own at its end), and the older one,
     * which read the store before the copy was in it, can answer last: only the answer of the
     * latest probe asked is shown ({@link #railAnswers}).
     */
    private void probe(EndpointItem item) {
        ImageStore store = catalog.store(item.endpoint().id());
        long asked = railAnswers.merge(item, 1L, Long::sum);
        tasks.run(() -> summarize(store), summary -> {
            if (railAnswers.get(item) == asked) {
                item.update(EndpointItem.State.CONNECTED, summary);
            }
        }, error -> {
            if (railAnswers.get(item) == asked) {
                item.update(EndpointItem.State.DISCONNECTED, "not answering");
            }
        });
    }

    /**
     * Follows the live changes of every endpoint that reports them ({@code EVENTS}: an engine's
     * events, the embedded store's change watch, which sees a {@code gantry pull} or {@code tag}
     * in a terminal too), so the rail and the list stay current when things change outside the
     * window: an engine that stops answering turns disconnected, and connected again (with a fresh
     * summary) when it is back; changes on the selected endpoint reload its images, at most once
     * per {@link #EVENT_REFRESH_DELAY_MS} ms. The catalog closes the
     * subscriptions with its stores.
     */
    public void followEndpoints() {
        for (EndpointItem item : endpoints) {
            if (item.capabilities().events()) {
                follow(item);
            }
        }
    }

    private void follow(EndpointItem item) {
        ImageStore store = catalog.store(item.endpoint().id());
        store.subscribe(new StoreEventListener() {
            @Override
            public void onEvent(StoreEvent event) {
                onFxThread(() -> changedSoon(item));
            }

            @Override
            public void onConnected() {
                onFxThread(() -> {
                    if (item.stateProperty().get() == EndpointItem.State.DISCONNECTED) {
                        if (item == selectedEndpoint.get()) {
                            refresh();
                        } else {
                            probe(item);
                        }
                    }
                });
            }

            @Override
            public void onDisconnected(GantryException error) {
                onFxThread(() -> item.update(EndpointItem.State.DISCONNECTED, "not answering"));
            }
        });
    }

    static final long EVENT_REFRESH_DELAY_MS = 300;

    /** The endpoints that changed and whose follow-up ({@link #changedSoon}) has not run yet. */
    private final java.util.Set<EndpointItem> changesPending = new java.util.HashSet<>();

    /**
     * {@code item} changed (an event): at most once per {@link #EVENT_REFRESH_DELAY_MS} ms, its
     * images are listed again if it is selected then, else its rail summary is asked for. Which one
     * is decided when the delay ends: an endpoint left meanwhile still gets its new count.
     */
    private void changedSoon(EndpointItem item) {
        if (!changesPending.add(item)) {
            return;
        }
        tasks.run(() -> {
            Thread.sleep(EVENT_REFRESH_DELAY_MS);
            return null;
        }, ignored -> {
            changesPending.remove(item);
            if (item == selectedEndpoint.get()) {
                refresh();
            } else if (!loadingHeld) {
                probe(item);
            }
        }, error -> changesPending.remove(item));
    }

    /** Runs {@code action} on the FX thread, through the one task helper. */
    private void onFxThread(Runnable action) {
        tasks.run(() -> null, ignored -> action.run(), error -> { });
    }

    /** "Docker Engine 20.10.24 · API 1.41 · 3 images · 128MB" for an engine; the embedded store has no version line. */
    private static String summarize(ImageStore store) {
        ImageStore.Listing listing = store.listWithDiskUsage();
        String images = summaryOf(listing.images(), listing.diskUsage());
        return engineLine(store) + images;
    }

    /** "Docker Engine 20.10.24 · API 1.41 · " for a daemon (it is asked), empty for the embedded store. */
    private static String engineLine(ImageStore store) {
        if (!store.capabilities().daemon()) {
            return "";
        }
        EngineInfo info = store.info();
        return info.product() + " " + info.version() + " · API " + info.apiVersion() + " · ";
    }

    /**
     * "3 images · 128MB" for the rail and the status bar: the disk use counts each layer once, as
     * {@code docker system df} does; "3 images" alone when the endpoint cannot say.
     */
    static String summaryOf(List<ImageSummary> list, OptionalLong diskUsage) {
        String count = Counts.of(list.size(), "image");
        return diskUsage.isPresent() ? count + " · " + ImageTable.humanSize(diskUsage.getAsLong()) : count;
    }

    /**
     * Reloads the selected endpoint's images. A listing of another endpoint (or namespace) still
     * running is cancelled; one of the same store is left to finish and followed by another, so a
     * stream of engine events can never keep restarting a slow listing that then never ends.
     */
    public void refresh() {
        EndpointItem item = selectedEndpoint.get();
        if (item == null) {
            return;
        }
        busy.set(true);
        status.set("Loading images from " + item.endpoint().name() + "…");
        if (loadingHeld) {
            refreshWhenStarted = true;
            return;
        }
        ImageStore store = catalog.store(item.endpoint().id());
        if (listing != null && !listing.isDone() && listingStore == store) {
            listAgain = true;
            return;
        }
        if (listing != null && !listing.isDone() && listingItem != item && endpoints.contains(listingItem)) {
            probe(listingItem); // the endpoint left before its listing answered: its rail line still needs the answer
        }
        if (listing != null) {
            listing.cancel();
        }
        listAgain = false;
        listingStore = store;
        listingItem = item;
        long generation = ++listings;
        long asked = System.nanoTime();
        long[] answered = new long[1];
        listing = tasks.run(() -> {
            ImageStore.Listing both = store.listWithDiskUsage();
            List<ImageSummary> list = both.images();
            answered[0] = System.nanoTime();
            OptionalLong disk = both.diskUsage();
            String engine;
            try {
                engine = engineLine(store); // the rail shows the selected engine's version too
            } catch (RuntimeException versionUnknown) {
                engine = "";
            }
            Instant at = Instant.now();
            // the rows are made here too, so the FX thread only swaps them in
            // the names' sort keys too; the rows share each distinct name, age and key
            ImageTable.Names names = new ImageTable.Names(java.text.Collator.getInstance());
            return new Listed(list, list.stream().flatMap(image -> ImageTable.rows(image, at, names).stream()).toList(),
                    disk, at, engine);
        }, listed -> {
            if (generation != listings) {
                return; // a later listing was asked for (cancelling a task that has finished does not stop its callback)
            }
            List<ImageSummary> list = listed.images();
            listingError.set("");
            now.set(listed.at());
            replacingRows = true;
            try {
                images.setAll(listed.rows());
            } finally {
                replacingRows = false;
            }
            noticeSeesListing(listed.rows());
            String summary = summaryOf(list, listed.diskUsage());
            railAnswers.merge(item, 1L, Long::sum); // newer than any probe asked before it was selected
            item.update(EndpointItem.State.CONNECTED, listed.engine() + summary);
            endpointStatus = item.endpoint().name() + ": " + summary;
            status.set(endpointStatus);
            busy.set(false);
            loadedImages.set(List.copyOf(list));
            manifestLists.load(store, loadedImages.get()); // each listing reads the lists again
            lastListing.set(new ListingTiming(images.size(), answered[0], (answered[0] - asked) / 1_000_000));
            loadNode(item, store);
            listingEnded();
        }, error -> {
            if (generation != listings) {
                return;
            }
            node.set(null);
            listingError.set(describe(error));
            images.clear();
            item.update(EndpointItem.State.DISCONNECTED, "not answering");
            endpointStatus = describe(error);
            status.set(endpointStatus);
            busy.set(false);
            listingEnded();
        });
    }

    /** The latest listing answered: the table shows rows or a reason; a refresh asked for meanwhile runs now. */
    private void listingEnded() {
        loading.set(false);
        if (listAgain) {
            listAgain = false;
            refresh();
        }
    }

    /** A listing and its table rows, both made on the worker. */
    private record Listed(List<ImageSummary> images, List<ImageTable.Row> rows, OptionalLong diskUsage, Instant at,
                          String engine) {
    }

    static String describe(Throwable error) {
        ErrorMessages.Message message = ErrorMessages.of(error);
        return message.detail() + (message.action().isEmpty() ? "" : " — " + message.action());
    }

    private void applyFilter() {
        String typed = filterText.get() == null ? "" : filterText.get().trim().toLowerCase(Locale.ROOT);
        String id = typed.startsWith("sha256:") ? typed.substring("sha256:".length()) : typed; // a copied ID finds its image
        String text = typed;
        ImageFilter chosen = filter.get();
        visibleImages.setPredicate(row -> chosen.test(row.image())
                && (text.isEmpty()
                    || row.repository().toLowerCase(Locale.ROOT).contains(text)
                    || row.tag().toLowerCase(Locale.ROOT).contains(text)
                    || (!id.isEmpty() && row.image().id().hex().startsWith(id))));
    }
}
