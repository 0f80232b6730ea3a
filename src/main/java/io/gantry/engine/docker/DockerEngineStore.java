package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Cancellation;
import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.Capabilities;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
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
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.LayerRef;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.rules.TargetOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A Docker-compatible engine (Docker, Podman's Docker API) reached through the Engine API over
 * docker-java's zerodep transport.
 *
 * <p>Listing is one {@code /system/df} call, which gives every image with its shared size and
 * container count exactly as {@code docker system df -v} shows them. Deletes and prunes are the
 * engine's own; when the engine refuses a delete with HTTP 409, the engine's state is read again
 * and Docker's rules ({@code engine.rules}) name the conflict. A prune dry run plays those rules
 * on a snapshot of the engine's images, containers and layers ({@link EngineSnapshot}).
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
    private final EngineCredentials credentials;
    private final ThreadFactory eventThreads;
    private final Timeouts timeouts;
    private final ObjectMapper json = new ObjectMapper();
    /** Docker's image rules, which name a refusal, preview a prune and guard Podman's deletes. */
    private final ReclaimPlanner planner = new ReclaimPlanner();
    /** Layers of each image by ID; an image ID names immutable content, so entries never go stale. */
    private final Map<Digest, List<ImageLayer>> layersById = new ConcurrentHashMap<>();
    private final Set<EngineEvents> subscriptions = ConcurrentHashMap.newKeySet();
    /** Whether the engine is Podman, once asked ({@code /version}); null until then. */
    private volatile Boolean podman;

    /** Containers, parents, tag, export and live events; an engine keeps no layer blobs of its own. */
    private static final Capabilities CAPABILITIES = Capabilities.of(Capability.CONTAINERS, Capability.PARENT_IMAGES,
            Capability.TAG, Capability.EXPORT, Capability.EVENTS, Capability.PRUNE_PREVIEW, Capability.DAEMON);

    private final boolean current;

    public DockerEngineStore(EngineAddress address, EngineCredentials credentials, Timeouts timeouts,
                             ThreadFactory eventThreads) {
        this.current = address.current();
        this.endpoint = new Endpoint(address.endpointId(), address.name(),
                address.podman() ? Endpoint.Kind.PODMAN : Endpoint.Kind.DOCKER, address.host());
        this.api = new EngineApi(address, json, timeouts.connect(), timeouts.read(), timeouts.slow(),
                timeouts.idle());
        this.credentials = credentials;
        this.timeouts = timeouts;
        this.eventThreads = eventThreads;
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

    private String name() {
        return endpoint.name();
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
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
        return EngineJson.engineInfo(version, negotiated);
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
        String op = "list images on " + name();
        if (podman(op)) {
            return listPodmanImages(op);
        }
        // API 1.42 added type=image, which spares the engine sizing every container and volume.
        String path = EngineApi.compareVersions(api.apiVersion(op), "1.42") >= 0 ? "/system/df?type=image" : "/system/df";
        JsonNode df = api.get(op, path);
        List<ImageSummary> images = new ArrayList<>();
        for (JsonNode image : df.path("Images")) {
            images.add(EngineJson.imageSummary(image, 0));
        }
        return images;
    }

    /** Podman's manifest lists (its libpod API); Docker keeps none apart from its images. */
    @Override
    public List<io.gantry.engine.ManifestList> manifestLists() {
        String op = "list manifest lists on " + name();
        return podman(op) ? PodmanManifestLists.list(api, op) : List.of();
    }

    /**
     * Podman 4.3's {@code /system/df} lists IDs without {@code sha256:}, tags without their
     * repository and no digests, and its {@code SharedSize} is always 0. So on Podman the images come
     * from {@code /images/json} (IDs, full names, digests, sizes, container counts), and SHARED is
     * computed as {@code docker system df -v} does: the bytes of an image's layers whose chain ID
     * another image (intermediate ones included) also has.
     */
    private List<ImageSummary> listPodmanImages(String op) {
        JsonNode all = api.get(op, "/images/json?all=1");
        Map<Digest, Integer> holders = new HashMap<>();
        Map<Digest, List<Digest>> chainsOf = new HashMap<>();
        Map<Digest, Long> sizes = new HashMap<>();
        for (JsonNode node : all) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            chainsOf.put(id, chains(op, id, sizes));
            chainsOf.get(id).stream().distinct().forEach(chain -> holders.merge(chain, 1, Integer::sum));
        }
        List<ImageSummary> images = new ArrayList<>();
        for (JsonNode node : api.get(op, "/images/json")) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            List<Digest> chains = chainsOf.computeIfAbsent(id, i -> chains(op, i, sizes));
            long shared = chains.stream().distinct().filter(c -> holders.getOrDefault(c, 0) > 1)
                    .mapToLong(c -> sizes.getOrDefault(c, 0L)).sum();
            ImageSummary listed = EngineJson.imageSummary(node, 0);
            images.add(new ImageSummary(listed.id(), listed.repoTags(), listed.repoDigests(), listed.created(),
                    listed.size(), Math.min(shared, listed.size()), listed.containers()));
        }
        return images;
    }

    /** An image's chain IDs, base first; records each layer's size by chain ID in {@code sizes}. */
    private List<Digest> chains(String op, Digest id, Map<Digest, Long> sizes) {
        List<ImageLayer> layers = layers(op, id);
        List<Digest> chain = ChainIds.of(layers.stream().map(ImageLayer::diffId).toList());
        for (int i = 0; i < chain.size(); i++) {
            sizes.put(chain.get(i), layers.get(i).size());
        }
        return chain;
    }

    /** {@code /system/df}'s {@code LayersSize}: every layer once, what {@code docker system df} shows as the images' SIZE. */
    @Override
    public java.util.OptionalLong diskUsage() {
        String op = "ask " + name() + " for its disk use";
        String path = EngineApi.compareVersions(api.apiVersion(op), "1.42") >= 0 ? "/system/df?type=image" : "/system/df";
        JsonNode size = api.get(op, path).path("LayersSize");
        return size.canConvertToLong() && size.asLong() >= 0 ? java.util.OptionalLong.of(size.asLong())
                : java.util.OptionalLong.empty();
    }

    @Override
    public ImageDetails inspect(ImageKey image) {
        return inspect(image.text());
    }

    private ImageDetails inspect(String image) {
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

    // ---- pull

    @Override
    public PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation) {
        ImageReference reference = request.reference();
        String wanted = reference.familiar();
        String op = "pull " + wanted + " to " + name();
        String tagOrDigest = reference.digest().map(Digest::toString).orElseGet(() -> reference.tag().orElseThrow());
        StringBuilder path = new StringBuilder("/images/create?fromImage=").append(EngineApi.query(reference.familiarName()))
                .append("&tag=").append(EngineApi.query(tagOrDigest));
        request.platform().ifPresent(p -> path.append("&platform=").append(EngineApi.query(p.toString())));
        Map<String, String> headers = new HashMap<>();
        credentials.loginFor(reference.registry()).ifPresent(login -> headers.put("X-Registry-Auth", registryAuth(login)));

        Optional<Digest> before = imageIdIfPresent(wanted);
        AtomicBoolean cancelled = new AtomicBoolean();
        try (EngineApi.Response response = api.send(op, "POST", path.toString(), headers, null,
                EngineApi.Speed.STREAM);
             Cancellation.Registration hook = cancellation.onCancel(() -> {
                 cancelled.set(true);
                 response.close();
             })) {
            readPullStream(op, response, progress, cancelled);
        } catch (GantryException e) {
            throw cancelled.get() ? cancelledError(op) : e;
        } catch (Exception e) {
            throw cancelled.get() ? cancelledError(op) : api.unavailable(op, e);
        }
        if (cancelled.get()) {
            throw cancelledError(op);
        }
        ImageDetails pulled = inspect(wanted);
        Optional<Digest> digest = reference.digest().or(() -> pulled.repoDigests().stream()
                .map(DockerEngineStore::parseQuietly).flatMap(Optional::stream)
                .filter(p -> p.name().equals(reference.name()))
                .flatMap(p -> p.digest().stream()).findFirst());
        return new PullResult(wanted, pulled.id(), digest, before.filter(pulled.id()::equals).isPresent());
    }

    /** A reference the engine reported, if it parses (an engine may know names Gantry would refuse). */
    private static Optional<ImageReference> parseQuietly(String reference) {
        try {
            return Optional.of(ImageReference.parse(reference));
        } catch (GantryException e) {
            return Optional.empty();
        }
    }

    private void readPullStream(String op, EngineApi.Response response, Consumer<PullProgress> progress,
                                AtomicBoolean cancelled) throws IOException {
        EngineApi.MessageBoundedStream body = response.messages();
        PullStreamGuard guard = new PullStreamGuard(op, timeouts.idle(), System::nanoTime);
        try (MappingIterator<JsonNode> events = json.readerFor(JsonNode.class).readValues(body)) {
            while (!cancelled.get() && events.hasNextValue()) {
                JsonNode event = events.nextValue();
                body.nextMessage();
                if (event.has("error") || event.has("errorDetail")) {
                    JsonNode detail = event.path("errorDetail");
                    String message = detail.path("message").asText(event.path("error").asText("pull failed"));
                    int code = detail.path("code").asInt(0);
                    if (code > 0) {
                        throw api.statusError(op, code, message);
                    }
                    // dockerd reports an index without the platform asked for in the stream, with
                    // no status code; it is the same "not found" the embedded store reports
                    throw new GantryException(message.startsWith("no matching manifest for") ? ErrorKind.NOT_FOUND
                            : ErrorKind.INTERNAL, op, message);
                }
                PullProgress step = EngineJson.pullProgress(event);
                guard.accept(step);
                progress.accept(step);
            }
        }
    }

    private Optional<Digest> imageIdIfPresent(String image) {
        try {
            return Optional.of(inspect(image).id());
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code X-Registry-Auth}: base64url of the JSON auth config the Engine API expects. */
    private String registryAuth(RegistryLogin login) {
        ObjectNode auth = json.createObjectNode();
        if (login.identityToken().isPresent()) {
            auth.put("identitytoken", login.identityToken().get());
        } else {
            auth.put("username", login.username());
            auth.put("password", login.password());
        }
        auth.put("serveraddress", login.serverAddress());
        return Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static GantryException cancelledError(String op) {
        return new GantryException(ErrorKind.CANCELLED, op, "cancelled");
    }

    // ---- delete and prune

    @Override
    public DeleteResult delete(ImageKey key, boolean force) {
        String image = key.text();
        String op = (force ? "force-delete " : "delete ") + image + " on " + name();
        String path = "/images/" + EngineApi.imagePath(op, image) + "?force=" + (force ? "1" : "0") + "&noprune=0";
        boolean onPodman = podman(op);
        if (onPodman) {
            Optional<DeleteConflict> hard = podmanHardConflict(op, key, force);
            if (hard.isPresent()) {
                return DeleteResult.refused(image, true, hard.get());
            }
        }
        try (EngineApi.Response response = api.send(op, "DELETE", path, Map.of(), null, EngineApi.Speed.SLOW)) {
            return DeleteResult.done(image, force, lines(response.json()));
        } catch (GantryException e) {
            int status = e.httpStatus().orElse(0);
            // Podman answers a delete by ID of an image with several names with 500, not 409.
            if (status != 409 && !(onPodman && status == 500)) {
                throw e;
            }
            DeleteConflict conflict = nameConflict(op, key, force, e);
            if (status != 409 && conflict.kind() == DeleteConflict.Kind.UNKNOWN) {
                throw e;
            }
            return DeleteResult.refused(image, force, conflict);
        }
    }

    /**
     * Podman's forced delete removes the containers that use the image, running ones too (its
     * compat API does what {@code podman rmi -f} does), and a delete by ID of an image other images
     * are built on only untags it. Docker does neither, so on Podman Gantry plays the delete on
     * Docker's rules first, as a delete by ID (which is what Podman's forced delete by name is), and
     * refuses what they refuse hard: child images refuse a delete by ID or a forced one, a running
     * container a forced one. Stopped containers are removed with a forced delete (the preview says so).
     */
    private Optional<DeleteConflict> podmanHardConflict(String op, ImageKey key, boolean force) {
        EngineSnapshot state = snapshot(op, false);
        Optional<DeleteTarget> target = state.target(key, true);
        if (target.isEmpty() || !(force || target.get() instanceof DeleteTarget.ById)) {
            return Optional.empty(); // the engine answers for what it cannot find; an unforced untag is Docker's too
        }
        Digest id = state.imageId(target.get());
        ReclaimPlan plan = planner.planDelete(state.model(), List.of(DeleteTarget.id(id)), force);
        Optional<DeleteRefusal.Reason> hard = plan.refusals().stream().map(DeleteRefusal::reason)
                .filter(r -> r.hard() && (force || r == DeleteRefusal.Reason.DEPENDENT_CHILD)).findFirst();
        return hard.map(reason -> state.conflict(reason.conflictKind(), id,
                reason == DeleteRefusal.Reason.RUNNING_CONTAINER
                        ? "Podman would stop and remove the running container using the image; Gantry does not force that"
                        : "Podman would delete an image other images are built on; Gantry does not force that"));
    }

    /**
     * The engine refused: read its state again and play the delete on Docker's rules to say which
     * rule it was and what is in the way. The engine's message is kept for display, never parsed.
     * When the rules find no conflict (the state changed in between) the kind is {@code UNKNOWN}.
     */
    private DeleteConflict nameConflict(String op, ImageKey key, boolean force, GantryException refusal) {
        EngineSnapshot state = snapshot(op, false);
        Optional<DeleteTarget> target = state.target(key, podman(op));
        if (target.isEmpty()) {
            Digest id;
            try {
                id = inspect(key.text()).id();
            } catch (GantryException e) {
                throw refusal;
            }
            return state.conflict(DeleteConflict.Kind.UNKNOWN, id, refusal.getMessage());
        }
        TargetOutcome outcome = planner.planDelete(state.model(), List.of(target.get()), force).outcomes().get(0);
        Digest id = outcome.refusal().flatMap(DeleteRefusal::imageId).orElseGet(() -> state.imageId(target.get()));
        DeleteConflict.Kind kind = outcome.refusal().map(r -> r.reason().conflictKind())
                .orElse(DeleteConflict.Kind.UNKNOWN);
        return state.conflict(kind, id, refusal.getMessage());
    }

    /**
     * The {@code Untagged:} and {@code Deleted:} lines of a delete or prune report, the untagged
     * ones first as Docker writes them (Podman writes its {@code Deleted:} first, with a bare-hex ID
     * and full names).
     */
    private static List<DeleteLine> lines(JsonNode items) {
        List<DeleteLine> untagged = new ArrayList<>();
        List<DeleteLine> deleted = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.hasNonNull("Untagged") && !item.get("Untagged").asText().isEmpty()) {
                untagged.add(DeleteLine.untagged(EngineJson.familiar(item.get("Untagged").asText())));
            }
            if (item.hasNonNull("Deleted") && !item.get("Deleted").asText().isEmpty()) {
                deleted.add(DeleteLine.deleted(EngineJson.normalizeId(item.get("Deleted").asText())));
            }
        }
        untagged.addAll(deleted);
        return untagged;
    }

    /**
     * The engine's own prune ({@code POST /images/prune}); its dry run is the prune played on
     * Docker's rules over a snapshot of the engine's images, containers and layers.
     */
    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        String op = (dryRun ? "preview pruning " : "prune ") + (mode == PruneMode.DANGLING ? "dangling" : "unused")
                + " images on " + name();
        if (podman(op)) {
            return prunePodman(op, mode, dryRun);
        }
        if (dryRun) {
            ReclaimPlan plan = planner.planPrune(snapshot(op, true).model(), mode == PruneMode.ALL_UNUSED);
            return new PruneResult(mode, true, plan.records(), plan.deletedImages(), plan.bytesFreed());
        }
        Set<Digest> imagesBefore = new HashSet<>();
        for (JsonNode node : api.get(op, "/images/json?all=1")) {
            imagesBefore.add(EngineJson.digest(node.path("Id").asText()));
        }
        String filters = "{\"dangling\":[\"" + (mode == PruneMode.DANGLING) + "\"]}";
        JsonNode report;
        try (EngineApi.Response response = api.send(op, "POST", "/images/prune?filters=" + EngineApi.query(filters),
                Map.of(), null, EngineApi.Speed.SLOW)) {
            report = response.json();
        }
        List<DeleteLine> lines = lines(report.path("ImagesDeleted"));
        List<Digest> deleted = lines.stream()
                .filter(l -> l.action() == DeleteLine.Action.DELETED && Digest.isDigest(l.value()))
                .map(l -> EngineJson.digest(l.value())).filter(imagesBefore::contains).toList();
        return new PruneResult(mode, false, lines, deleted, report.path("SpaceReclaimed").asLong());
    }

    /**
     * Prune on Podman, carried out by Gantry. Podman's {@code POST /images/prune} refuses
     * {@code dangling=false} ("specifying "dangling" filter more than once with different values is
     * not supported", so {@code prune -a} cannot be asked for), reports one {@code Deleted:} line per
     * image and no layers, and counts every image's full size as reclaimed, shared layers too. So
     * Gantry plans the prune with Docker's rules on a snapshot (the preview, without layer lines,
     * which Podman does not print) and carries it out as plain, unforced deletes in the plan's order:
     * each {@code Untagged:} of the plan removes that name, each image the plan deletes and Podman
     * has not yet removed with its last name is deleted by ID. A delete the engine now refuses (a
     * container created meanwhile) is skipped. The lines are Podman's answers; the bytes are the
     * layers (by chain ID) that images and containers held before and no longer hold after, each
     * counted once.
     */
    private PruneResult prunePodman(String op, PruneMode mode, boolean dryRun) {
        EngineSnapshot before = snapshot(op, true);
        ReclaimPlan plan = planner.planPrune(before.model(), mode == PruneMode.ALL_UNUSED);
        Set<String> planned = new HashSet<>();
        plan.deletedImages().forEach(id -> planned.add(id.toString()));
        if (dryRun) {
            List<DeleteLine> lines = plan.records().stream()
                    .filter(l -> l.action() == DeleteLine.Action.UNTAGGED || planned.contains(l.value())).toList();
            return new PruneResult(mode, true, lines, plan.deletedImages(), plan.bytesFreed());
        }
        List<DeleteLine> lines = new ArrayList<>();
        Set<String> gone = new HashSet<>();
        for (DeleteLine step : plan.records()) {
            boolean untag = step.action() == DeleteLine.Action.UNTAGGED;
            if (!untag && (!planned.contains(step.value()) || gone.contains(step.value()))) {
                continue; // a layer line, or an image Podman removed with its last name
            }
            String target = step.value(); // a name, or sha256:<hex> (Podman reads a bare 64-hex it cannot find as a name: 500)
            String path = "/images/" + EngineApi.imagePath(op, target) + "?force=0&noprune=0";
            try (EngineApi.Response response = api.send(op, "DELETE", path, Map.of(), null, EngineApi.Speed.SLOW)) {
                List<DeleteLine> answer = lines(response.json());
                answer.stream().filter(l -> l.action() == DeleteLine.Action.DELETED).forEach(l -> gone.add(l.value()));
                lines.addAll(answer);
            } catch (GantryException e) {
                int status = e.httpStatus().orElse(0);
                if (status != 404 && status != 409 && status != 500) {
                    throw e;
                }
                if (status == 404 && !untag) {
                    // Podman removed it already, with the child deleted before it, without saying so.
                    lines.add(DeleteLine.deleted(step.value()));
                    gone.add(step.value());
                }
                // otherwise skipped, as moby's prune skips an image whose delete fails
            }
        }
        EngineSnapshot after = snapshot(op, true);
        Set<Digest> held = after.heldLayers();
        Map<Digest, Long> sizes = before.layerSizes();
        long reclaimed = before.heldLayers().stream().filter(chain -> !held.contains(chain))
                .mapToLong(chain -> sizes.getOrDefault(chain, 0L)).sum();
        Set<Digest> remaining = new HashSet<>();
        after.model().images().forEach(i -> remaining.add(i.id()));
        List<Digest> deleted = before.model().images().stream().map(ReclaimModel.Image::id)
                .filter(id -> !remaining.contains(id)).sorted().toList();
        return new PruneResult(mode, false, lines, deleted, reclaimed);
    }

    /**
     * The engine's state for Docker's rules: every image (with {@code all=1}, so intermediate ones
     * too) with parent and references, every container, and with {@code withLayers} each image's
     * layers (for the bytes a plan frees). Podman's RepoDigests are derived from the image's names
     * and manifest digest, not entries of a reference store that a delete removes one by one, so on
     * Podman they are not references.
     */
    private EngineSnapshot snapshot(String op, boolean withLayers) {
        JsonNode all = api.get(op, "/images/json?all=1");
        List<ContainerRef> containers = containers();
        boolean digestsAreReferences = !podman(op);
        List<ReclaimModel.Image> images = new ArrayList<>();
        for (JsonNode node : all) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            List<String> refs = new ArrayList<>(EngineJson.repoTags(node));
            if (digestsAreReferences) {
                refs.addAll(EngineJson.repoDigests(node));
            }
            images.add(new ReclaimModel.Image(id, refs, EngineJson.parent(node, "ParentId"),
                    withLayers ? LayerRef.of(layers(op, id)) : List.of()));
        }
        List<ReclaimModel.Container> users = containers.stream()
                .map(c -> new ReclaimModel.Container(c.id(), c.imageId(), c.running())).toList();
        return new EngineSnapshot(new ReclaimModel(images, users), containers);
    }

    /**
     * Every image {@code docker images} lists, with names and parent from one listing
     * ({@code /images/json}) and each image's layers (read once per image ID, then cached).
     */
    @Override
    public List<LocalImage> localImages() {
        String op = "read the images of " + name();
        List<LocalImage> images = new ArrayList<>();
        for (JsonNode node : api.get(op, "/images/json")) {
            Digest id = EngineJson.digest(node.path("Id").asText());
            images.add(new LocalImage(id, EngineJson.repoTags(node), EngineJson.repoDigests(node),
                    EngineJson.parent(node, "ParentId"), layers(op, id)));
        }
        return images;
    }

    @Override
    public List<ImageLayer> layers(ImageKey image) {
        String op = "read the layers of " + image + " on " + name();
        Digest id = image.id().orElseGet(() -> inspect(image).id());
        return layers(op, id);
    }

    /**
     * An image's layers: diff IDs from {@code inspect}, sizes and created-by from {@code history},
     * paired by {@link HistoryPairing}. The one pairing of history with layers for an engine: the
     * Layers view, file analysis, reclaim planning and prune's dry run all read it.
     */
    private List<ImageLayer> layers(String op, Digest id) {
        List<ImageLayer> cached = layersById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode inspect = api.get(op, "/images/" + id.hex() + "/json");
        List<Digest> diffIds = EngineJson.strings(inspect.path("RootFS").path("Layers")).stream()
                .map(EngineJson::digest).toList();
        List<HistoryEntry> oldestFirst = new ArrayList<>();
        for (JsonNode entry : api.get(op, "/images/" + id.hex() + "/history")) {
            oldestFirst.add(EngineJson.historyEntry(entry));
        }
        Collections.reverse(oldestFirst);
        int[] steps = HistoryPairing.layerSteps(oldestFirst, diffIds.size());
        List<ImageLayer> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            HistoryEntry step = steps[i] < 0 ? null : oldestFirst.get(steps[i]);
            layers.add(new ImageLayer(diffIds.get(i), Optional.empty(), step == null ? 0 : step.size(),
                    step == null ? "" : step.createdBy()));
        }
        layers = List.copyOf(layers);
        layersById.put(id, layers);
        return layers;
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
