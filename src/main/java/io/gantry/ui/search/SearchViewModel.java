package io.gantry.ui.search;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullRequest;
import io.gantry.registry.Page;
import io.gantry.registry.SearchPage;
import io.gantry.registry.SearchResult;
import io.gantry.service.LocalLayers;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.RemoteImage;
import io.gantry.ui.ErrorMessages;
import io.gantry.ui.FxTasks;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
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

/**
 * The search view's state and commands: a term searches Docker Hub or a registry's catalog (one
 * page at a time, "load more"); choosing a repository lists its tags (paged); choosing a tag
 * looks up the platforms of a multi-arch image and reads what the tag holds without pulling it
 * (the remote summary: manifests and configs, no layer, with the layers the target endpoint
 * already has; within {@link #REMOTE_DEADLINE}, cancellable); {@link #pull()} hands the chosen
 * image to the pull panel. A full reference in the query pulls directly. Registry calls run through
 * {@link FxTasks}; an answer to a query the user has since replaced is dropped.
 */
public final class SearchViewModel {

    private final RegistryBrowser browser;
    private final FxTasks tasks;
    private final java.util.function.Function<PullRequest, java.util.concurrent.CompletionStage<String>> puller;
    private final Supplier<Optional<String>> defaultPlatform;
    private final Consumer<ErrorMessages.Message> notifier;
    private final Supplier<Optional<ImageStore>> target;

    /** How long reading a tag's summary (every platform's manifest and config) may take. */
    public static final java.time.Duration REMOTE_DEADLINE = java.time.Duration.ofSeconds(60);
    private final ReadOnlyObjectWrapper<RemoteImage> remote = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<LocalLayers> localLayers = new ReadOnlyObjectWrapper<>(LocalLayers.unknown());
    private final ReadOnlyStringWrapper localName = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper remoteStatus = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper remoteLoading = new ReadOnlyBooleanWrapper(false);
    private int remoteGeneration;
    private Cancellation remoteCancellation = new Cancellation();
    /** Reading what the target endpoint has; apart from the summary's, which ends when the summary is read. */
    private Cancellation localCancellation = new Cancellation();

    private final StringProperty query = new SimpleStringProperty("");
    private final StringProperty registry = new SimpleStringProperty(ImageReference.DOCKER_HUB);
    private final ObservableList<SearchResult> results = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper moreResults = new ReadOnlyBooleanWrapper(false);
    private final ObjectProperty<SearchResult> selectedResult = new SimpleObjectProperty<>();
    private final ObservableList<String> tags = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper moreTags = new ReadOnlyBooleanWrapper(false);
    private final StringProperty selectedTag = new SimpleStringProperty();
    private final ObservableList<String> platforms = FXCollections.observableArrayList();
    private final StringProperty platform = new SimpleStringProperty();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    static final String NOT_SEARCHED = "Type a term above to search Docker Hub, or host:port/term for a registry's "
            + "catalog; a full reference such as alpine:3.20 pulls at once.";
    private final ReadOnlyStringWrapper emptyResults = new ReadOnlyStringWrapper(NOT_SEARCHED);
    /** "latest" first, then tags in natural order (v2 before v10). */
    static final Comparator<String> TAG_ORDER = Comparator.comparing((String tag) -> !tag.equals(ImageReference.DEFAULT_TAG))
            .thenComparing(SearchViewModel::naturalKey);

    private final BooleanBinding canPull = Bindings.createBooleanBinding(
            () -> selectedResult.get() != null && selectedTag.get() != null, selectedResult, selectedTag);

    private String searchedRegistry = ImageReference.DOCKER_HUB;
    private String searchedTerm = "";
    private Optional<String> resultsCursor = Optional.empty();
    private Optional<String> tagsCursor = Optional.empty();
    private int searchGeneration;
    private int tagsGeneration;
    private int platformGeneration;
    private Cancellation inFlight = new Cancellation();

    /**
     * @param puller          starts a pull into the endpoint selected in the main window; completes
     *                        (on the FX thread) with a line saying how it ended
     * @param defaultPlatform the platform the settings choose, read at pull time
     * @param notifier        shows a failure as a notification
     * @param target          the endpoint a pull goes to (the one selected in the rail), whose layers
     *                        the remote summary marks
     */
    public SearchViewModel(RegistryBrowser browser, FxTasks tasks,
                           java.util.function.Function<PullRequest, java.util.concurrent.CompletionStage<String>> puller,
                           Supplier<Optional<String>> defaultPlatform, Consumer<ErrorMessages.Message> notifier,
                           Supplier<Optional<ImageStore>> target) {
        this.browser = browser;
        this.tasks = tasks;
        this.puller = puller;
        this.defaultPlatform = defaultPlatform;
        this.notifier = notifier;
        this.target = target;
        selectedResult.addListener((obs, old, now) -> loadTags(now));
        selectedTag.addListener((obs, old, now) -> {
            loadPlatforms(now);
            loadRemote(now);
        });
    }

    /** What the chosen tag holds in its registry (manifest or index, each platform's manifest and config); null until read. */
    public ReadOnlyObjectProperty<RemoteImage> remoteProperty() {
        return remote.getReadOnlyProperty();
    }

    /** The layers the target endpoint had when the summary was read ({@link LocalLayers#known()} false when it could not say). */
    public ReadOnlyObjectProperty<LocalLayers> localLayersProperty() {
        return localLayers.getReadOnlyProperty();
    }

    /** The name of the endpoint {@link #localLayersProperty()} describes. */
    public ReadOnlyStringProperty localNameProperty() {
        return localName.getReadOnlyProperty();
    }

    /** What the summary says about itself: reading, failed (and why), cancelled; empty once it shows. */
    public ReadOnlyStringProperty remoteStatusProperty() {
        return remoteStatus.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty remoteLoadingProperty() {
        return remoteLoading.getReadOnlyProperty();
    }

    /**
     * The image of {@link #remoteProperty()} that a pull would fetch: the chosen platform's for an
     * index (the first while none is chosen), else the only one; empty before the summary is read.
     */
    public Optional<RemoteImage.PlatformImage> shownPlatform() {
        RemoteImage image = remote.get();
        if (image == null || image.images().isEmpty()) {
            return Optional.empty();
        }
        String chosen = platform.get();
        return image.images().stream().filter(i -> i.platform().toString().equals(chosen)).findFirst()
                .or(() -> Optional.of(image.images().get(0)));
    }

    /** Stops reading the summary; it says so. */
    public void cancelRemote() {
        if (remoteLoading.get()) {
            remoteCancellation.cancel();
            localCancellation.cancel();
            ++remoteGeneration;
            remoteLoading.set(false);
            remoteStatus.set("Stopped reading the summary. Choose the tag again to read it.");
        }
    }

    private void loadRemote(String tag) {
        remoteCancellation.cancel();
        remoteCancellation = new Cancellation();
        localCancellation.cancel();
        localCancellation = new Cancellation();
        Cancellation reading = localCancellation;
        int generation = ++remoteGeneration;
        remote.set(null);
        localLayers.set(LocalLayers.unknown());
        SearchResult result = selectedResult.get();
        if (tag == null || result == null) {
            remoteLoading.set(false);
            remoteStatus.set("");
            return;
        }
        ImageReference reference = ImageReference.parse(result.name() + ":" + tag);
        Cancellation cancellation = remoteCancellation;
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture.delayedExecutor(REMOTE_DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .execute(() -> {
                    if (!cancellation.isCancelled()) {
                        late.set(true);
                        cancellation.cancel();
                    }
                });
        remoteLoading.set(true);
        remoteStatus.set("Reading " + io.gantry.core.PeerText.clean(reference.familiar()) + " (manifests and configs only, no layer)…");
        Optional<ImageStore> store = target.get();
        localName.set(store.map(s -> s.endpoint().name()).orElse(""));
        store.ifPresent(s -> tasks.run(() -> LocalLayers.of(s, reference, browser, reading), (LocalLayers found) -> {
            if (generation == remoteGeneration) {
                localLayers.set(found);
            }
        }, error -> { }));
        tasks.run(() -> browser.inspect(reference, cancellation), (RemoteImage image) -> {
            if (generation != remoteGeneration) {
                return;
            }
            cancellation.cancel(); // ends the deadline's watch
            remoteLoading.set(false);
            remoteStatus.set("");
            remote.set(image);
        }, error -> {
            if (generation != remoteGeneration) {
                return;
            }
            remoteLoading.set(false);
            if (late.get()) {
                remoteStatus.set("The summary could not be read: " + reference.registry() + " did not answer within "
                        + REMOTE_DEADLINE.toSeconds() + " s. Choose the tag again to retry.");
            } else if (error instanceof GantryException e && e.kind() == ErrorKind.CANCELLED) {
                remoteStatus.set("Stopped reading the summary.");
            } else {
                remoteStatus.set("The summary could not be read: " + ErrorMessages.of(error).oneLine());
            }
        });
    }

    public StringProperty queryProperty() {
        return query;
    }

    /** Where a plain term is searched: {@code docker.io} (Docker Hub) or a registry's host:port. */
    public StringProperty registryProperty() {
        return registry;
    }

    public ObservableList<SearchResult> results() {
        return results;
    }

    public ReadOnlyBooleanProperty moreResultsProperty() {
        return moreResults.getReadOnlyProperty();
    }

    public ObjectProperty<SearchResult> selectedResultProperty() {
        return selectedResult;
    }

    public ObservableList<String> tags() {
        return tags;
    }

    public ReadOnlyBooleanProperty moreTagsProperty() {
        return moreTags.getReadOnlyProperty();
    }

    public StringProperty selectedTagProperty() {
        return selectedTag;
    }

    /** The platforms of the chosen tag when it is a multi-arch image; empty otherwise. */
    public ObservableList<String> platforms() {
        return platforms;
    }

    /** The platform to pull, among {@link #platforms()}. */
    public StringProperty platformProperty() {
        return platform;
    }

    /** What the view says under the results: counts, "no results", or what went wrong. */
    /** What the empty results table says: not searched yet, searching, nothing found (and what to try), or failed. */
    public ReadOnlyStringProperty emptyResultsProperty() {
        return emptyResults.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canPullBinding() {
        return canPull;
    }

    /**
     * Acts on the query: a full reference (with a tag or digest) is pulled at once; anything else
     * is searched.
     *
     * @return whether a pull was started
     */
    public boolean submit() {
        if (rejectMalformed()) {
            return false;
        }
        RegistryBrowser.Query parsed = RegistryBrowser.interpret(query.get(), registry.get());
        if (parsed.isReference()) {
            ImageReference reference = parsed.reference().get();
            String text = query.get().trim();
            startPull(new PullRequest(ImageReference.parse(text), defaultPlatform.get().map(Platform::parse)),
                    "Pulling " + reference.familiar() + "…");
            return true;
        }
        search();
        return false;
    }

    /** Searches for the query's term, replacing the results. */
    public void search() {
        if (rejectMalformed()) {
            return;
        }
        RegistryBrowser.Query parsed = RegistryBrowser.interpret(query.get(), registry.get());
        if (parsed.term().isBlank() && parsed.registry().equals(ImageReference.DOCKER_HUB)) {
            message.set("Type a term to search Docker Hub, or host:port/term for a registry's catalog.");
            return;
        }
        inFlight.cancel();
        inFlight = new Cancellation();
        registry.set(parsed.registry()); // a query naming a registry chooses it
        searchedRegistry = parsed.registry();
        searchedTerm = parsed.term();
        results.clear();
        selectedResult.set(null);
        resultsCursor = Optional.empty();
        moreResults.set(false);
        fetchResults(++searchGeneration);
    }

    /** A query written as a reference but not a valid one says why (as the CLI does) instead of searching. */
    private boolean rejectMalformed() {
        Optional<io.gantry.core.InvalidReferenceException> bad = RegistryBrowser.malformedReference(query.get());
        bad.ifPresent(e -> {
            inFlight.cancel();
            results.clear();
            selectedResult.set(null);
            moreResults.set(false);
            message.set(e.getMessage() + e.action().map(action -> " — " + action).orElse("")); // as the pull cards join them
            emptyResults.set("Not searched: the query is not a valid reference (see below).");
        });
        return bad.isPresent();
    }

    /** Fetches the next page of results and appends it. */
    public void loadMoreResults() {
        if (moreResults.get()) {
            fetchResults(searchGeneration);
        }
    }

    private void fetchResults(int generation) {
        String where = searchedRegistry;
        String term = searchedTerm;
        Optional<String> cursor = resultsCursor;
        Cancellation cancellation = inFlight;
        busy.set(true);
        message.set("Searching " + describe(where) + "…");
        emptyResults.set("Searching " + describe(where) + " for '" + term + "'…");
        tasks.run(() -> browser.search(where, term, cursor, cancellation), (SearchPage page) -> {
            if (generation != searchGeneration) {
                return;
            }
            busy.set(false);
            results.addAll(page.results());
            emptyResults.set("Nothing in " + describe(where) + " matches '" + term + "'. Try a shorter or other term"
                    + (where.equals(ImageReference.DOCKER_HUB) ? ", or host:port/term to search a registry's catalog."
                    : ", or another registry (a catalog lists only the repositories you may see)."));
            resultsCursor = page.next();
            moreResults.set(page.hasNext());
            message.set(results.isEmpty() ? "No repositories in " + describe(where) + " match '" + term + "'."
                    : results.size() + page.totalResults().stream().mapToObj(total -> " of " + total).findFirst().orElse("")
                      + (results.size() == 1 ? " repository" : " repositories") + " in " + describe(where)
                      + (page.hasNext() ? " (more available)" : ""));
        }, error -> {
            if (generation == searchGeneration) {
                busy.set(false);
                emptyResults.set("The search of " + describe(where) + " failed (see below). Check the address, then search again.");
                fail(error);
            }
        });
    }

    /** Fetches the next page of the chosen repository's tags. */
    public void loadMoreTags() {
        if (moreTags.get() && selectedResult.get() != null) {
            fetchTags(selectedResult.get(), tagsGeneration);
        }
    }

    private void loadTags(SearchResult result) {
        tags.clear();
        selectedTag.set(null);
        tagsCursor = Optional.empty();
        moreTags.set(false);
        ++tagsGeneration;
        if (result != null) {
            fetchTags(result, tagsGeneration);
        }
    }

    private void fetchTags(SearchResult result, int generation) {
        Optional<String> cursor = tagsCursor;
        Cancellation cancellation = inFlight;
        busy.set(true);
        tasks.run(() -> browser.tags(result.name(), cursor, cancellation), (Page<String> page) -> {
            if (generation != tagsGeneration) {
                return;
            }
            busy.set(false);
            tags.addAll(page.items().stream().filter(tag -> !tags.contains(tag)).toList());
            tags.sort(TAG_ORDER);
            tagsCursor = page.next();
            moreTags.set(page.hasNext());
            if (selectedTag.get() == null && !tags.isEmpty()) {
                selectedTag.set(tags.contains(ImageReference.DEFAULT_TAG) ? ImageReference.DEFAULT_TAG : tags.get(0));
            }
        }, error -> {
            if (generation == tagsGeneration) {
                busy.set(false);
                fail(error);
            }
        });
    }

    private void loadPlatforms(String tag) {
        platforms.clear();
        platform.set(null);
        int generation = ++platformGeneration;
        SearchResult result = selectedResult.get();
        if (tag == null || result == null) {
            return;
        }
        ImageReference reference = ImageReference.parse(result.name() + ":" + tag);
        Cancellation cancellation = inFlight;
        tasks.run(() -> browser.platforms(reference, cancellation), (List<Platform> offered) -> {
            if (generation != platformGeneration) {
                return;
            }
            platforms.setAll(offered.stream().map(Platform::toString).distinct().toList());
            platform.set(preferred(offered, defaultPlatform.get()).orElse(null));
        }, error -> {
            if (generation == platformGeneration) {
                fail(error);
            }
        });
    }

    /** The settings' default platform when offered, else the best match for this machine, else the first. */
    static Optional<String> preferred(List<Platform> offered, Optional<String> configured) {
        if (offered.isEmpty()) {
            return Optional.empty();
        }
        Platform want = configured.flatMap(SearchViewModel::parse).orElse(Platform.current());
        return offered.stream()
                .filter(p -> want.compatibility(p).isPresent())
                .min(Comparator.comparingInt(p -> want.compatibility(p).getAsInt()))
                .or(() -> Optional.of(offered.get(0)))
                .map(Platform::toString);
    }

    private static String naturalKey(String tag) {
        java.util.regex.Matcher digits = java.util.regex.Pattern.compile("\\d+").matcher(tag);
        StringBuilder key = new StringBuilder();
        int last = 0;
        while (digits.find()) {
            key.append(tag, last, digits.start()).append(String.format("%020d", new java.math.BigInteger(digits.group())
                    .min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue()));
            last = digits.end();
        }
        return key.append(tag.substring(last)).toString();
    }

    private static Optional<Platform> parse(String text) {
        try {
            return Optional.of(Platform.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Pulls the chosen repository at the chosen tag (and platform, for a multi-arch image). */
    public void pull() {
        if (!canPull.get()) {
            return;
        }
        String reference = selectedResult.get().name() + ":" + selectedTag.get();
        Optional<String> chosen = platforms.isEmpty() ? Optional.empty() : Optional.ofNullable(platform.get());
        startPull(new PullRequest(ImageReference.parse(reference), chosen.map(Platform::parse)),
                "Pulling " + reference + chosen.map(p -> " for " + p).orElse("") + "…");
    }

    /** Starts a pull and says so until it ends; then says how it ended, unless the line says something newer. */
    private void startPull(PullRequest request, String pulling) {
        message.set(pulling);
        puller.apply(request).thenAccept(ended -> {
            if (pulling.equals(message.get())) {
                message.set(ended);
            }
        });
    }

    /** Stops whatever is being fetched (the view was closed). */
    public void cancel() {
        cancelRemote();
        inFlight.cancel();
        inFlight = new Cancellation();
        busy.set(false);
    }

    private void fail(Throwable error) {
        ErrorMessages.Message text = ErrorMessages.of(error);
        message.set(text.oneLine());
        notifier.accept(text);
    }

    private static String describe(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB) ? "Docker Hub" : registry;
    }
}
