package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.engine.Capabilities;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.LocalImage;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushResult;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * A Docker-compatible engine (Docker, Podman's Docker API) reached through the Engine API over
 * docker-java's zerodep transport.
 *
 * <p>This class is the port's front: what it answers with one request it answers itself
 * (inspect, history, containers, tag, export, events); the rest is split by job.
 * {@link EngineImages} lists images (one {@code /system/df} call, which gives every image with its
 * shared size and container count exactly as {@code docker system df -v} shows them), their disk
 * use and their layers; {@link EnginePulls} pulls; {@link EngineRemovals} deletes and prunes: the
 * engine's own, and when the engine refuses a delete with HTTP 409, the engine's state is read
 * again and Docker's rules ({@code engine.rules}) name the conflict; a prune dry run plays those
 * rules on a snapshot of the engine's images, containers and layers ({@link EngineSnapshot}).
 *
 * <p>Every call opens its own connection from a pool, so an engine that went away and came back
 * answers the next call again; until then calls fail with {@code UNAVAILABLE}.
 */
public final class DockerEngineStore implements ImageStore {

    /**
     * How long to wait for the engine.
     *
     * @param connect    to connect to its socket
     * @param read       for a read (list, inspect) to answer
     * @param slow       for a delete or prune to answer
     * @param eventRetry between attempts to reconnect a broken event stream
     * @param idle       the longest silence of a pull's progress stream or an export
     */
    public record Timeouts(Duration connect, Duration read, Duration slow, Duration eventRetry, Duration idle) {
        /** The default idle timeout of pull and export streams. */
        public static final Duration DEFAULT_IDLE = Duration.ofSeconds(120);

        public Timeouts {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(read, "read");
            Objects.requireNonNull(slow, "slow");
            Objects.requireNonNull(eventRetry, "eventRetry");
            Objects.requireNonNull(idle, "idle");
        }

        public Timeouts(Duration connect, Duration read, Duration slow, Duration eventRetry) {
            this(connect, read, slow, eventRetry, DEFAULT_IDLE);
        }

        /**
         * Connect 3 s; a read answered, body included, within 60 s; a delete or prune within 15 min;
         * a pull or export silent for no more than 120 s.
         */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofMinutes(15),
                    Duration.ofSeconds(2), DEFAULT_IDLE);
        }
    }

    private volatile Endpoint endpoint;
    private final EngineApi api;
    private final ThreadFactory eventThreads;
    private final Timeouts timeouts;
    private final ObjectMapper json = new ObjectMapper();
    private final EngineImages images;
    private final EnginePulls pulls;
    private final EnginePushes pushes;
    private final EngineRemovals removals;
    private final EngineLoads loads;
    private final Set<EngineEvents> subscriptions = ConcurrentHashMap.newKeySet();
    /** Whether the engine is Podman, once asked ({@code /version}); null until then. */
    private volatile Boolean podman;

    /** The engine's storage driver, once asked; null until then. */
    private volatile String storageDriver;

    /** Containers, parents, tag, export and live events; an engine keeps no layer blobs of its own. */
    private static final Capabilities ENGINE_CAPABILITIES = Capabilities.of(Capability.CONTAINERS, Capability.REMOVE_CONTAINERS,
            Capability.PARENT_IMAGES, Capability.TAG, Capability.PUSH, Capability.EXPORT, Capability.LOAD, Capability.EVENTS, Capability.PRUNE_PREVIEW,
            Capability.DAEMON);

    /** An engine's, and a forced delete also removes the containers using the image. */
    private static final Capabilities PODMAN_CAPABILITIES = with(ENGINE_CAPABILITIES, Capability.FORCE_REMOVES_CONTAINERS);

    /** An engine's, and a delete names the layers it frees (moby's {@code Deleted: <chain ID>}). */
    private static final Capabilities DOCKER_CAPABILITIES = with(ENGINE_CAPABILITIES, Capability.LAYER_LINES);

    private static Capabilities with(Capabilities base, Capability extra) {
        java.util.Set<Capability> all = java.util.EnumSet.copyOf(base.supported());
        all.add(extra);
        return new Capabilities(all);
    }

    private final boolean current;

    public DockerEngineStore(EngineAddress address, EngineCredentials credentials, Timeouts timeouts,
                             ThreadFactory eventThreads) {
        this.current = address.current();
        this.endpoint = new Endpoint(address.endpointId(), address.name(),
                address.podman() ? Endpoint.Kind.PODMAN : Endpoint.Kind.DOCKER, address.host());
        this.api = new EngineApi(address, json, timeouts.connect(), timeouts.read(), timeouts.slow(),
                timeouts.idle());
        this.timeouts = timeouts;
        this.eventThreads = eventThreads;
        this.images = new EngineImages(this, api);
        this.pulls = new EnginePulls(this, api, json, credentials, timeouts.idle());
        this.pushes = new EnginePushes(this, api, json, credentials, timeouts.idle());
        this.removals = new EngineRemovals(this, api, images);
        this.loads = new EngineLoads(this, api, json);
    }

    /** An engine with default timeouts, daemon threads for event streams, and the given credentials. */
    public static DockerEngineStore of(EngineAddress address, EngineCredentials credentials) {
        return new DockerEngineStore(address, credentials, Timeouts.defaults(), runnable -> {
            Thread thread = new Thread(runnable, "gantry-events " + address.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    String name() {
        return endpoint.name();
    }

    @Override
    public Capabilities capabilities() {
        // Docker's until the engine has said it is Podman (asked with the first listing or version)
        return Boolean.TRUE.equals(podman) ? PODMAN_CAPABILITIES : DOCKER_CAPABILITIES;
    }

    @Override
    public boolean dockerCurrent() {
        return current;
    }

    @Override
    public EngineInfo info() {
        String op = "ask " + name() + " for its version";
        String negotiated = api.apiVersion(op);
        JsonNode version = api.version(op);
        learned(EngineJson.isPodman(version));
        EngineInfo info = EngineJson.engineInfo(version, negotiated);
        return info.withStorageDriver(storageDriver());
    }

    /**
     * {@code docker info}'s "Storage Driver" (Podman's compatible {@code /info} says it too), asked
     * once per store: it does not change while the engine runs. Empty when {@code /info} fails; the
     * version stands without it.
     */
    private String storageDriver() {
        String known = storageDriver;
        if (known == null) {
            try {
                known = io.gantry.core.PeerText.clean(
                        api.get("ask " + name() + " about its storage", "/info").path("Driver").asText(""));
                storageDriver = known;
            } catch (io.gantry.core.GantryException unanswered) {
                return "";
            }
        }
        return known;
    }

    /**
     * Whether the engine behind the address is Podman, whatever the address says (Podman is often
     * reached through {@code DOCKER_HOST} or a docker context): its {@code /version} names a
     * "Podman Engine" component. Asked once.
     */
    boolean podman(String op) {
        Boolean known = podman;
        if (known == null) {
            known = EngineJson.isPodman(api.version(op));
            learned(known);
        }
        return known;
    }

    /** Records what the engine is; a Podman found behind a Docker-looking address is labelled Podman from then on. */
    private void learned(boolean isPodman) {
        podman = isPodman;
        Endpoint.Kind kind = isPodman ? Endpoint.Kind.PODMAN : Endpoint.Kind.DOCKER;
        Endpoint current = endpoint;
        if (current.kind() != kind) {
            endpoint = new Endpoint(current.id(), current.name(), kind, current.address());
        }
    }

    @Override
    public List<ImageSummary> listImages() {
        return images.list();
    }

    /** Podman's manifest lists (its libpod API); Docker keeps none apart from its images. */
    @Override
    public List<io.gantry.engine.ManifestList> manifestLists() {
        String op = "list manifest lists on " + name();
        return podman(op) ? PodmanManifestLists.list(api, op) : List.of();
    }

    /** Every layer once, what {@code docker system df} shows as the images' SIZE ({@code /system/df}'s {@code LayersSize}; computed on Podman, whose figure is 0). */
    @Override
    public java.util.OptionalLong diskUsage() {
        return images.diskUsage();
    }

    /** One {@code /system/df} for both on Docker (on Podman the chains are read once for both). */
    @Override
    public Listing listWithDiskUsage() {
        return images.listWithDiskUsage();
    }

    @Override
    public ImageDetails inspect(ImageKey image) {
        return inspect(image.text());
    }

    /** {@code inspect} by the text a user typed (or an ID). */
    ImageDetails inspect(String image) {
        String op = "inspect " + image + " on " + name();
        return EngineJson.imageDetails(api.get(op, "/images/" + EngineApi.imagePath(op, image) + "/json"));
    }

    @Override
    public List<HistoryEntry> history(ImageKey image) {
        String op = "read the history of " + image + " on " + name();
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode node : api.get(op, "/images/" + EngineApi.imagePath(op, image.text()) + "/history")) {
            entries.add(EngineJson.historyEntry(node));
        }
        if (podman(op) && !entries.isEmpty() && entries.get(0).tags().isEmpty() && entries.get(0).imageId().isPresent()) {
            // Podman's history carries no tags; Docker's names the image's tags on its own entry.
            HistoryEntry top = entries.get(0);
            List<String> tags = inspect(top.imageId().get().toString()).repoTags();
            entries.set(0, new HistoryEntry(top.imageId(), top.created(), top.createdBy(), top.size(), tags, top.comment()));
        }
        return entries;
    }

    @Override
    public List<ContainerRef> containers() {
        String op = "list containers on " + name();
        List<ContainerRef> containers = new ArrayList<>();
        for (JsonNode node : api.get(op, "/containers/json?all=1")) {
            containers.add(EngineJson.container(node));
        }
        return containers;
    }

    /**
     * {@code DELETE /containers/{id}} for each, never with {@code force}: the engine refuses a
     * running container (409, "You cannot remove a running container … Stop the container before
     * attempting removal or force remove"), and that answer is the container's result.
     */
    @Override
    public List<io.gantry.engine.ContainerRemoval> removeContainers(List<String> ids) {
        Map<String, String> names = new java.util.HashMap<>();
        for (ContainerRef container : containers()) {
            names.put(container.id(), container.name());
        }
        List<io.gantry.engine.ContainerRemoval> results = new ArrayList<>();
        for (String id : ids) {
            String shown = names.getOrDefault(id, id.length() > 12 ? id.substring(0, 12) : id);
            String op = "remove container " + shown + " on " + name();
            try (EngineApi.Response response = api.send(op, "DELETE", "/containers/" + EngineApi.imagePath(op, id),
                    Map.of(), null, EngineApi.Speed.SLOW)) {
                results.add(new io.gantry.engine.ContainerRemoval(id, shown, Optional.empty()));
            } catch (GantryException e) {
                if (e.kind() == io.gantry.core.ErrorKind.UNAVAILABLE) {
                    throw e;
                }
                results.add(new io.gantry.engine.ContainerRemoval(id, shown, Optional.of(e.getMessage())));
            }
        }
        return results;
    }

    /** {@code /system/df}'s containers and their {@code SizeRw}, as {@code docker system df} reads them. */
    @Override
    public Optional<Map<String, Long>> containerSizes() {
        return images.containerSizes();
    }

    @Override
    public List<Digest> children(Digest imageId) {
        String op = "list the child images of " + imageId.shortHex() + " on " + name();
        List<Digest> children = new ArrayList<>();
        for (JsonNode node : api.get(op, "/images/json?all=1")) {
            if (EngineJson.parent(node, "ParentId").filter(imageId::equals).isPresent()) {
                children.add(EngineJson.imageId(node.path("Id").asText()));
            }
        }
        children.sort(null);
        return children;
    }

    /** {@code POST /images/{name}/tag}, as {@code docker tag}: the name moves if it named another image. */
    @Override
    public void tag(ImageKey source, ImageReference target) {
        String op = "tag " + source + " as " + target.familiar() + " on " + name();
        if (target.digest().isPresent() || target.tag().isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "a tag cannot contain a digest", null, 0,
                    "Give the new name as repository:tag.", null);
        }
        String path = "/images/" + EngineApi.imagePath(op, source.text()) + "/tag?repo="
                + EngineApi.query(target.familiarName()) + "&tag=" + EngineApi.query(target.tag().orElseThrow());
        try (EngineApi.Response response = api.send(op, "POST", path, Map.of(), null, EngineApi.Speed.QUICK)) {
            // 201 Created, no body
        }
    }

    /** Every image {@code docker images} lists, with its layers; see {@link EngineImages#local()}. */
    @Override
    public List<LocalImage> localImages() {
        return images.local();
    }

    @Override
    public List<ImageLayer> layers(ImageKey image) {
        String op = "read the layers of " + image + " on " + name();
        return images.layers(op, image.id().orElseGet(() -> inspect(image).id()));
    }

    // ---- pull

    @Override
    public PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation) {
        return pulls.pull(request, progress, cancellation);
    }

    /** Pushes through the engine ({@link EnginePushes}), with the user's login for the registry. */
    @Override
    public PushResult push(ImageReference image, Consumer<PushProgress> progress, Cancellation cancellation) {
        return pushes.push(image, progress, cancellation);
    }

    // ---- delete and prune

    @Override
    public DeleteResult delete(ImageKey key, boolean force) {
        return removals.delete(key, force);
    }

    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        return removals.prune(mode, dryRun);
    }

    // ---- export

    @Override
    public java.io.InputStream export(ImageKey key) {
        String image = key.text();
        String op = "export " + image + " from " + name();
        EngineApi.Response response = api.send(op, "GET", "/images/" + EngineApi.imagePath(op, image) + "/get",
                Map.of(), null, EngineApi.Speed.STREAM);
        return new java.io.FilterInputStream(response.body()) {
            @Override
            public void close() throws java.io.IOException {
                try {
                    super.close();
                } finally {
                    response.close();
                }
            }
        };
    }

    // ---- load

    /** {@code docker load}: the archive streamed to the engine ({@link EngineLoads}). */
    @Override
    public io.gantry.engine.LoadResult load(java.io.InputStream archive) {
        return loads.load(archive);
    }

    @Override
    public io.gantry.engine.LoadResult load(java.nio.file.Path archive) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(archive)) {
            return loads.load(new java.io.BufferedInputStream(in, 1 << 20));
        } catch (java.io.IOException e) {
            throw new io.gantry.core.GantryException(io.gantry.core.ErrorKind.STORAGE, "load " + archive,
                    "cannot read " + archive + ": " + IoProblem.describe(e), e);
        }
    }

    // ---- events

    @Override
    public Subscription subscribe(StoreEventListener listener) {
        EngineEvents events = new EngineEvents(api, json, listener, timeouts.eventRetry(), eventThreads, name());
        subscriptions.add(events);
        events.start();
        return () -> {
            subscriptions.remove(events);
            events.close();
        };
    }

    @Override
    public void close() {
        subscriptions.forEach(EngineEvents::close);
        subscriptions.clear();
        api.close();
    }
}
