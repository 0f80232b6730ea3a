package io.gantry.store;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
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
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.engine.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 *       {@link #delete} use to free blobs), {@link #verify()} (checks, never repairs) ({@code LayoutGc}, {@code LayoutVerifier},
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
    private final Options options;
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
    /** The open change watches, closed with the store. */
    private final java.util.Set<Subscription> watches = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * How a store behaves; the seams tests need.
     *
     * @param clock       for the age of partial downloads
     * @param lockTimeout how long to wait for another operation (or process) holding the store
     * @param platform    this machine's platform: pulled by default, and shown for an entry that is an index
     * @param pulls       how to pull, when the store may (without it {@link #pull} fails)
     */
    public record Options(Clock clock, Duration lockTimeout, Platform platform, Optional<Pulls> pulls) {
        public Options {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(lockTimeout, "lockTimeout");
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(pulls, "pulls");
        }

        public Options(Clock clock, Duration lockTimeout, Platform platform) {
            this(clock, lockTimeout, platform, Optional.empty());
        }

        public static Options defaults() {
            return new Options(Clock.systemUTC(), Duration.ofSeconds(60), Platform.current());
        }

        public Options withLockTimeout(Duration timeout) {
            return new Options(clock, timeout, platform, pulls);
        }

        public Options withPlatform(Platform value) {
            return new Options(clock, lockTimeout, value, pulls);
        }

        /** These options with pulling through {@code client}, downloading on {@code executor}. */
        public Options withPulls(Pulls value) {
            return new Options(clock, lockTimeout, platform, Optional.of(value));
        }
    }

    /**
     * What pulling needs.
     *
     * @param client            the registry client, asked for on the first pull (building one loads
     *                          the TLS trust store, which a store that only lists need not pay for)
     * @param executor          runs the download workers (a pull uses up to {@code parallelDownloads} of its threads)
     * @param parallelDownloads layers downloaded at once per pull (Docker's default is 3)
     */
    public record Pulls(java.util.function.Supplier<io.gantry.registry.RegistryClient> client,
                        java.util.concurrent.Executor executor, int parallelDownloads) {
        public static final int DEFAULT_PARALLEL_DOWNLOADS = 3;

        /** With a client built already. */
        public Pulls(io.gantry.registry.RegistryClient client, java.util.concurrent.Executor executor, int parallelDownloads) {
            this(() -> client, executor, parallelDownloads);
        }

        public Pulls {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(executor, "executor");
            if (parallelDownloads < 1) {
                throw new IllegalArgumentException("parallelDownloads must be at least 1, got " + parallelDownloads);
            }
        }
    }

    private OciLayoutStore(LayoutPaths paths, Options options) {
        this.paths = paths;
        this.options = options;
        this.locks = new StoreLocks(paths, options.lockTimeout());
        this.work = new WorkFiles(paths, options.clock());
        this.blobs = new LayoutBlobs(paths, locks, work);
        this.index = new LayoutIndex(paths, locks, work);
        this.content = new LayoutContent(paths, blobs, options.platform());
        this.images = new LayoutImages(paths, locks, index, blobs, content);
        this.gc = new LayoutGc(locks, index, blobs, content, work);
        this.removals = new LayoutRemovals(locks, index, content, gc, work);
        this.archives = new LayoutArchives(this, paths, locks, index, content, work);
        this.puller = options.pulls().map(p -> new LayoutPuller(this, p.client(), p.executor(), p.parallelDownloads()));
    }

    /** {@link #open(Path, Options)} with the defaults. */
    public static OciLayoutStore open(Path root) {
        return open(root, Options.defaults());
    }

    /**
     * Opens the layout at {@code root}, creating an empty one when the directory is missing or
     * empty. A directory that is not a layout, an unsupported layout version or an unreadable
     * {@code index.json} are refused with {@code STORAGE}; nothing in the directory is changed.
     * Temp files that dead processes left under {@code .gantry/tmp} are removed.
     */
    public static OciLayoutStore open(Path root, Options options) {
        LayoutPaths paths = new LayoutPaths(root.toAbsolutePath().normalize());
        String op = "open embedded store " + paths.root();
        try {
            LayoutIndex.prepare(paths, op);
            OciLayoutStore store = new OciLayoutStore(paths, options);
            store.index.read(op);
            store.work.cleanDeadSessions(false);
            return store;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, e.toString(), e);
        }
    }

    public Path root() {
        return paths.root();
    }

    public Options options() {
        return options;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("embedded", "Embedded store", Endpoint.Kind.EMBEDDED, paths.root().toString());
    }

    /** Tags, saves, loads and verifies; no containers, no parent links; its change watch sees other processes. */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    private static final Capabilities CAPABILITIES = Capabilities.of(Capability.TAG, Capability.SAVE,
            Capability.LOAD, Capability.VERIFY, Capability.LAYER_BLOBS, Capability.EVENTS, Capability.PRUNE_PREVIEW);

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
    public java.util.OptionalLong diskUsage() {
        java.util.Map<Digest, Long> blobs = new java.util.HashMap<>();
        for (LayoutImage image : images()) {
            blobs.put(image.manifest().digest(), image.manifest().size());
            blobs.put(image.content().config().digest(), image.content().config().size());
            image.content().layers().forEach(layer -> blobs.put(layer.digest(), layer.size()));
            image.sourceIndex().ifPresent(d -> blobs.put(d.digest(), d.size()));
            image.sourceManifest().ifPresent(d -> blobs.put(d.digest(), d.size()));
        }
        return java.util.OptionalLong.of(blobs.values().stream().mapToLong(Long::longValue).sum());
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
        return images().stream().map(i -> new LocalImage(i.id(), i.repoTags(), i.repoDigests(), Optional.empty(),
                i.layers())).toList();
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
     */
    @Override
    public void tag(ImageKey source, ImageReference target) {
        images.tag(source.text(), target);
    }

    /** {@link #addImage(Descriptor, List, Optional, Optional)} of a manifest as it came. */
    public LayoutImage addImage(Descriptor manifest, List<ImageName> names, Optional<Descriptor> sourceIndex) {
        return addImage(manifest, names, sourceIndex, Optional.empty());
    }

    /**
     * Adds a stored image manifest under {@code names} (none: a dangling image), as a pull or
     * import finishes. Every blob the manifest references must already be stored
     * ({@code BAD_CONTENT} otherwise: the index never points at missing content). A name that
     * named another image moves here, and that image stays as a dangling one.
     *
     * <p>A Docker v2 manifest is entered in its OCI form (same config bytes, so the same image ID,
     * same layer blobs, OCI media types), because tools reading OCI layouts (skopeo and podman of
     * Debian 12) skip Docker-typed entries; the original stays as a blob, referenced from the
     * entry, so the registry's digests remain verifiable.
     *
     * @param manifest       the image manifest, stored
     * @param names          the names to give it (tags and {@code repo@digest} references)
     * @param sourceIndex    the index the manifest was chosen from, stored, when there is one
     * @param sourceManifest the original of {@code manifest} when the caller converted it already
     */
    public LayoutImage addImage(Descriptor manifest, List<ImageName> names, Optional<Descriptor> sourceIndex,
                                Optional<Descriptor> sourceManifest) {
        return images.addImage(manifest, names, sourceIndex, sourceManifest);
    }

    /**
     * Untags or deletes as {@code docker rmi}: removing one of several tags only untags; removing
     * the last tag (with the digest references of its repository) or the ID deletes the image.
     * Deleting by ID an image named in several repositories is refused ({@code MULTIPLE_REFERENCES})
     * unless forced. Blobs no remaining image references are removed at once and listed as
     * {@code Deleted: <blob digest>} lines (the store has no layer chain IDs on disk); when another
     * operation holds the store they stay until the next prune.
     */
    @Override
    public DeleteResult delete(ImageKey image, boolean force) {
        return removals.delete(image.text(), force);
    }

    /**
     * Removes dangling images ({@link PruneMode#DANGLING}: no tag and no digest reference) or every
     * image ({@link PruneMode#ALL_UNUSED}: the store runs no containers), then every blob nothing
     * references any more. A dry run holds the store shared and changes nothing; its lines and
     * bytes are what the real run would give on the same store.
     */
    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        return removals.prune(mode, dryRun);
    }

    /**
     * Pulls into the layout (see {@code LayoutPuller}): the platform the request names, else this
     * machine's; layers verified while streaming, several at once, those already stored not
     * fetched; progress on the calling thread. Without {@link Options#pulls()} (a store opened on
     * its own, for tools) fails with {@code INTERNAL}.
     */
    @Override
    public PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation) {
        return puller.orElseThrow(() -> new GantryException(ErrorKind.INTERNAL, "pull " + request.reference().familiar(),
                "this embedded store was opened without a registry client")).pull(request, progress, cancellation);
    }

    /**
     * Follows changes of {@code index.json} (this process's and other processes', e.g. the CLI
     * beside the GUI) with a file watch: each change is an {@code IMAGE} event with action
     * {@code "update"}; the listener reloads. Runs on a daemon thread until it or the store is closed.
     */
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

    /**
     * Writes images as an archive, as {@code docker save} does: each given name is kept as the
     * name in the archive; an image given by ID goes without names. Several images sharing layers
     * carry them once. The store is held shared meanwhile, so nothing is collected underneath.
     */
    @Override
    public void save(List<ImageKey> images, ArchiveFormat format, OutputStream out) {
        archives.save(images.stream().map(ImageKey::text).toList(), format, out);
    }

    /**
     * Loads a {@code docker save} archive (any Docker version) or an OCI archive, plain or
     * gzipped, as {@code docker load}: blobs verified, images added under the archive's names.
     * {@code INVALID_INPUT} for a file that is neither; {@code BAD_CONTENT} for one whose content
     * does not match its digests.
     */
    @Override
    public LoadResult load(Path archive) {
        return archives.load(archive);
    }

    /** {@link #load(Path)} from a stream (e.g. standard input), spooled to a temp file in the store first. */
    @Override
    public LoadResult load(InputStream archive) {
        return archives.load(archive);
    }

    // ---------------------------------------------------------------- maintenance

    /**
     * Removes every blob no {@code index.json} entry reaches (through manifests, indexes and the
     * index an image was pulled through), plus temp files of dead processes and partial downloads
     * older than a week. Waits for running pulls and imports. A dry run only reports.
     */
    public GcReport gc(boolean dryRun) {
        return gc.gc(dryRun);
    }

    /**
     * Checks the layout like {@code git fsck}: {@code oci-layout} and {@code index.json} parse,
     * every blob reachable from {@code index.json} exists with the size its references give and
     * hashes to its digest, every manifest, index and config parses. Reports, never deletes.
     */
    @Override
    public VerifyReport verify() {
        return new LayoutVerifier(paths, locks, index, blobs).verify();
    }

    /** This process's temp directory, created on first use and locked for its lifetime. */
    Path session() {
        return work.session();
    }

    /** Holds the store shared for a multi-step operation (a pull, an import): nothing is collected meanwhile. */
    public Lease lease(String operation) {
        StoreLocks.Held held = locks.shared(operation);
        return held::close;
    }

    /** A held share of the store; close it when the operation is over. */
    @FunctionalInterface
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void close() {
        List.copyOf(watches).forEach(Subscription::close);
        watches.clear();
        work.close();
    }
}
