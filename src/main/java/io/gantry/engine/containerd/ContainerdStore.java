package io.gantry.engine.containerd;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.gantry.core.Cancellation;
import io.gantry.core.ChainSharing;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.Platform;
import io.gantry.engine.Capabilities;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.KeptImage;
import io.gantry.engine.LocalImage;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.NodePullProgress;
import io.gantry.engine.NodePullResult;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.engine.archive.ArchiveWriter;
import io.gantry.engine.containerd.api.containers.Container;
import io.gantry.engine.containerd.api.containers.ContainersGrpc;
import io.gantry.engine.containerd.api.containers.ListContainersRequest;
import io.gantry.engine.containerd.api.content.ContentGrpc;
import io.gantry.engine.containerd.api.content.ListContentRequest;
import io.gantry.engine.containerd.api.images.DeleteImageRequest;
import io.gantry.engine.containerd.api.images.Image;
import io.gantry.engine.containerd.api.images.ImagesGrpc;
import io.gantry.engine.containerd.api.images.ListImagesRequest;
import io.gantry.engine.containerd.api.namespaces.ListNamespacesRequest;
import io.gantry.engine.containerd.api.namespaces.Namespace;
import io.gantry.engine.containerd.api.namespaces.NamespacesGrpc;
import io.gantry.engine.containerd.api.tasks.ListTasksRequest;
import io.gantry.engine.containerd.api.tasks.TasksGrpc;
import io.gantry.engine.containerd.api.types.Process;
import io.gantry.engine.containerd.api.version.VersionGrpc;
import io.gantry.engine.containerd.api.version.VersionResponse;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.KeptImages;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.rules.TargetOutcome;
import io.gantry.registry.ManifestCodec;
import io.gantry.registry.RegistryClient;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A containerd as an endpoint, one namespace at a time, through containerd's own gRPC API on its
 * unix socket (version, namespaces, images, content, containers, tasks), never through {@code ctr}.
 *
 * <p>Images are containerd's image records grouped by the config their target resolves to (an
 * index is resolved to this machine's platform), so an image has an ID and several names as on
 * Docker. SIZE is the sum of the layer blobs, as the embedded store counts it; SHARED by layer
 * blob with core's {@link ChainSharing#ofBlobs}, as the content store keeps them and the delete
 * rules count them. (Where {@code ctr images ls} shows a SIZE, it is this plus the manifest, the
 * config and an index.)
 *
 * <p>Deletes and prunes follow Gantry's rules ({@link ReclaimPlanner}, layers counted by blob):
 * containerd itself removes an image a running container uses without a word, so the plan is made
 * first, with the namespace's containers (and their tasks' states), and a refusal names the
 * container. Removing one name removes that image record only. The records are then deleted
 * (the last one synchronously, so containerd's garbage collector has freed the content when the
 * answer comes), and the answer is the plan's lines: a prune's result equals its preview.
 */
public final class ContainerdStore implements ImageStore {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerdStore.class);
    /** The namespace containerd's own clients use when none is given. */
    public static final String DEFAULT_NAMESPACE = "default";
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration DELETE = Duration.ofMinutes(2);
    private static final Capabilities CAPABILITIES = Capabilities.of(Capability.CONTAINERS, Capability.LAYER_BLOBS,
            Capability.LAYER_LINES, Capability.NAMESPACES, Capability.PRUNE_PREVIEW, Capability.DAEMON,
            Capability.NODE_IMAGES, Capability.LOAD, Capability.SAVE, Capability.EVENTS, Capability.TAG);

    private final String name;
    private final ContainerdConnection connection;
    private final ContainerdContent content;
    private final String namespace;
    private final Platform platform;
    private final ReclaimPlanner planner = new ReclaimPlanner();
    /** Shared by the stores of one connection; the connection closes with the last of them. */
    private final Shared shared;
    private final Optional<ContainerdPulls> pulls;
    /** Pulls onto the node through the CRI, with the user's logins. */
    private final CriPulls criPulls;
    /** Where each namespace's {@link ListingFacts} file is kept, if anywhere. */
    private final Optional<Path> listingDir;
    private final ListingFacts listingFacts;
    private volatile boolean closed;

    /** The connection's users: how many open stores, and the event subscriptions that close with the last. */
    private static final class Shared {
        private int users = 1;
        private final List<Subscription> subscriptions = new ArrayList<>();
    }

    private ContainerdStore(String name, ContainerdConnection connection, ContainerdContent content, String namespace,
                            Platform platform, Shared shared, Optional<ContainerdPulls> pulls, CriPulls criPulls,
                            Optional<Path> listingDir) {
        this.name = name;
        this.listingDir = listingDir;
        this.listingFacts = new ListingFacts(listingDir.map(dir -> dir.resolve(listingFile(connection.socket(), namespace))),
                platform.toString());
        this.pulls = pulls;
        this.criPulls = criPulls;
        this.connection = connection;
        this.content = content;
        this.namespace = namespace;
        this.platform = platform;
        this.shared = shared;
    }

    /**
     * A store for {@code namespace} of the containerd at {@code socket}, shown as {@code name}
     * ("containerd", "k3s containerd"). No I/O: a daemon that is not there fails the first call.
     */
    public static ContainerdStore open(String name, Path socket, String namespace) {
        return open(name, socket, namespace, Optional.empty());
    }

    /**
     * {@link #open(String, Path, String)} that pulls through {@code registry} (built on first use),
     * keeping downloads in the system's temp directory until they are in containerd.
     */
    public static ContainerdStore open(String name, Path socket, String namespace,
                                       Optional<Supplier<RegistryClient>> registry) {
        return open(name, socket, namespace, registry, EngineCredentials.anonymous());
    }

    /**
     * {@link #open(String, Path, String, Optional)} whose pulls onto the node through the CRI
     * ({@link #pullToNode}) send the user's login for the image's registry from {@code credentials}.
     */
    public static ContainerdStore open(String name, Path socket, String namespace,
                                       Optional<Supplier<RegistryClient>> registry, EngineCredentials credentials) {
        return open(name, socket, namespace, registry, credentials, Optional.empty());
    }

    /**
     * {@link #open(String, Path, String, Optional, EngineCredentials)} that keeps what listings learn
     * of each image ({@link ListingFacts}) in {@code listingDir}, a file per socket and namespace, so
     * that the next process lists without reading the content of images it has seen.
     */
    public static ContainerdStore open(String name, Path socket, String namespace,
                                       Optional<Supplier<RegistryClient>> registry, EngineCredentials credentials,
                                       Optional<Path> listingDir) {
        requireNamespace(namespace);
        ContainerdConnection connection = new ContainerdConnection(socket);
        Optional<ContainerdPulls> pulls = registry.map(r -> new ContainerdPulls(connection, r,
                Path.of(System.getProperty("java.io.tmpdir"))));
        return new ContainerdStore(name, connection, new ContainerdContent(connection), namespace, Platform.current(),
                new Shared(), pulls, new CriPulls(connection, credentials), listingDir);
    }

    /** The listing file of a socket's namespace: a hash of the socket's path (any characters) and the namespace. */
    private static String listingFile(Path socket, String namespace) {
        return Digest.sha256(socket.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hex().substring(0, 16) + "-" + namespace;
    }

    private static void requireNamespace(String namespace) {
        if (!namespace.matches("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?") || namespace.length() > 76) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "choose namespace " + namespace, "'" + namespace
                    + "' is not a containerd namespace name", null, 0,
                    "Give a namespace as gantry --endpoint ID namespaces lists it (default, k8s.io, moby…).", null);
        }
    }

    /** The socket's address as an endpoint address: {@code unix:///run/containerd/containerd.sock}. */
    public String address() {
        return "unix://" + connection.socket();
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("containerd:" + address(), name, Endpoint.Kind.CONTAINERD, address());
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Optional<String> namespace() {
        return Optional.of(namespace);
    }

    @Override
    public ImageStore inNamespace(String other) {
        requireNamespace(other);
        synchronized (shared) {
            shared.users++;
        }
        return new ContainerdStore(name, connection, content, other, platform, shared, pulls, criPulls, listingDir);
    }

    /** Every namespace containerd has, sorted (containerd creates {@code default} on first use by a client). */
    @Override
    public List<String> namespaces() {
        String op = "list namespaces of " + name;
        try {
            return connection.bind(NamespacesGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .list(ListNamespacesRequest.getDefaultInstance()).getNamespacesList().stream()
                    .map(Namespace::getName).sorted().toList();
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
    }

    @Override
    public EngineInfo info() {
        try {
            VersionResponse version = connection.bind(VersionGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .version(Empty.getDefaultInstance());
            List<EngineInfo.Component> components = new ArrayList<>();
            components.add(new EngineInfo.Component("containerd", version.getVersion()));
            if (!version.getRevision().isEmpty()) {
                components.add(new EngineInfo.Component("revision", version.getRevision()));
            }
            components.add(new EngineInfo.Component("namespace", namespace));
            return new EngineInfo("containerd", version.getVersion(), "v1", "Gantry containerd client (gRPC)",
                    "", "", components);
        } catch (StatusRuntimeException e) {
            throw connection.failure("ask " + name + " its version", e);
        }
    }

    // ---------------------------------------------------------------- images

    /** The namespace's image records, oldest first (by name when created together). */
    private List<Image> records(String op) {
        List<Image> records;
        try {
            records = connection.bind(ImagesGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .list(ListImagesRequest.getDefaultInstance()).getImagesList();
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        List<Image> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing((Image i) -> instant(i.getCreatedAt())).thenComparing(Image::getName));
        return sorted;
    }

    /** Rethrows what ends a listing (containerd gone, cancelled); logs a record left out for its content. */
    private void leaveOut(Image record, GantryException e) {
        if (e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.CANCELLED) {
            throw e;
        }
        // content not (yet) there: a pull in progress, another platform only, or damage
        LOG.info("image {} in namespace {} is left out: {}", record.getName(), namespace, e.getMessage());
    }

    /** The namespace's image records, resolved and grouped by image ID, oldest record first. */
    List<ContainerdImage> images() {
        String op = "list images of " + name + " (namespace " + namespace + ")";
        Map<Digest, List<Image>> byId = new LinkedHashMap<>();
        Map<Digest, Resolved> resolved = new HashMap<>();
        List<Image> sorted = records(op);
        List<Object> outcomes = resolveAll(sorted, op);
        for (int i = 0; i < sorted.size(); i++) {
            Image record = sorted.get(i);
            if (outcomes.get(i) instanceof Resolved r) {
                resolved.putIfAbsent(r.config().digest(), r);
                byId.computeIfAbsent(r.config().digest(), k -> new ArrayList<>()).add(record);
            } else {
                leaveOut(record, (GantryException) outcomes.get(i));
            }
        }
        List<ContainerdImage> images = new ArrayList<>();
        byId.forEach((id, named) -> {
            Resolved r = resolved.get(id);
            images.add(new ContainerdImage(id, r.target(), r.manifest(), r.content(), r.configContent(),
                    named.stream().map(Image::getName).toList(), instant(named.get(0).getCreatedAt())));
        });
        return images;
    }

    /**
     * One image of a listing, as {@link #listImages} and {@link #containers()} need it: the image ID,
     * its records' names, when the oldest record was created, and its {@link ListingFacts.Facts}.
     */
    private record Listed(Digest id, List<String> names, Instant created, ListingFacts.Facts facts) {
    }

    /**
     * One listing of the namespace: its images, and the bytes of every blob they reference (targets,
     * manifests, configs, layers), each once ({@link #diskUsage()}), counted from the same answers.
     */
    private record Scan(List<Listed> images, long bytes) {
    }

    /**
     * The namespace's images grouped as {@link #images()} groups them, from three calls whatever the
     * number of images — the records ({@code Images/List}), every blob the content store holds
     * ({@code Content/List}) and the {@link ListingFacts} — with content read only for targets not
     * seen before (or whose target, manifest or config the content store no longer holds).
     */
    private Scan listing() {
        String op = "list images of " + name + " (namespace " + namespace + ")";
        // the facts file and then, when it knows any image, the content list are read while the
        // records are asked for (the first call of a process also connects): in a cold process each
        // is a good part of the listing; with no facts there is nothing to check against the content
        java.util.concurrent.ExecutorService side = listers(1);
        List<Image> sorted;
        Map<String, Long> stored;
        try {
            java.util.concurrent.Future<Map<String, Long>> storedLater = side.submit(() -> listingFacts.load()
                    ? storedSizes(op) : Map.of());
            sorted = records(op);
            stored = join(storedLater, op);
        } finally {
            side.shutdown();
        }
        if (sorted.isEmpty()) {
            listingFacts.save(Set.of());
            return new Scan(List.of(), 0);
        }
        List<ListingFacts.Facts> facts = new ArrayList<>(sorted.size());
        List<Image> unknown = new ArrayList<>();
        Set<Digest> targets = new HashSet<>();
        List<Optional<Digest>> targetOf = new ArrayList<>(sorted.size());
        for (Image record : sorted) {
            Optional<Digest> target = targetOf(record);
            targetOf.add(target);
            target.ifPresent(targets::add);
            Optional<ListingFacts.Facts> known = target.filter(t -> stored.containsKey(t.toString()))
                    .flatMap(listingFacts::get).filter(f -> stored.containsKey(f.manifest().toString())
                            && stored.containsKey(f.config().digest().toString()));
            facts.add(known.orElse(null));
            if (known.isEmpty()) {
                unknown.add(record);
            }
        }
        List<Object> outcomes = resolveAll(unknown, op);
        Map<Digest, Long> bytes = new HashMap<>();
        for (int i = 0, u = 0; i < sorted.size(); i++) {
            long manifestSize;
            if (facts.get(i) != null) {
                manifestSize = stored.get(facts.get(i).manifest().toString());
            } else if (outcomes.get(u++) instanceof Resolved r) {
                ListingFacts.Facts resolved = ListingFacts.Facts.of(r.manifest().digest(), r.content(), r.configContent());
                listingFacts.put(r.target().digest(), resolved);
                facts.set(i, resolved);
                manifestSize = r.manifest().size();
            } else {
                leaveOut(sorted.get(i), (GantryException) outcomes.get(u - 1));
                continue;
            }
            ListingFacts.Facts f = facts.get(i);
            bytes.put(f.manifest(), manifestSize);
            bytes.put(targetOf.get(i).orElseThrow(), sorted.get(i).getTarget().getSize()); // listed: its target parsed
            bytes.put(f.config().digest(), f.config().size());
            f.layers().forEach(layer -> bytes.put(layer.digest(), layer.size()));
        }
        Map<Digest, List<Integer>> byId = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (facts.get(i) != null) {
                byId.computeIfAbsent(facts.get(i).config().digest(), k -> new ArrayList<>()).add(i);
            }
        }
        List<Listed> listed = new ArrayList<>(byId.size());
        byId.forEach((id, indexes) -> listed.add(new Listed(id, indexes.stream().map(i -> sorted.get(i).getName())
                .toList(), instant(sorted.get(indexes.get(0)).getCreatedAt()), facts.get(indexes.get(0)))));
        listingFacts.save(targets);
        return new Scan(listed, bytes.values().stream().mapToLong(Long::longValue).sum());
    }

    private static Optional<Digest> targetOf(Image record) {
        try {
            return Optional.of(Digest.of(record.getTarget().getDigest()));
        } catch (RuntimeException notADigest) {
            return Optional.empty(); // resolving it says what is wrong
        }
    }

    /** The digest and size of every blob in the content store ({@code Content/List}, one stream of infos). */
    private Map<String, Long> storedSizes(String op) {
        Map<String, Long> digests = new HashMap<>();
        try {
            var answers = connection.bind(ContentGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .list(ListContentRequest.getDefaultInstance());
            while (answers.hasNext()) {
                answers.next().getInfoList().forEach(info -> digests.put(info.getDigest(), info.getSize()));
            }
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        return digests;
    }

    /** How many image records are resolved at once: each is two or three content reads, a round trip each. */
    private static final int RESOLVERS = 8;

    /**
     * Each record resolved ({@link Resolved}) or why not ({@link GantryException}), in the records'
     * order. The reads go out {@link #RESOLVERS} at a time over the one channel: one after another,
     * 1,000 images were 2,000 round trips in a row. Every read keeps its own deadline.
     */
    private List<Object> resolveAll(List<Image> records, String op) {
        if (records.size() < 2) {
            return records.stream().map(record -> resolveOrFailure(record, op)).toList();
        }
        java.util.concurrent.ExecutorService pool = listers(Math.min(RESOLVERS, records.size()));
        try {
            List<java.util.concurrent.Future<Object>> futures = pool.invokeAll(records.stream()
                    .map(record -> (java.util.concurrent.Callable<Object>) () -> resolveOrFailure(record, op)).toList());
            List<Object> outcomes = new ArrayList<>(futures.size());
            for (java.util.concurrent.Future<Object> future : futures) {
                outcomes.add(join(future, op));
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, op, "cancelled");
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code threads} daemon threads for the reads of one listing. */
    private static java.util.concurrent.ExecutorService listers(int threads) {
        return java.util.concurrent.Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "gantry-containerd-list");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What {@code future} gives, or its failure as it was thrown (a {@link GantryException}). */
    private static <T> T join(java.util.concurrent.Future<T> future, String op) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, op, "cancelled");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new GantryException(ErrorKind.INTERNAL, op, "an image record could not be read", e.getCause());
        }
    }

    private Object resolveOrFailure(Image record, String op) {
        try {
            return resolve(record, op);
        } catch (GantryException e) {
            return e;
        }
    }

    /** An image record's target down to this platform's manifest and its config. */
    private record Resolved(Descriptor target, Descriptor manifest, Manifest content, Descriptor config,
                            ImageConfig configContent) {
    }

    private Resolved resolve(Image record, String op) {
        var t = record.getTarget();
        Descriptor target = Descriptor.of(t.getMediaType(), Digest.of(t.getDigest()), t.getSize());
        Descriptor manifest = target;
        ManifestContent parsed = ManifestCodec.parse(content.readSmall(namespace, target.digest(), op),
                Optional.of(target.mediaType()), op);
        if (parsed instanceof ImageIndex index) {
            manifest = index.manifestFor(platform).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, op,
                    record.getName() + " has no manifest for " + platform));
            parsed = ManifestCodec.parse(content.readSmall(namespace, manifest.digest(), op),
                    Optional.of(manifest.mediaType()), op);
        }
        if (!(parsed instanceof Manifest image)) {
            throw new GantryException(ErrorKind.BAD_CONTENT, op, record.getName() + " points at an index of indexes");
        }
        ImageConfig config = ManifestCodec.parseConfig(content.readSmall(namespace, image.config().digest(), op), op);
        return new Resolved(target, manifest, image, image.config(), config);
    }

    @Override
    public List<ImageSummary> listImages() {
        return summaries(listing().images());
    }

    /** The images and their disk use from one listing (the rail and the table ask for both at once). */
    @Override
    public Listing listWithDiskUsage() {
        Scan scan = listing();
        return new Listing(summaries(scan.images()), OptionalLong.of(scan.bytes()));
    }

    private List<ImageSummary> summaries(List<Listed> images) {
        Map<Digest, Integer> users = new HashMap<>();
        for (ContainerRef c : containers(idByName(images), cri())) {
            users.merge(c.imageId(), 1, Integer::sum);
        }
        // the content store keeps a layer as its blob, once (as the delete rules count it: LayerKey.BLOB)
        Map<Digest, List<Digest>> blobs = new LinkedHashMap<>();
        images.forEach(image -> blobs.put(image.id(), image.facts().layers().stream().map(ListingFacts.Blob::digest)
                .toList()));
        ChainSharing sharing = ChainSharing.ofBlobs(blobs);
        List<ImageSummary> summaries = new ArrayList<>();
        for (Listed image : images) {
            List<Long> layerSizes = image.facts().layerSizes();
            summaries.add(new ImageSummary(image.id(), ContainerdImage.repoTags(image.names()),
                    ContainerdImage.repoDigests(image.names()), image.facts().created().orElse(image.created()),
                    sharing.size(image.id(), layerSizes), sharing.sharedSize(image.id(), layerSizes),
                    users.getOrDefault(image.id(), 0)));
        }
        return summaries;
    }

    /**
     * Every blob an image of the namespace references (index, manifest, config, layers), each once,
     * from the listing's facts and one {@code Content/List}, without reading any image's content again.
     */
    @Override
    public OptionalLong diskUsage() {
        return OptionalLong.of(listing().bytes());
    }

    /** The image {@code key} names: a name (as containerd keeps it or in Docker's short form), an ID or ID prefix. */
    ContainerdImage find(ImageKey key, List<ContainerdImage> images, String op) {
        if (key.id().isPresent()) {
            for (ContainerdImage image : images) {
                if (image.id().equals(key.id().get())) {
                    return image;
                }
            }
        }
        if (key.reference().isPresent()) {
            String wanted = key.reference().get().toString();
            for (ContainerdImage image : images) {
                if (image.names().contains(key.text())
                        || image.references().stream().anyMatch(r -> r.toString().equals(wanted))) {
                    return image;
                }
            }
        }
        if (key.idPrefix().isPresent()) {
            List<ContainerdImage> matches = images.stream().filter(i -> i.id().hex().startsWith(key.idPrefix().get()))
                    .toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new GantryException(ErrorKind.INVALID_INPUT, op, "'" + key.text() + "' names " + matches.size()
                        + " images", null, 0, "Give more of the image ID.", null);
            }
        }
        throw new GantryException(ErrorKind.NOT_FOUND, op, "no such image in namespace " + namespace + ": "
                + key.text(), null, 0, "gantry --endpoint " + endpoint().id() + " --namespace " + namespace
                + " images lists them.", null);
    }

    private ContainerdImage find(ImageKey key) {
        String op = "find image " + key.text();
        return find(key, images(), op);
    }

    @Override
    public ImageDetails inspect(ImageKey key) {
        ContainerdImage image = find(key);
        ImageConfig config = image.config();
        return new ImageDetails(image.id(), image.repoTags(), image.repoDigests(), Optional.empty(),
                config.created().orElse(image.created()), Optional.of(config.platform()), image.size(), config.run(),
                config.diffIds(), "", Map.of(), config.author().orElse(""), "");
    }

    @Override
    public List<HistoryEntry> history(ImageKey key) {
        return find(key).history();
    }

    @Override
    public List<ImageLayer> layers(ImageKey key) {
        return find(key).layers();
    }

    /** Every image with its names and layers in one listing; containerd keeps no parent links. */
    @Override
    public List<LocalImage> localImages() {
        return images().stream().map(i -> new LocalImage(i.id(), i.repoTags(), i.repoDigests(), Optional.empty(),
                i.layers())).toList();
    }

    @Override
    public InputStream openLayer(Digest blob) {
        return content.open(namespace, blob, "read layer " + blob);
    }

    // ---------------------------------------------------------------- containers

    @Override
    public List<ContainerRef> containers() {
        return containers(idByName(listing().images()), cri());
    }

    /**
     * The namespace's containers (a CRI pod's sandbox is one too), with their task's state; the image
     * of each is the one its image name resolves to now. A container whose image name no longer
     * names an image is left out (nothing of this namespace's images is in its way).
     */
    List<ContainerRef> containers(List<ContainerdImage> images) {
        return containers(images, cri());
    }

    private List<ContainerRef> containers(List<ContainerdImage> images, CriRuntime cri) {
        Map<String, Digest> idByName = new HashMap<>();
        for (ContainerdImage image : images) {
            image.names().forEach(n -> idByName.put(n, image.id()));
            idByName.put(image.id().toString(), image.id());
        }
        return containers(idByName, cri);
    }

    /** What a container's image name may be: an image's record names and its ID. */
    private static Map<String, Digest> idByName(List<Listed> images) {
        Map<String, Digest> idByName = new HashMap<>();
        for (Listed image : images) {
            image.names().forEach(n -> idByName.put(n, image.id()));
            idByName.put(image.id().toString(), image.id());
        }
        return idByName;
    }

    /** What the CRI says of this namespace: only {@code k8s.io} is the CRI's; elsewhere nothing. */
    private CriRuntime cri() {
        return namespace.equals(CriPulls.CRI_NAMESPACE) ? CriRuntime.read(connection, "ask the CRI of " + name)
                : CriRuntime.none();
    }

    /**
     * The namespace's containers whose image name is in {@code idByName}, named by the CRI's pods and
     * containers where it knows them.
     */
    private List<ContainerRef> containers(Map<String, Digest> idByName, CriRuntime cri) {
        String op = "list containers of " + name + " (namespace " + namespace + ")";
        List<Container> containers;
        Map<String, Process> tasks = new HashMap<>();
        try {
            containers = connection.bind(ContainersGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .list(ListContainersRequest.getDefaultInstance()).getContainersList();
            if (containers.isEmpty()) {
                return List.of();
            }
            for (Process task : connection.bind(TasksGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .list(ListTasksRequest.getDefaultInstance()).getTasksList()) {
                // containerd 1.6 leaves container_id empty in a listing; the task's ID is its container's
                tasks.put(task.getContainerId().isEmpty() ? task.getId() : task.getContainerId(), task);
            }
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        List<ContainerRef> refs = new ArrayList<>();
        for (Container c : containers) {
            Digest imageId = idByName.get(c.getImage());
            if (imageId == null) {
                continue;
            }
            Process task = tasks.get(c.getId());
            ContainerRef.State state = task == null ? ContainerRef.State.CREATED : switch (task.getStatus()) {
                case RUNNING -> ContainerRef.State.RUNNING;
                case PAUSED, PAUSING -> ContainerRef.State.PAUSED;
                case STOPPED -> ContainerRef.State.EXITED;
                case CREATED -> ContainerRef.State.CREATED;
                default -> ContainerRef.State.UNKNOWN;
            };
            String shown = ContainerdImage.reference(c.getImage()).map(r -> r.familiar()).orElse(c.getImage());
            refs.add(new ContainerRef(c.getId(), cri.names().getOrDefault(c.getId(), containerName(c)), imageId, shown,
                    state,
                    state.name().toLowerCase(java.util.Locale.ROOT), instant(c.getCreatedAt())));
        }
        refs.sort(Comparator.comparing(ContainerRef::created).reversed());
        return refs;
    }

    /** The name a container is known by: Kubernetes' or nerdctl's label, else its ID. */
    private static String containerName(Container c) {
        Map<String, String> labels = c.getLabelsMap();
        String pod = labels.getOrDefault("io.kubernetes.pod.name", "");
        String container = labels.getOrDefault("io.kubernetes.container.name", "");
        if (!pod.isEmpty()) {
            return container.isEmpty() ? pod + " (pod sandbox)" : pod + "/" + container;
        }
        return labels.getOrDefault("nerdctl/name", c.getId());
    }

    /** containerd keeps no parent links between images. */
    @Override
    public List<Digest> children(Digest imageId) {
        return List.of();
    }

    // ---------------------------------------------------------------- delete and prune

    private ReclaimModel model(List<ContainerdImage> images, List<ContainerRef> containers, List<KeptImage> kept) {
        List<ReclaimModel.Image> modelled = new ArrayList<>();
        for (ContainerdImage image : images) {
            List<String> references = new ArrayList<>(image.repoTags());
            references.addAll(image.repoDigests());
            modelled.add(ReclaimModel.Image.of(image.id(), references, image.layers()));
        }
        List<ReclaimModel.Container> users = new ArrayList<>(containers.stream()
                .map(c -> new ReclaimModel.Container(c.id(), c.imageId(), c.running())).toList());
        // an image the node must keep is held as a running container would hold it: never deleted, never pruned
        kept.forEach(k -> users.add(KeptImages.holder(k)));
        return new ReclaimModel(modelled, users, ReclaimModel.LayerKey.BLOB);
    }

    @Override
    public DeleteResult delete(ImageKey key, boolean force) {
        String op = "delete " + key.text();
        List<ContainerdImage> images = images();
        CriRuntime cri = cri();
        List<ContainerRef> containers = containers(images, cri);
        ContainerdImage image = find(key, images, op);
        List<KeptImage> kept = NodeKeeps.kept(images, cri);
        ReclaimModel model = model(images, containers, kept);
        // a name the short forms do not show (the CRI's sha256:<id> record) deletes the image, as its ID does
        DeleteTarget target = KeptImages.retarget(kept, planner.target(model, key).orElse(DeleteTarget.id(image.id())));
        ReclaimPlan plan = planner.planDelete(model, List.of(target), force);
        TargetOutcome outcome = plan.outcomes().get(0);
        Optional<KeptImage> keptOne = kept.stream().filter(k -> k.id().equals(image.id())).findFirst();
        if (outcome.refused() && keptOne.isPresent()) {
            String reason = keptOne.get().reason();
            List<String> names = new ArrayList<>(image.repoTags());
            names.addAll(image.repoDigests());
            return DeleteResult.refused(key.text(), force, new DeleteConflict(DeleteConflict.Kind.RUNNING_CONTAINER,
                    image.id(), List.of(), List.of(), names, "conflict: unable to delete " + key.text()
                    + " (cannot be forced) - " + reason));
        }
        if (outcome.refused()) {
            DeleteRefusal refusal = outcome.refusal().get();
            List<ContainerRef> inTheWay = containers.stream().filter(c -> c.imageId().equals(image.id()))
                    .sorted((a, b) -> Boolean.compare(b.running(), a.running())).toList();
            List<String> names = new ArrayList<>(image.repoTags());
            names.addAll(image.repoDigests());
            String message = refusal.message() + (inTheWay.isEmpty() ? "" : " (" + inTheWay.stream()
                    .map(c -> c.name() + " " + c.state().name().toLowerCase(java.util.Locale.ROOT))
                    .reduce((a, b) -> a + ", " + b).orElse("") + ")");
            return DeleteResult.refused(key.text(), force, new DeleteConflict(refusal.reason().conflictKind(),
                    image.id(), inTheWay, List.of(), names, message));
        }
        apply(images, plan, op);
        return DeleteResult.done(key.text(), force, outcome.records());
    }

    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        String op = dryRun ? "plan prune of " + name : "prune images of " + name;
        List<ContainerdImage> images = images();
        CriRuntime cri = cri();
        ReclaimPlan plan = planner.planPrune(model(images, containers(images, cri), NodeKeeps.kept(images, cri)),
                mode == PruneMode.ALL_UNUSED);
        if (!dryRun) {
            apply(images, plan, op);
        }
        return new PruneResult(mode, dryRun, plan.records(), plan.deletedImages(), plan.bytesFreed());
    }

    /** Deletes the image records the plan untags or deletes; the last one synchronously (content collected). */
    private void apply(List<ContainerdImage> images, ReclaimPlan plan, String op) {
        Set<Digest> deleted = new HashSet<>(plan.deletedImages());
        List<String> records = new ArrayList<>();
        for (ContainerdImage image : images) {
            if (deleted.contains(image.id())) {
                records.addAll(image.names());
            }
        }
        for (String untagged : plan.untaggedOnly()) {
            for (ContainerdImage image : images) {
                if (!deleted.contains(image.id())) {
                    image.recordOf(untagged).ifPresent(records::add);
                }
            }
        }
        for (int i = 0; i < records.size(); i++) {
            boolean last = i == records.size() - 1;
            try {
                connection.bind(ImagesGrpc.newBlockingStub(connection.channel()), namespace, DELETE)
                        .delete(DeleteImageRequest.newBuilder().setName(records.get(i)).setSync(last).build());
            } catch (StatusRuntimeException e) {
                GantryException failure = connection.failure(op, e);
                if (failure.kind() != ErrorKind.NOT_FOUND) { // gone meanwhile is what was wanted
                    throw failure;
                }
            }
        }
    }

    /** The node's sandbox image and pinned images, in {@code k8s.io} (the CRI's namespace); none elsewhere. */
    @Override
    public List<KeptImage> keptImages() {
        return namespace.equals(CriPulls.CRI_NAMESPACE) ? NodeKeeps.kept(images(), cri()) : List.of();
    }

    /**
     * The node view through the CRI plugin on the same socket ({@link ContainerdNode}), whichever
     * namespace this store shows: the CRI's images live in {@code k8s.io}.
     */
    @Override
    public NodeImageCache nodeImageCache() {
        if (namespace.equals("k8s.io")) {
            return ContainerdNode.read(connection, this);
        }
        try (ContainerdStore k8s = (ContainerdStore) inNamespace("k8s.io")) {
            return ContainerdNode.read(connection, k8s);
        }
    }

    /**
     * Pulls onto the node through the CRI plugin's {@code PullImage} ({@link CriPulls}), into
     * {@code k8s.io} whichever namespace this store shows, with the user's login for the registry.
     */
    @Override
    public NodePullResult pullToNode(ImageReference image, Consumer<NodePullProgress> progress,
                                     Cancellation cancellation) {
        return criPulls.pull(image, progress, cancellation);
    }

    // ---------------------------------------------------------------- the rest of the port

    /**
     * Pulls into this namespace through Gantry's registry client ({@link ContainerdPulls}: content
     * written under a lease, then the image record); {@code INTERNAL} for a store opened without one.
     */
    @Override
    public PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation) {
        return pulls.orElseThrow(() -> new GantryException(ErrorKind.INTERNAL, "pull " + request.reference().familiar(),
                "this containerd endpoint was opened without a registry client"))
                .pull(namespace, request, platform, progress, cancellation);
    }

    /**
     * Gives the image {@code source} the record {@code target} (containerd's full name, as
     * {@code ctr images tag --force}): it points at the same target as the record {@code source}
     * names (given by ID, the image's oldest record); a record that named another image now names
     * this one, as {@code docker tag} moves a name.
     */
    @Override
    public void tag(ImageKey source, ImageReference target) {
        String op = "tag " + source.text() + " as " + target.familiar() + " in " + name + " (namespace " + namespace + ")";
        ContainerdImage image = find(source, images(), op);
        Descriptor pointed = recordNamed(image, source).flatMap(record -> targetOfRecord(record, op)).orElse(image.target());
        ContainerdPulls.name(connection, namespace, target.toString(), pointed, op);
    }

    /** The target the record {@code record} points at now. */
    private Optional<Descriptor> targetOfRecord(String record, String op) {
        try {
            var t = connection.bind(ImagesGrpc.newBlockingStub(connection.channel()), namespace, CALL)
                    .get(io.gantry.engine.containerd.api.images.GetImageRequest.newBuilder().setName(record).build())
                    .getImage().getTarget();
            return Optional.of(Descriptor.of(t.getMediaType(), Digest.of(t.getDigest()), t.getSize()));
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
    }

    /**
     * Writes images of this namespace as one archive, as {@code ctr images export} would: each image's
     * manifest for this machine's platform, its config and layers read from the content store (and
     * checked) by the shared {@link ArchiveWriter}, layers images share once. An image given by a
     * name goes under that name (containerd's full record name); given by ID, under none, as
     * {@code docker save <id>}. Layers uncompressed for the docker format wait in the temp directory.
     */
    @Override
    public void save(List<ImageKey> keys, io.gantry.engine.ArchiveFormat format, java.io.OutputStream out) {
        String op = "save " + keys.stream().map(ImageKey::text).reduce((a, b) -> a + ", " + b).orElse("")
                + " from " + name + " (namespace " + namespace + ")";
        if (keys.isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "no image given");
        }
        List<ContainerdImage> images = images();
        Map<Digest, ContainerdImage> chosen = new LinkedHashMap<>();
        Map<Digest, List<ArchiveWriter.Name>> names = new LinkedHashMap<>();
        for (ImageKey key : keys) {
            ContainerdImage image = find(key, images, op);
            chosen.putIfAbsent(image.id(), image);
            List<ArchiveWriter.Name> named = names.computeIfAbsent(image.id(), id -> new ArrayList<>());
            recordNamed(image, key).flatMap(record -> ContainerdImage.reference(record)
                            .map(r -> new ArchiveWriter.Name(record, Optional.of(r))))
                    .filter(n -> !named.contains(n)).ifPresent(named::add);
        }
        List<ArchiveWriter.Item> items = new ArrayList<>();
        chosen.forEach((id, image) -> items.add(new ArchiveWriter.Item(image.manifest(), image.content(),
                names.get(id))));
        new ArchiveWriter(digest -> content.open(namespace, digest, op),
                Path.of(System.getProperty("java.io.tmpdir"))).write(items, format, out);
    }

    /** The record {@code key} names, when it is a name (not an ID). */
    private static Optional<String> recordNamed(ContainerdImage image, ImageKey key) {
        if (key.reference().isEmpty()) {
            return Optional.empty();
        }
        if (image.names().contains(key.text())) {
            return Optional.of(key.text());
        }
        String wanted = key.reference().get().toString();
        return image.names().stream().filter(n -> ContainerdImage.reference(n).map(r -> r.toString().equals(wanted))
                .orElse(false)).findFirst();
    }

    /** An OCI archive into this namespace as a stream ({@link ContainerdLoads}). */
    @Override
    public io.gantry.engine.LoadResult load(InputStream archive) {
        return new ContainerdLoads(connection, content).load(namespace, archive, platform);
    }

    @Override
    public io.gantry.engine.LoadResult load(Path archive) {
        try (InputStream in = java.nio.file.Files.newInputStream(archive)) {
            return load(in);
        } catch (java.io.IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "load " + archive, "cannot read " + archive + ": " + IoProblem.describe(e), e);
        }
    }

    @Override
    public io.gantry.engine.ArchiveFormat loadFormat() {
        return io.gantry.engine.ArchiveFormat.OCI;
    }

    /**
     * Follows containerd's event stream ({@link ContainerdEvents}): the image, container, task and
     * namespace events of <em>every</em> namespace (each event names its namespace in the attribute
     * {@code namespace}), so one subscription serves the endpoint whichever namespace it shows. It
     * belongs to the connection: it outlives this store when the endpoint switches to another namespace
     * ({@link #inNamespace}), and ends when closed or when the last store of the connection closes.
     */
    @Override
    public Subscription subscribe(StoreEventListener listener) {
        ContainerdEvents events = new ContainerdEvents(connection, listener, name);
        Subscription subscription = new Subscription() {
            @Override
            public void close() {
                events.close();
                synchronized (shared) {
                    shared.subscriptions.remove(this);
                }
            }
        };
        synchronized (shared) {
            if (shared.users == 0) {
                throw new GantryException(ErrorKind.INTERNAL, "follow events of " + name, "the endpoint is closed");
            }
            shared.subscriptions.add(subscription);
        }
        events.start();
        return subscription;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean last;
        List<Subscription> subscriptions = List.of();
        synchronized (shared) {
            last = --shared.users == 0;
            if (last) {
                subscriptions = List.copyOf(shared.subscriptions);
            }
        }
        if (last) {
            subscriptions.forEach(Subscription::close);
            connection.close();
        }
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    @Override
    public String toString() {
        return name + " " + address() + " [" + namespace + "]";
    }
}
