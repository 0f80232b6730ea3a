package io.gantry.store;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.core.Platform;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.Capabilities;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.LoadResult;
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
import io.gantry.engine.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The embedded store: an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) that skopeo, umoci and podman read and write too.
 *
 * <p>A value with verbs, like go-containerregistry's {@code layout.Path}, each group of verbs a
 * class of its own behind this one:
 * <ul>
 *   <li><b>blobs</b> — {@link #beginBlob} (resumable, verified while streaming),
 *       {@link #writeBlob(String, InputStream)}, {@link #hasBlob}, {@link #openBlob},
 *       {@link #readBlob} ({@code LayoutBlobs}). A blob appears under {@code blobs/} only complete,
 *       verified and fsynced, by an atomic rename.</li>
 *   <li><b>the index</b> — {@code LayoutIndex} reads and rewrites {@code index.json};
 *       {@code IndexEdits} names and unnames entries; {@code LayoutContent} resolves entries to
 *       images and finds what a user's text names.</li>
 *   <li><b>images</b> — {@link #images()}, {@link #addImage}, {@link #tag}, {@link #delete},
 *       and the rest of {@link ImageStore} ({@code LayoutImages}, {@code LayoutRemovals}). Every
 *       change of {@code index.json} is a read-modify-write under the index lock, written to a
 *       temp file, fsynced and renamed.</li>
 *   <li><b>maintenance</b> — {@link #gc(boolean)} (explicit; also what {@link #prune} and
 *       {@link #delete} use to free blobs, and what frees a manifest and its layers when {@link #tag},
 *       {@link #pull} or {@link #load} move its last name to another manifest of the same image), {@link #verify()} (checks, never repairs) ({@code LayoutGc}, {@code LayoutVerifier},
 *       {@code WorkFiles}).</li>
 *   <li><b>exchange</b> — {@link #pull} ({@code LayoutPuller}), {@link #save} and {@link #load}
 *       ({@code LayoutArchives}), {@link #subscribe} ({@code IndexWatch}).</li>
 * </ul>
 *
 * <p>Names are written as full references into {@code org.opencontainers.image.ref.name} and
 * {@code io.containerd.image.name}; a pull also records {@code repo@digest}, as Docker's
 * reference store does. The image ID is the config digest. A multi-platform image is stored as
 * the manifest chosen for one platform, its entry annotated with the index it came from (kept as a
 * blob), so other tools see an ordinary single-platform image.
 *
 * <p>Thread-safe; several processes may share one layout (see {@code StoreLocks}). Open one
 * instance per directory per process.
 */
public final class OciLayoutStore implements ImageStore {

    private final LayoutPaths paths;
    private final StoreOptions options;
    private final StoreLocks locks;
    private final WorkFiles work;
    private final LayoutBlobs blobs;
    private final LayoutIndex index;
    private final LayoutContent content;
    private final LayoutImages images;
    private final LayoutGc gc;
    private final LayoutRemovals removals;
    private final LayoutArchives archives;
    private final Optional<LayoutPuller> puller;
    private final Optional<LayoutPusher> pusher;
    /** The open change watches, closed with the store. */
    private final Set<Subscription> watches = ConcurrentHashMap.newKeySet();

    private OciLayoutStore(LayoutPaths paths, StoreOptions options, boolean writable) {
        this.paths = paths;
        this.options = options;
        this.locks = new StoreLocks(paths, options.lockTimeout(), writable);
        this.work = new WorkFiles(paths, options.clock(), writable);
        this.blobs = new LayoutBlobs(paths, locks, work);
        this.index = new LayoutIndex(paths, locks, work);
        this.content = new LayoutContent(paths, blobs, options.platform());
        this.gc = new LayoutGc(locks, index, blobs, content, work);
        this.images = new LayoutImages(paths, locks, index, blobs, content, new ListingCache(paths, writable),
                new ListingSnapshot(paths, writable, options.clock()), gc);
        this.removals = new LayoutRemovals(locks, index, content, gc, work);
        this.archives = new LayoutArchives(this, paths, locks, index, content, work);
        this.puller = options.pulls().map(p -> new LayoutPuller(this, p.client(), p.executor(), p.parallelDownloads()));
        this.pusher = options.pulls().map(p -> new LayoutPusher(this, p.client(), p.executor(),
                Math.max(p.parallelDownloads(), PARALLEL_UPLOADS)));
    }

    /** {@link #open(Path, StoreOptions)} with the defaults. */
    public static OciLayoutStore open(Path root) {
        return open(root, StoreOptions.defaults());
    }

    /**
     * Opens the layout at {@code root}, creating an empty one atomically in a missing or empty
     * directory ({@code LayoutIndex.prepare}; anything else that is no layout is {@code STORAGE},
     * unchanged). A store Gantry may not write to opens for reading; changes then fail with {@code STORAGE}.
     */
    public static OciLayoutStore open(Path root, StoreOptions options) {
        return open(root, options, true);
    }

    /** {@link #open(Path, StoreOptions)} of a store that must exist: {@code NOT_FOUND}, and nothing created, when none is there. */
    public static OciLayoutStore openExisting(Path root, StoreOptions options) {
        return open(root, options, false);
    }

    private static OciLayoutStore open(Path root, StoreOptions options, boolean create) {
        LayoutPaths paths = new LayoutPaths(root.toAbsolutePath().normalize());
        String op = "open embedded store " + paths.root();
        try {
            LayoutIndex.prepare(paths, op, create);
            boolean writable = Files.isWritable(paths.root());
            if (writable) {
                LayoutIndex.prepareWork(paths);
            }
            OciLayoutStore store = new OciLayoutStore(paths, options, writable);
            store.index.readAtOpen(op, store.images::snapshotMadeFrom);
            if (writable) {
                store.work.cleanDeadSessions(false);
            }
            return store;
        } catch (IOException e) {
            throw IoProblem.storage(op, e);
        }
    }

    public Path root() {
        return paths.root();
    }

    public StoreOptions options() {
        return options;
    }

    @Override
    public Endpoint endpoint() {
        return endpointAt(paths.root());
    }

    /** The endpoint of the embedded store at {@code root}, known without opening it. */
    public static Endpoint endpointAt(Path root) {
        return new Endpoint("embedded", "Embedded store", Endpoint.Kind.EMBEDDED,
                root.toAbsolutePath().normalize().toString());
    }

    /**
     * Tags, saves, loads and verifies, and pushes when opened with a registry client; no containers,
     * no parent links; its change watch sees other processes.
     */
    @Override
    public Capabilities capabilities() {
        return pusher.isPresent() ? CAPABILITIES_WITH_PUSH : CAPABILITIES;
    }

    /** Layers uploaded at once by a push (docker's default is 5). */
    static final int PARALLEL_UPLOADS = 5;

    private static final Capabilities CAPABILITIES = Capabilities.of(Capability.TAG, Capability.SAVE,
            Capability.LOAD, Capability.VERIFY, Capability.LAYER_BLOBS, Capability.LAYER_LINES, Capability.EVENTS,
            Capability.PRUNE_PREVIEW);
    private static final Capabilities CAPABILITIES_WITH_PUSH = new Capabilities(
            java.util.EnumSet.copyOf(java.util.stream.Stream.concat(CAPABILITIES.supported().stream(),
                    java.util.stream.Stream.of(Capability.PUSH)).toList()));

    @Override
    public EngineInfo info() {
        return new EngineInfo("Gantry embedded store", "OCI image layout", LayoutPaths.LAYOUT_VERSION);
    }

    // ---------------------------------------------------------------- blobs

    /** Whether the blob is stored. */
    public boolean hasBlob(Digest digest) {
        return blobs.has(digest);
    }

    /** Whether the blob is stored with the size the descriptor says. */
    public boolean hasBlob(Descriptor descriptor) {
        return blobs.has(descriptor);
    }

    /** The stored blob's size; {@code NOT_FOUND} when it is missing. */
    public long blobSize(Digest digest) {
        return blobs.size(digest);
    }

    /** Reads a stored blob; {@code NOT_FOUND} when it is missing. The caller closes the stream. */
    public InputStream openBlob(Digest digest) {
        return blobs.open(digest);
    }

    /**
     * Reads a small blob (a manifest, index or config, at most 16 MiB) and checks its size and
     * digest, so a corrupt file is reported, never parsed.
     */
    public byte[] readBlob(Descriptor descriptor) {
        return blobs.readSmall(descriptor);
    }

    /**
     * Starts writing a blob whose digest and size are known (a layer being pulled): resumes a
     * partial file left by an interrupted attempt (see {@link BlobWrite#offset()}). Waits while
     * another process writes the same blob. Holds the store shared until the write is closed, so
     * garbage collection never runs in between.
     */
    public BlobWrite beginBlob(Digest digest, long size) {
        return blobs.begin(digest, size);
    }

    /** Stores content whose digest is not known in advance (an imported layer); returns its descriptor. */
    public Descriptor writeBlob(String mediaType, InputStream content) {
        return blobs.write(mediaType, content);
    }

    /** Stores small content (a manifest, config or index); returns its descriptor. */
    public Descriptor writeBlob(String mediaType, byte[] content) {
        return blobs.write(mediaType, new ByteArrayInputStream(content));
    }

    /**
     * Stores content that must match {@code expected}: verified while streaming, nothing visible
     * unless size and digest match ({@code BAD_CONTENT} otherwise).
     */
    public void writeBlob(Descriptor expected, InputStream content) {
        blobs.write(expected, content);
    }

    // ---------------------------------------------------------------- images

    /** Every image in the layout, in {@code index.json} order; damaged entries are logged and skipped. */
    public List<LayoutImage> images() {
        return images.images();
    }

    /** The image a name or ID stands for ({@code NOT_FOUND} when none, {@code INVALID_INPUT} when ambiguous). */
    /** Manifests and configs this instance has read (for tests of what a lookup reads). */
    long smallBlobReads() {
        return blobs.smallReads();
    }

    /** Listings this instance answered from the listing snapshot (for tests of when it is used). */
    long snapshotListings() {
        return images.snapshotListings();
    }

    public LayoutImage image(String nameOrId) {
        return images.image(nameOrId);
    }

    @Override
    public List<ImageSummary> listImages() {
        return images.listImages();
    }

    /**
     * The bytes of every blob an image references (layers, configs, manifests and the indexes they
     * came through), each once: what {@code du --apparent-size} says of {@code blobs/} when nothing
     * unreferenced is left there.
     */
    @Override
    public OptionalLong diskUsage() {
        return OptionalLong.of(images.diskUsage());
    }

    @Override
    public Listing listWithDiskUsage() {
        return images.listWithDiskUsage();
    }

    @Override
    public ImageDetails inspect(ImageKey image) {
        return images.inspect(image.text());
    }

    @Override
    public List<HistoryEntry> history(ImageKey image) {
        return images.history(image.text());
    }

    @Override
    public List<ImageLayer> layers(ImageKey image) {
        return image(image.text()).layers();
    }

    /** Every image in one read of the index; the layout keeps no parent links. */
    @Override
    public List<LocalImage> localImages() {
        return images.localImages();
    }

    @Override
    public InputStream openLayer(Digest blob) {
        return openBlob(blob);
    }

    /** The embedded store runs no containers. */
    @Override
    public List<ContainerRef> containers() {
        return List.of();
    }

    /** OCI layouts keep no parent links, so no image has children. */
    @Override
    public List<Digest> children(Digest imageId) {
        return List.of();
    }

    /**
     * Gives the image named {@code source} (a name or ID) the additional name {@code target}, as
     * {@code docker tag}: a name that named another image moves, and that image stays dangling.
     * A name that moves to another manifest of the same image leaves no entry behind; the blobs only
     * the old manifest reached are freed as the tag ends.
     */
    @Override
    public void tag(ImageKey source, ImageReference target) {
        try {
            images.tag(source.text(), target);
        } finally {
            gc.collectDropped("tag " + target.familiar());
        }
    }

    /** Records {@code repo@digest} for the image {@code source} names, after a push (see {@link LayoutPusher}). */
    void recordDigest(ImageKey source, ImageReference atDigest) {
        images.recordDigest(source.text(), atDigest);
    }

    /** {@link #addImage(Descriptor, List, Optional, Optional)} of a manifest as it came. */
    public LayoutImage addImage(Descriptor manifest, List<ImageName> names, Optional<Descriptor> sourceIndex) {
        return addImage(manifest, names, sourceIndex, Optional.empty());
    }

    /**
     * Adds a stored image manifest under {@code names} (none: a dangling image), as a pull or
     * import finishes; every blob it references must be stored (see {@code LayoutImages.addImage}).
     */
    public LayoutImage addImage(Descriptor manifest, List<ImageName> names, Optional<Descriptor> sourceIndex,
                                Optional<Descriptor> sourceManifest) {
        return images.addImage(manifest, names, sourceIndex, sourceManifest);
    }

    /** Untags or deletes as {@code docker rmi}, by Docker's rules ({@code LayoutRemovals}); frees unshared blobs at once. */
    @Override
    public DeleteResult delete(ImageKey image, boolean force) {
        return removals.delete(image.text(), force);
    }

    /**
     * Removes dangling images, or every image (the store runs no containers), then every blob nothing
     * references ({@code LayoutRemovals}); a dry run changes nothing and says what the real run would.
     */
    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        return removals.prune(mode, dryRun);
    }

    /** Pulls into the layout ({@code LayoutPuller}); {@code INTERNAL} without {@link StoreOptions#pulls()}. */
    @Override
    public PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation) {
        String op = "pull " + request.reference().familiar();
        LayoutPuller pulls = puller.orElseThrow(() -> new GantryException(ErrorKind.INTERNAL, op,
                "this embedded store was opened without a registry client"));
        try {
            return pulls.pull(request, progress, cancellation);
        } finally {
            gc.collectDropped(op);
        }
    }

    /** Pushes an image of the layout to a registry ({@code LayoutPusher}); needs {@link StoreOptions#pulls()}. */
    @Override
    public PushResult push(ImageReference image, Consumer<PushProgress> progress, Cancellation cancellation) {
        if (image.tag().isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "push " + image.familiar(), "push a name with a tag, not a digest",
                    null, 0, "Tag the image first (gantry tag IMAGE " + image.repo() + ":TAG).", null);
        }
        return push(ImageKey.of(image), image.repo(), image.tag(), progress, cancellation);
    }

    /** The manifest a push sends: the original bytes' descriptor (the registry's or archive's), else the entry's. */
    @Override
    public Optional<Descriptor> pushedManifest(ImageKey source) {
        try {
            LayoutImage image = image(source.toString());
            Descriptor d = image.sourceManifest().orElse(image.manifest());
            return Optional.of(Descriptor.of(d.mediaType(), d.digest(), d.size()));
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Pushes the image {@code source} names into {@code repository}, under {@code tag} or by digest alone. */
    @Override
    public PushResult push(ImageKey source, io.gantry.core.Repository repository, Optional<String> tag,
                           Consumer<PushProgress> progress, Cancellation cancellation) {
        return pusher.orElseThrow(() -> Capabilities.unsupported(endpoint(), "push images"))
                .push(source, repository, tag, progress, cancellation);
    }

    /** Follows changes of {@code index.json}, also other processes' ({@code IndexWatch}), until closed. */
    @Override
    public Subscription subscribe(StoreEventListener listener) {
        Subscription watch = IndexWatch.subscribe(paths, options.clock(), listener);
        watches.add(watch);
        return () -> {
            watches.remove(watch);
            watch.close();
        };
    }

    // ---------------------------------------------------------------- export and import

    /** Writes images as an archive, as {@code docker save} does ({@code LayoutArchives}, {@code ArchiveWriter}). */
    @Override
    public void save(List<ImageKey> images, ArchiveFormat format, OutputStream out) {
        archives.save(images.stream().map(ImageKey::text).toList(), format, out);
    }

    /** Loads a {@code docker save} or OCI archive, as {@code docker load} ({@code ArchiveReader}). */
    @Override
    public LoadResult load(Path archive) {
        try {
            return archives.load(archive);
        } finally {
            gc.collectDropped("load " + archive.getFileName());
        }
    }

    /** OCI: blobs arrive as stored elsewhere, so layers the store has are known by digest. */
    @Override
    public ArchiveFormat loadFormat() {
        return ArchiveFormat.OCI;
    }

    /** {@link #load(Path)} from a stream (e.g. standard input), spooled to a temp file in the store first. */
    @Override
    public LoadResult load(InputStream archive) {
        try {
            return archives.load(archive);
        } finally {
            gc.collectDropped("load an archive");
        }
    }

    // ---------------------------------------------------------------- maintenance

    /** Removes every blob no entry reaches and what dead processes left ({@code LayoutGc}); a dry run only reports. */
    public GcReport gc(boolean dryRun) {
        return gc.gc(dryRun);
    }

    /** Checks the layout like {@code git fsck} ({@code LayoutVerifier}); reports, never repairs. */
    @Override
    public VerifyReport verify() {
        return new LayoutVerifier(paths, locks, index, blobs).verify();
    }

    /** This process's temp directory, created on first use and locked for its lifetime. */
    Path session() {
        return work.session();
    }

    /** Holds the store shared for a multi-step operation (a pull, an import): nothing is collected meanwhile. */
    StoreLocks.Held lease(String operation) {
        return locks.shared(operation);
    }

    @Override
    public void close() {
        List.copyOf(watches).forEach(Subscription::close);
        watches.clear();
        work.close();
    }
}
