package io.gantry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.engine.CancelSignal;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) that skopeo, umoci and podman read and write too.
 *
 * <p>A value with verbs, like go-containerregistry's {@code layout.Path}:
 * <ul>
 *   <li><b>blobs</b> — {@link #beginBlob} (resumable, verified while streaming),
 *       {@link #writeBlob(String, InputStream)}, {@link #hasBlob}, {@link #openBlob},
 *       {@link #readBlob}. A blob appears under {@code blobs/} only complete, verified and
 *       fsynced, by an atomic rename.</li>
 *   <li><b>images</b> — {@link #images()}, {@link #addImage}, {@link #tag}, {@link #delete},
 *       and the rest of {@link ImageStore}. Every change of {@code index.json} is a
 *       read-modify-write under the index lock, written to a temp file, fsynced and renamed.</li>
 *   <li><b>maintenance</b> — {@link #gc(boolean)} (explicit; also what {@link #prune} and
 *       {@link #delete} use to free blobs), {@link #verify()} (checks, never repairs).</li>
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

    private static final Logger log = LoggerFactory.getLogger(OciLayoutStore.class);
    private static final long MAX_JSON_BLOB = 16L * 1024 * 1024;
    private static final int PARSED_CACHE_ENTRIES = 4096;
    private static final Duration PARTIAL_MAX_AGE = Duration.ofDays(7);
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{1,64}");
    private static final String EMPTY_INDEX =
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";

    private final LayoutPaths paths;
    private final Options options;
    private final StoreLocks locks;
    private final Optional<LayoutPuller> puller;
    /**
     * Parsed manifests, indexes and configs by digest (immutable content), so a refresh reads only
     * what is new. Two entries per image: room for a listing of 2,000 images to stay cached.
     */
    private final Map<Digest, Object> parsed = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Object> eldest) {
            return size() > PARSED_CACHE_ENTRIES;
        }
    });
    private final Object sessionMonitor = new Object();
    private Path sessionDir;
    private FileChannel sessionLockChannel;
    private FileLock sessionLock;
    private boolean closed;

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
            if (Files.exists(paths.root()) && !Files.isDirectory(paths.root())) {
                throw notALayout(op, "it is a file, not a directory");
            }
            if (Files.isDirectory(paths.root()) && !Files.exists(paths.layoutFile())) {
                try (Stream<Path> entries = Files.list(paths.root())) {
                    if (entries.findAny().isPresent()) {
                        throw notALayout(op, "the directory is not empty and is not an OCI image layout (no oci-layout file)");
                    }
                }
            }
            if (!Files.exists(paths.layoutFile())) {
                Files.createDirectories(paths.blobs().resolve("sha256"));
                Files.createDirectories(paths.tmp());
                FileOps.writeAtomically(paths.indexFile(), EMPTY_INDEX.getBytes(java.nio.charset.StandardCharsets.UTF_8), paths.tmp());
                FileOps.writeAtomically(paths.layoutFile(),
                        ("{\"imageLayoutVersion\":\"" + LayoutPaths.LAYOUT_VERSION + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        paths.tmp());
            }
            checkLayout(paths, op);
            Files.createDirectories(paths.tmp());
            Files.createDirectories(paths.partials());
            OciLayoutStore store = new OciLayoutStore(paths, options);
            store.readIndex(op);
            store.cleanDeadSessions();
            return store;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, e.toString(), e);
        }
    }

    private static GantryException notALayout(String op, String why) {
        return new GantryException(ErrorKind.STORAGE, op, why, "NOT_A_LAYOUT", 0,
                "Choose an empty directory or an existing OCI image layout with --store.", null);
    }

    private static void checkLayout(LayoutPaths paths, String op) throws IOException {
        JsonNode layout;
        try {
            layout = ContentJson.MAPPER.readTree(Files.readAllBytes(paths.layoutFile()));
        } catch (IOException e) {
            throw notALayout(op, "oci-layout is not valid JSON: " + e.getMessage());
        }
        String version = layout == null ? "" : layout.path("imageLayoutVersion").asText("");
        if (!version.startsWith("1.")) {
            throw notALayout(op, "unsupported imageLayoutVersion '" + version + "' (Gantry reads 1.x)");
        }
        if (!Files.isRegularFile(paths.indexFile())) {
            throw new GantryException(ErrorKind.STORAGE, op, "the layout has no index.json", "LAYOUT_DAMAGED", 0,
                    "Restore index.json from a backup, or point --store at another directory.", null);
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

    @Override
    public EngineInfo info() {
        return new EngineInfo("Gantry embedded store", "OCI image layout", LayoutPaths.LAYOUT_VERSION);
    }

    // ---------------------------------------------------------------- blobs

    /** Whether the blob is stored. */
    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(paths.blob(digest));
    }

    /** Whether the blob is stored with the size the descriptor says. */
    public boolean hasBlob(Descriptor descriptor) {
        try {
            return Files.size(paths.blob(descriptor.digest())) == descriptor.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** The stored blob's size; {@code NOT_FOUND} when it is missing. */
    public long blobSize(Digest digest) {
        try {
            return Files.size(paths.blob(digest));
        } catch (IOException e) {
            throw missingBlob("size of blob " + digest, digest);
        }
    }

    /** Reads a stored blob; {@code NOT_FOUND} when it is missing. The caller closes the stream. */
    public InputStream openBlob(Digest digest) {
        try {
            return Files.newInputStream(paths.blob(digest));
        } catch (NoSuchFileException e) {
            throw missingBlob("read blob " + digest, digest);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "read blob " + digest, e.toString(), e);
        }
    }

    /**
     * Reads a small blob (a manifest, index or config, at most 16 MiB) and checks its size and
     * digest, so a corrupt file is reported, never parsed.
     */
    public byte[] readBlob(Descriptor descriptor) {
        String op = "read " + descriptor.mediaType() + " " + descriptor.digest();
        Path file = paths.blob(descriptor.digest());
        try {
            long size = Files.size(file);
            if (size > MAX_JSON_BLOB) {
                throw new GantryException(ErrorKind.BAD_CONTENT, op, "too large for a manifest or config (" + size + " bytes)");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != descriptor.size()) {
                throw damaged(op, "blob " + descriptor.digest() + " has " + bytes.length + " bytes, its reference says "
                        + descriptor.size());
            }
            if (!digestOf(descriptor.digest().algorithm(), bytes).equals(descriptor.digest())) {
                throw damaged(op, "blob " + descriptor.digest() + " is corrupt: its content does not match its digest");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw missingBlob(op, descriptor.digest());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, e.toString(), e);
        }
    }

    /**
     * Starts writing a blob whose digest and size are known (a layer being pulled): resumes a
     * partial file left by an interrupted attempt (see {@link BlobWrite#offset()}). Waits while
     * another process writes the same blob. Holds the store shared until the write is closed, so
     * garbage collection never runs in between.
     */
    public BlobWrite beginBlob(Digest digest, long size) {
        StoreLocks.Held held = locks.shared("store blob " + digest);
        try {
            return BlobWrite.open(paths, digest, size, true, held);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Stores content whose digest is not known in advance (an imported layer); returns its descriptor. */
    public Descriptor writeBlob(String mediaType, InputStream content) {
        String op = "store a " + mediaType + " blob";
        try (StoreLocks.Held held = locks.shared(op)) {
            Path tmp = Files.createTempFile(session(), "blob-", ".tmp");
            try {
                MessageDigest sha = Digest.newSha256();
                long size = 0;
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    byte[] buffer = new byte[256 * 1024];
                    int n;
                    while ((n = content.read(buffer)) > 0) {
                        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                        while (bb.hasRemaining()) {
                            out.write(bb);
                        }
                        sha.update(buffer, 0, n);
                        size += n;
                    }
                    out.force(true);
                }
                Digest digest = new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
                Path target = paths.blob(digest);
                Files.createDirectories(target.getParent());
                if (Files.exists(target) && Files.size(target) == size) {
                    Files.delete(tmp);
                } else {
                    FileOps.moveAtomically(tmp, target);
                }
                return Descriptor.of(mediaType, digest, size);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw FileOps.writeFailure(op, paths.blobs(), e);
        }
    }

    /** Stores small content (a manifest, config or index); returns its descriptor. */
    public Descriptor writeBlob(String mediaType, byte[] content) {
        return writeBlob(mediaType, new java.io.ByteArrayInputStream(content));
    }

    /**
     * Stores content that must match {@code expected}: verified while streaming, nothing visible
     * unless size and digest match ({@code BAD_CONTENT} otherwise).
     */
    public void writeBlob(Descriptor expected, InputStream content) {
        if (hasBlob(expected)) {
            return;
        }
        try (BlobWrite write = beginBlob(expected.digest(), expected.size())) {
            write.restart();
            write.copyFrom(content);
            write.commit();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "store blob " + expected.digest(), "cannot read the content: " + e, e);
        }
    }

    // ---------------------------------------------------------------- index.json

    /** index.json as read: the document (unknown fields kept) and its entries. */
    private record IndexDoc(ObjectNode json, List<IndexEntry> entries) {
    }

    private IndexDoc readIndex(String op) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(paths.indexFile());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, "cannot read index.json: " + e, e);
        }
        try {
            JsonNode node = ContentJson.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            List<IndexEntry> entries = new ArrayList<>();
            for (JsonNode d : node.path("manifests")) {
                if (!d.isObject()) {
                    throw new IOException("a manifests entry is not an object");
                }
                entries.add(new IndexEntry(ContentJson.descriptor(d), (ObjectNode) d));
            }
            return new IndexDoc((ObjectNode) node, entries);
        } catch (IOException | IllegalArgumentException e) {
            throw new GantryException(ErrorKind.STORAGE, op, "index.json is damaged: " + e.getMessage(), "LAYOUT_DAMAGED", 0,
                    "Gantry changed nothing. Restore index.json from a backup; gantry verify lists what is stored.", e);
        }
    }

    /** One read-modify-write of index.json under the index lock; unchanged lists are not written. */
    private List<IndexEntry> updateIndex(String op, UnaryOperator<List<IndexEntry>> change) {
        try (StoreLocks.Held held = locks.index(op)) {
            IndexDoc doc = readIndex(op);
            List<IndexEntry> updated = change.apply(new ArrayList<>(doc.entries()));
            if (!updated.equals(doc.entries())) {
                ObjectNode json = doc.json().deepCopy();
                if (!json.has("schemaVersion")) {
                    json.put("schemaVersion", 2);
                }
                if (!json.has("mediaType")) {
                    json.put("mediaType", MediaTypes.OCI_INDEX);
                }
                ArrayNode manifests = json.putArray("manifests");
                updated.forEach(e -> manifests.add(e.json()));
                try {
                    FileOps.writeAtomically(paths.indexFile(), ContentJson.bytes(json), session());
                } catch (IOException e) {
                    throw FileOps.writeFailure(op, paths.indexFile(), e);
                }
            }
            return updated;
        }
    }

    // ---------------------------------------------------------------- resolving entries to images

    /** An index.json entry resolved to the image manifest it stands for. */
    private record Resolved(IndexEntry entry, Descriptor manifestDescriptor, Manifest manifest, ImageConfig config) {
    }

    /** Entries resolved, and those that could not be (damaged or missing content) with why. */
    private record Resolution(List<Resolved> resolved, Map<IndexEntry, GantryException> broken) {
    }

    private Resolution resolve(List<IndexEntry> entries) {
        // Entries are read and parsed in parallel (each is a few small files), then taken in
        // index.json order.
        Object[] outcomes = new Object[entries.size()];
        java.util.stream.IntStream.range(0, entries.size()).parallel().forEach(i -> {
            try {
                outcomes[i] = resolve(entries.get(i));
            } catch (GantryException e) {
                outcomes[i] = e;
            }
        });
        List<Resolved> resolved = new ArrayList<>();
        Map<IndexEntry, GantryException> broken = new LinkedHashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof Resolved r) {
                resolved.add(r);
            } else if (outcomes[i] instanceof GantryException e) {
                IndexEntry entry = entries.get(i);
                String name = entry.name().map(ImageName::display).orElse(entry.descriptor().digest().toString());
                broken.put(entry, e);
                log.warn("skipping image {} in {}: {}", name, paths.root(), e.getMessage());
            }
        }
        return new Resolution(resolved, broken);
    }

    private Resolved resolve(IndexEntry entry) {
        Descriptor descriptor = entry.descriptor();
        ManifestContent content = content(descriptor);
        if (content instanceof ImageIndex index) {
            descriptor = chooseFrom(index, descriptor);
            content = content(descriptor);
        }
        if (!(content instanceof Manifest manifest)) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "read " + descriptor.digest(), "nested indexes are not supported");
        }
        return new Resolved(entry, descriptor, manifest, config(manifest.config()));
    }

    /** The manifest of an index that fits this store's platform best, among those stored. */
    private Descriptor chooseFrom(ImageIndex index, Descriptor indexDescriptor) {
        List<Descriptor> stored = index.manifests().stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()) && hasBlob(d.digest())).toList();
        Optional<Descriptor> best = ImageIndex.of(index.mediaType(), stored).manifestFor(options.platform());
        return best.or(() -> stored.stream().findFirst()).orElseThrow(() -> damaged("read index " + indexDescriptor.digest(),
                "none of the index's manifests is stored"));
    }

    private ManifestContent content(Descriptor descriptor) {
        Object cached = parsed.get(descriptor.digest());
        if (cached instanceof ManifestContent content) {
            return content;
        }
        ManifestContent content = ContentJson.manifestContent(readBlob(descriptor), descriptor.mediaType(),
                "manifest " + descriptor.digest());
        parsed.put(descriptor.digest(), content);
        return content;
    }

    private ImageConfig config(Descriptor descriptor) {
        Object cached = parsed.get(descriptor.digest());
        if (cached instanceof ImageConfig config) {
            return config;
        }
        ImageConfig config = ContentJson.config(readBlob(descriptor), "config " + descriptor.digest());
        parsed.put(descriptor.digest(), config);
        return config;
    }

    private static List<LayoutImage> group(List<Resolved> resolved) {
        Map<Digest, List<Resolved>> byId = new LinkedHashMap<>();
        for (Resolved r : resolved) {
            byId.computeIfAbsent(r.manifest().config().digest(), k -> new ArrayList<>()).add(r);
        }
        List<LayoutImage> images = new ArrayList<>();
        for (Map.Entry<Digest, List<Resolved>> e : byId.entrySet()) {
            Resolved first = e.getValue().get(0);
            List<ImageName> names = new ArrayList<>();
            Optional<Descriptor> sourceIndex = Optional.empty();
            Optional<Descriptor> sourceManifest = Optional.empty();
            for (Resolved r : e.getValue()) {
                r.entry().name().filter(n -> !names.contains(n)).ifPresent(names::add);
                if (sourceIndex.isEmpty()) {
                    sourceIndex = r.entry().sourceIndex();
                }
                if (sourceManifest.isEmpty()) {
                    sourceManifest = r.entry().sourceManifest();
                }
            }
            images.add(new LayoutImage(e.getKey(), first.manifestDescriptor(), first.manifest(), first.config(), names,
                    sourceIndex, sourceManifest));
        }
        return images;
    }

    /** Every image in the layout, in {@code index.json} order; damaged entries are logged and skipped. */
    public List<LayoutImage> images() {
        try (StoreLocks.Held held = locks.shared("list images")) {
            return group(resolve(readIndex("list images in " + paths.root()).entries()).resolved());
        }
    }

    /** The image a name or ID stands for ({@code NOT_FOUND} when none, {@code INVALID_INPUT} when ambiguous). */
    public LayoutImage image(String nameOrId) {
        try (StoreLocks.Held held = locks.shared("find " + nameOrId)) {
            return find(nameOrId, resolve(readIndex("find " + nameOrId).entries()), "find image " + nameOrId).image();
        }
    }

    /** What a user's text found: the image and, when a name was given, the name. */
    private record Target(LayoutImage image, Optional<ImageName> name) {
    }

    private Target find(String input, Resolution resolution, String op) {
        Optional<ImageReference> parsed = parseQuietly(input);
        List<LayoutImage> images = group(resolution.resolved());
        for (LayoutImage image : images) {
            for (ImageName name : image.names()) {
                if (name.matches(input, parsed)) {
                    return new Target(image, Optional.of(name));
                }
            }
        }
        if (Digest.isDigest(input)) {
            Digest digest = Digest.of(input);
            for (LayoutImage image : images) {
                if (image.id().equals(digest) || image.manifest().digest().equals(digest)
                        || image.sourceIndex().map(d -> d.digest().equals(digest)).orElse(false)
                        || image.sourceManifest().map(d -> d.digest().equals(digest)).orElse(false)) {
                    return new Target(image, Optional.empty());
                }
            }
        } else if (HEX_PREFIX.matcher(input).matches()) {
            String prefix = input.startsWith("sha256:") ? input : "sha256:" + input;
            List<LayoutImage> matches = images.stream().filter(i -> i.id().toString().startsWith(prefix)).toList();
            if (matches.size() == 1) {
                return new Target(matches.get(0), Optional.empty());
            }
            if (matches.size() > 1) {
                throw new GantryException(ErrorKind.INVALID_INPUT, op, "'" + input + "' is the start of " + matches.size()
                        + " image IDs", null, 0, "Give more characters of the image ID.", null);
            }
        }
        for (Map.Entry<IndexEntry, GantryException> damaged : resolution.broken().entrySet()) {
            boolean named = damaged.getKey().name().map(n -> n.matches(input, parsed)).orElse(false);
            if (named || damaged.getKey().descriptor().digest().toString().equals(input)) {
                GantryException cause = damaged.getValue();
                throw new GantryException(ErrorKind.STORAGE, op, "the image is damaged: " + cause.getMessage(),
                        "LAYOUT_DAMAGED", 0, "gantry verify lists what is damaged; pull or load the image again.", cause);
            }
        }
        if (parsed.isEmpty() && !HEX_PREFIX.matcher(input).matches() && !Digest.isDigest(input)) {
            ImageReference.parse(input); // neither a name nor an ID: say what is wrong with it
        }
        throw new GantryException(ErrorKind.NOT_FOUND, op, "no such image: " + input, "IMAGE_UNKNOWN", 0,
                "gantry images lists the images in the store.", null);
    }

    private static Optional<ImageReference> parseQuietly(String input) {
        try {
            return Optional.of(ImageReference.parse(input));
        } catch (GantryException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- ImageStore

    /** A chain of layers: the chain below (numbered, -1 for none) and the diff ID on top. */
    private record ChainStep(int parent, Digest diffId) {
    }

    @Override
    public List<ImageSummary> listImages() {
        List<LayoutImage> images = images();
        // A layer is shared when more than one image has its chain ID (docker system df -v). Equal
        // chain IDs are equal lists of diff IDs from the base up, so the chains are numbered in a
        // prefix tree instead of hashed: the same answer without ChainIds' SHA-256 per layer.
        Map<ChainStep, Integer> chainNumbers = new HashMap<>();
        List<Integer> users = new ArrayList<>();
        Map<Digest, int[]> chains = new HashMap<>();
        for (LayoutImage image : images) {
            List<Digest> diffIds = image.config().diffIds();
            int[] chain = new int[diffIds.size()];
            int parent = -1;
            for (int i = 0; i < chain.length; i++) {
                Integer number = chainNumbers.putIfAbsent(new ChainStep(parent, diffIds.get(i)), chainNumbers.size());
                if (number == null) {
                    number = chainNumbers.size() - 1;
                    users.add(0);
                }
                chain[i] = number;
                users.set(number, users.get(number) + 1); // each prefix of one image is a distinct chain
                parent = number;
            }
            chains.put(image.id(), chain);
        }
        List<ImageSummary> summaries = new ArrayList<>();
        for (LayoutImage image : images) {
            int[] chain = chains.get(image.id());
            List<Descriptor> layers = image.content().layers();
            long shared = 0;
            for (int i = 0; i < Math.min(chain.length, layers.size()); i++) {
                if (users.get(chain[i]) > 1) {
                    shared += layers.get(i).size();
                }
            }
            summaries.add(new ImageSummary(image.id(), image.repoTags(), image.repoDigests(),
                    image.config().created().orElse(Instant.EPOCH), image.size(), shared, 0));
        }
        return summaries;
    }

    /**
     * The bytes of every blob an image references (layers, configs, manifests and the indexes they
     * came through), each once: what {@code du --apparent-size} says of {@code blobs/} when nothing
     * unreferenced is left there.
     */
    @Override
    public java.util.OptionalLong diskUsage() {
        Map<Digest, Long> blobs = new HashMap<>();
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
    public ImageDetails inspect(String nameOrId) {
        LayoutImage image = image(nameOrId);
        ImageConfig config = image.config();
        ImageConfig.RunConfig run = config.run();
        ImageDetails.Config runConfig = new ImageDetails.Config(run.env(), run.entrypoint(), run.cmd(),
                run.workingDir().orElse(""), run.user().orElse(""), run.labels(), run.exposedPorts(), run.volumes(),
                run.stopSignal().orElse(""));
        return new ImageDetails(image.id(), image.repoTags(), image.repoDigests(), Optional.empty(),
                config.created().orElse(Instant.EPOCH), config.platform().toString(), image.size(), runConfig,
                config.diffIds(), "", Map.of(), config.author().orElse(""), "");
    }

    @Override
    public List<HistoryEntry> history(String nameOrId) {
        LayoutImage image = image(nameOrId);
        List<Descriptor> layers = image.content().layers();
        List<ImageConfig.History> steps = image.config().history();
        Instant created = image.config().created().orElse(Instant.EPOCH);
        List<HistoryEntry> entries = new ArrayList<>();
        if (steps.isEmpty()) {
            for (Descriptor d : layers) {
                entries.add(new HistoryEntry(Optional.empty(), created, "", d.size(), List.of(), ""));
            }
        }
        int layer = 0;
        for (ImageConfig.History step : steps) {
            long size = 0;
            if (!step.emptyLayer() && layer < layers.size()) {
                size = layers.get(layer++).size();
            }
            entries.add(new HistoryEntry(Optional.empty(), step.created().orElse(created), step.createdBy().orElse(""), size,
                    List.of(), step.comment().orElse("")));
        }
        Collections.reverse(entries);
        if (!entries.isEmpty()) {
            HistoryEntry top = entries.get(0);
            entries.set(0, new HistoryEntry(Optional.of(image.id()), top.created(), top.createdBy(), top.size(),
                    image.repoTags(), top.comment()));
        }
        return entries;
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
    public void tag(String source, ImageReference target) {
        String op = "tag " + source + " as " + target.familiar();
        if (target.digest().isPresent() || target.tag().isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "a tag cannot contain a digest", null, 0,
                    "Give the new name as repository:tag.", null);
        }
        try (StoreLocks.Held held = locks.shared(op)) {
            updateIndex(op, entries -> {
                Resolution resolution = resolve(entries);
                List<Resolved> resolved = resolution.resolved();
                Target found = find(source, resolution, op);
                IndexEntry base = baseEntry(found, resolved);
                ImageName name = ImageName.of(target);
                List<IndexEntry> updated = removeName(entries, name, found.image().id(), resolved);
                updated.add(named(base, name));
                return dropRedundantDangling(updated);
            });
        }
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
        String op = "add image " + manifest.digest();
        try (StoreLocks.Held held = locks.shared(op)) {
            Manifest content = ContentJson.manifest(readBlob(manifest), manifest.mediaType(), "manifest " + manifest.digest());
            if (content.mediaType().equals(MediaTypes.DOCKER_MANIFEST)) {
                byte[] oci = ContentJson.ociForm(content);
                Descriptor converted = writeBlob(MediaTypes.OCI_MANIFEST, oci);
                Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, converted.digest(), converted.size(),
                        manifest.platform(), Map.of(), List.of());
                return addImage(entry, names, sourceIndex, Optional.of(Descriptor.of(manifest.mediaType(),
                        manifest.digest(), manifest.size())));
            }
            List<Descriptor> needed = new ArrayList<>(content.layers());
            needed.add(content.config());
            sourceIndex.ifPresent(needed::add);
            sourceManifest.ifPresent(needed::add);
            for (Descriptor d : needed) {
                if (!hasBlob(d)) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, op, "the manifest references blob " + d.digest()
                            + " (" + d.size() + " bytes), which is not stored", "BLOB_UNKNOWN", 0, null, null);
                }
            }
            config(content.config());
            Map<String, String> annotations = new LinkedHashMap<>();
            sourceIndex.ifPresent(index -> {
                annotations.put(IndexEntry.SOURCE_INDEX, index.digest().toString());
                annotations.put(IndexEntry.SOURCE_INDEX_MEDIA_TYPE, index.mediaType());
                annotations.put(IndexEntry.SOURCE_INDEX_SIZE, Long.toString(index.size()));
            });
            sourceManifest.ifPresent(original -> {
                annotations.put(IndexEntry.SOURCE_MANIFEST, original.digest().toString());
                annotations.put(IndexEntry.SOURCE_MANIFEST_MEDIA_TYPE, original.mediaType());
                annotations.put(IndexEntry.SOURCE_MANIFEST_SIZE, Long.toString(original.size()));
            });
            Descriptor plain = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), manifest.platform(),
                    annotations, List.of());
            IndexEntry base = IndexEntry.of(plain);
            Digest id = content.config().digest();
            updateIndex(op, entries -> {
                List<Resolved> resolved = resolve(entries).resolved();
                List<IndexEntry> updated = entries;
                for (ImageName name : names) {
                    updated = removeName(updated, name, id, resolved);
                    updated.add(named(base, name));
                }
                if (names.isEmpty() && updated.stream().noneMatch(e -> e.descriptor().digest().equals(manifest.digest()))) {
                    updated.add(base);
                }
                return dropRedundantDangling(updated);
            });
            return image(names.isEmpty() ? id.toString() : names.get(0).raw());
        }
    }

    /** The entry to copy for a new name: the one the user named, else the image's first. */
    private static IndexEntry baseEntry(Target found, List<Resolved> resolved) {
        for (Resolved r : resolved) {
            if (r.manifest().config().digest().equals(found.image().id())
                    && (found.name().isEmpty() || r.entry().name().equals(found.name()))) {
                return r.entry();
            }
        }
        throw new IllegalStateException("found image has no entry");
    }

    /** A copy of {@code base} carrying {@code name} (and no other name). */
    private static IndexEntry named(IndexEntry base, ImageName name) {
        Map<String, String> annotations = new LinkedHashMap<>(base.descriptor().annotations());
        annotations.put(IndexEntry.REF_NAME, name.raw());
        annotations.put(IndexEntry.CONTAINERD_NAME, name.raw());
        Descriptor d = base.descriptor();
        Descriptor copy = new Descriptor(d.mediaType(), d.digest(), d.size(), d.platform(), annotations, d.urls());
        ObjectNode json = base.json().deepCopy();
        ObjectNode annotationsJson = json.putObject("annotations");
        new java.util.TreeMap<>(annotations).forEach(annotationsJson::put);
        return new IndexEntry(copy, json);
    }

    /** A copy of {@code base} without names: a dangling image's entry. */
    private static IndexEntry unnamed(IndexEntry base) {
        Map<String, String> annotations = new LinkedHashMap<>(base.descriptor().annotations());
        annotations.remove(IndexEntry.REF_NAME);
        annotations.remove(IndexEntry.CONTAINERD_NAME);
        Descriptor d = base.descriptor();
        ObjectNode json = base.json().deepCopy();
        if (annotations.isEmpty()) {
            json.remove("annotations");
        } else {
            ObjectNode annotationsJson = json.putObject("annotations");
            new java.util.TreeMap<>(annotations).forEach(annotationsJson::put);
        }
        return new IndexEntry(new Descriptor(d.mediaType(), d.digest(), d.size(), d.platform(), annotations, d.urls()), json);
    }

    /**
     * Removes every entry carrying {@code name}; an image (other than {@code keepId}) that thereby
     * loses its last name stays as a dangling entry, as a moved Docker tag leaves {@code <none>}.
     */
    private static List<IndexEntry> removeName(List<IndexEntry> entries, ImageName name, Digest keepId, List<Resolved> resolved) {
        Map<IndexEntry, Digest> idOf = new HashMap<>();
        resolved.forEach(r -> idOf.put(r.entry(), r.manifest().config().digest()));
        List<IndexEntry> updated = new ArrayList<>();
        List<IndexEntry> removed = new ArrayList<>();
        for (IndexEntry e : entries) {
            if (e.name().map(n -> sameName(n, name)).orElse(false)) {
                removed.add(e);
            } else {
                updated.add(e);
            }
        }
        for (IndexEntry gone : removed) {
            Digest id = idOf.get(gone);
            if (id == null || id.equals(keepId)) {
                continue;
            }
            boolean stillThere = updated.stream().anyMatch(e -> id.equals(idOf.get(e)));
            if (!stillThere) {
                updated.add(unnamed(gone));
            }
        }
        return updated;
    }

    private static boolean sameName(ImageName a, ImageName b) {
        return a.raw().equals(b.raw()) || (a.reference().isPresent() && a.reference().equals(b.reference()));
    }

    /** Drops unnamed entries of manifests that also have named entries, and duplicate unnamed ones. */
    private static List<IndexEntry> dropRedundantDangling(List<IndexEntry> entries) {
        Set<Digest> named = new HashSet<>();
        entries.stream().filter(e -> e.name().isPresent()).forEach(e -> named.add(e.descriptor().digest()));
        Set<Digest> seenUnnamed = new HashSet<>();
        List<IndexEntry> result = new ArrayList<>();
        for (IndexEntry e : entries) {
            if (e.name().isEmpty() && (named.contains(e.descriptor().digest()) || !seenUnnamed.add(e.descriptor().digest()))) {
                continue;
            }
            result.add(e);
        }
        return result;
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
    public DeleteResult delete(String nameOrId, boolean force) {
        String op = "delete " + nameOrId;
        List<DeleteLine> items = new ArrayList<>();
        DeleteConflict[] conflict = {null};
        Set<Digest> candidates = new LinkedHashSet<>();
        try (StoreLocks.Held held = locks.shared(op)) {
            updateIndex(op, entries -> {
                items.clear();
                candidates.clear();
                Resolution resolution = resolve(entries);
                List<Resolved> resolved = resolution.resolved();
                Target target = find(nameOrId, resolution, op);
                LayoutImage image = target.image();
                Set<ImageName> untag = new LinkedHashSet<>();
                boolean deleteImage;
                if (target.name().isPresent()) {
                    ImageName name = target.name().get();
                    untag.add(name);
                    List<ImageName> rest = image.names().stream().filter(n -> !sameName(n, name)).toList();
                    if (name.isTag() && rest.stream().noneMatch(ImageName::isTag)) {
                        rest.stream().filter(n -> n.repository().equals(name.repository())).forEach(untag::add);
                    }
                    deleteImage = image.names().stream().allMatch(n -> untag.stream().anyMatch(u -> sameName(u, n)));
                } else {
                    Set<String> repositories = new LinkedHashSet<>();
                    image.names().forEach(n -> repositories.add(n.repository()));
                    if (repositories.size() > 1 && !force) {
                        conflict[0] = new DeleteConflict(DeleteConflict.Kind.MULTIPLE_REFERENCES, image.id(), List.of(),
                                List.of(), image.names().stream().map(ImageName::display).toList(),
                                "conflict: unable to delete " + image.id().shortHex()
                                        + " (must be forced) - image is referenced in multiple repositories");
                        return entries;
                    }
                    untag.addAll(image.names());
                    deleteImage = true;
                }
                untag.forEach(n -> items.add(DeleteLine.untagged(n.display())));
                List<IndexEntry> updated = new ArrayList<>();
                for (Resolved r : resolved) {
                    boolean ofImage = r.manifest().config().digest().equals(image.id());
                    boolean drop = ofImage && (deleteImage || r.entry().name().map(n -> untag.stream().anyMatch(u -> sameName(u, n))).orElse(false));
                    if (!drop) {
                        updated.add(r.entry());
                    }
                }
                List<IndexEntry> unresolved = new ArrayList<>(entries);
                resolved.forEach(r -> unresolved.remove(r.entry()));
                updated.addAll(unresolved);
                if (deleteImage) {
                    items.add(DeleteLine.deleted(image.id().toString()));
                    candidates.add(image.manifest().digest());
                    candidates.add(image.content().config().digest());
                    image.content().layers().forEach(l -> candidates.add(l.digest()));
                    image.sourceIndex().ifPresent(i -> candidates.add(i.digest()));
                    image.sourceManifest().ifPresent(m -> candidates.add(m.digest()));
                    resolved.stream().filter(r -> r.manifest().config().digest().equals(image.id()))
                            .forEach(r -> candidates.add(r.entry().descriptor().digest()));
                }
                // keep index.json order: rebuild from the original list
                List<IndexEntry> ordered = new ArrayList<>();
                for (IndexEntry e : entries) {
                    if (updated.contains(e)) {
                        ordered.add(e);
                    }
                }
                return ordered;
            });
        }
        if (conflict[0] != null) {
            return DeleteResult.refused(nameOrId, force, conflict[0]);
        }
        if (!candidates.isEmpty()) {
            SweepResult sweep = collect(op, candidates, Duration.ofSeconds(2));
            sweep.removed().forEach(d -> items.add(DeleteLine.deleted(d.digest().toString())));
        }
        return DeleteResult.done(nameOrId, force, items);
    }

    /**
     * Removes dangling images ({@link PruneMode#DANGLING}: no tag and no digest reference) or every
     * image ({@link PruneMode#ALL_UNUSED}: the store runs no containers), then every blob nothing
     * references any more. A dry run holds the store shared and changes nothing; its lines and
     * bytes are what the real run would give on the same store.
     */
    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        String op = dryRun ? "plan prune" : "prune images";
        boolean all = mode == PruneMode.ALL_UNUSED;
        try (StoreLocks.Held held = dryRun ? locks.shared(op) : locks.exclusive(op)) {
            List<DeleteLine> items = new ArrayList<>();
            IndexDoc doc = readIndex(op);
            Resolution resolution = resolve(doc.entries());
            List<LayoutImage> images = group(resolution.resolved());
            Set<Digest> goner = new LinkedHashSet<>();
            for (LayoutImage image : images) {
                if (all || image.dangling()) {
                    image.names().forEach(n -> items.add(DeleteLine.untagged(n.display())));
                    items.add(DeleteLine.deleted(image.id().toString()));
                    goner.add(image.id());
                }
            }
            List<IndexEntry> remaining = new ArrayList<>(doc.entries());
            resolution.resolved().stream().filter(r -> goner.contains(r.manifest().config().digest()))
                    .forEach(r -> remaining.remove(r.entry()));
            Set<Digest> live = mark(remaining, null);
            List<Descriptor> garbage = unmarked(live);
            long bytes = garbage.stream().mapToLong(Descriptor::size).sum();
            garbage.forEach(d -> items.add(DeleteLine.deleted(d.digest().toString())));
            if (!dryRun) {
                if (!goner.isEmpty()) {
                    updateIndex(op, entries -> {
                        List<IndexEntry> kept = new ArrayList<>(entries);
                        kept.removeIf(e -> resolution.resolved().stream()
                                .anyMatch(r -> r.entry().equals(e) && goner.contains(r.manifest().config().digest())));
                        return kept;
                    });
                }
                bytes = sweep(mark(readIndex(op).entries(), null), null).bytes();
                cleanWorkFiles(false);
            }
            return new PruneResult(mode, dryRun, items, List.copyOf(goner), bytes);
        }
    }

    /**
     * Pulls into the layout (see {@code LayoutPuller}): the platform the request names, else this
     * machine's; layers verified while streaming, several at once, those already stored not
     * fetched; progress on the calling thread. Without {@link Options#pulls()} (a store opened on
     * its own, for tools) fails with {@code INTERNAL}.
     */
    @Override
    public PullResult pull(PullRequest request, java.util.function.Consumer<PullProgress> progress, CancelSignal cancel) {
        return puller.orElseThrow(() -> new GantryException(ErrorKind.INTERNAL, "pull " + request.reference(),
                "this embedded store was opened without a registry client")).pull(request, progress, cancel);
    }

    /**
     * Follows changes of {@code index.json} (this process's and other processes', e.g. the CLI
     * beside the GUI) with a file watch: each change is an {@code IMAGE} event with action
     * {@code "update"}; the listener reloads. Runs on a daemon thread until closed.
     */
    @Override
    public Subscription subscribe(StoreEventListener listener) {
        java.nio.file.WatchService watch;
        try {
            watch = paths.root().getFileSystem().newWatchService();
            paths.root().register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
                    java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "watch " + paths.root(), e.toString(), e);
        }
        Thread thread = new Thread(() -> {
            listener.onConnected();
            try {
                while (true) {
                    java.nio.file.WatchKey key = watch.take();
                    boolean changed = false;
                    for (java.nio.file.WatchEvent<?> event : key.pollEvents()) {
                        changed |= event.kind() == java.nio.file.StandardWatchEventKinds.OVERFLOW
                                || LayoutPaths.INDEX_FILE.equals(String.valueOf(event.context()));
                    }
                    key.reset();
                    if (changed) {
                        listener.onEvent(new io.gantry.engine.StoreEvent(io.gantry.engine.StoreEvent.Type.IMAGE, "update",
                                LayoutPaths.INDEX_FILE, Map.of(), options.clock().instant()));
                    }
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                // closed
            }
        }, "gantry-store-watch");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            try {
                watch.close();
            } catch (IOException e) {
                log.debug("cannot close the watch of {}: {}", paths.root(), e.toString());
            }
        };
    }

    // ---------------------------------------------------------------- export and import

    /**
     * Writes images as an archive, as {@code docker save} does: each given name is kept as the
     * name in the archive; an image given by ID goes without names. Several images sharing layers
     * carry them once. The store is held shared meanwhile, so nothing is collected underneath.
     */
    public void save(List<String> namesOrIds, ArchiveFormat format, java.io.OutputStream out) {
        if (namesOrIds.isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "save images", "no image given");
        }
        String op = "save " + String.join(", ", namesOrIds);
        try (StoreLocks.Held held = locks.shared(op)) {
            Resolution resolution = resolve(readIndex(op).entries());
            Map<Digest, ArchiveWriter.Item> items = new LinkedHashMap<>();
            for (String input : namesOrIds) {
                Target target = find(input, resolution, op);
                ArchiveWriter.Item item = items.computeIfAbsent(target.image().id(),
                        id -> new ArchiveWriter.Item(target.image(), new ArrayList<>()));
                target.name().filter(n -> !item.names().contains(n)).ifPresent(item.names()::add);
            }
            new ArchiveWriter(this).write(List.copyOf(items.values()), format, out);
        }
    }

    /**
     * Loads a {@code docker save} archive (any Docker version) or an OCI archive, plain or
     * gzipped, as {@code docker load}: blobs verified, images added under the archive's names.
     * {@code INVALID_INPUT} for a file that is neither; {@code BAD_CONTENT} for one whose content
     * does not match its digests.
     */
    public LoadResult load(Path archive) {
        return new ArchiveReader(this).read(archive);
    }

    /** {@link #load(Path)} from a stream (e.g. standard input), spooled to a temp file in the store first. */
    public LoadResult load(InputStream archive) {
        Path spooled = null;
        try {
            spooled = Files.createTempFile(session(), "load-", ".tar");
            Files.copy(archive, spooled, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return load(spooled);
        } catch (IOException e) {
            throw FileOps.writeFailure("load an archive from a stream", paths.tmp(), e);
        } finally {
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException e) {
                    log.debug("cannot remove {}: {}", spooled, e.toString());
                }
            }
        }
    }

    // ---------------------------------------------------------------- garbage collection

    /** Blobs removed by a sweep, with their total size. */
    private record SweepResult(List<Descriptor> removed, long bytes) {
    }

    /**
     * Removes every blob no {@code index.json} entry reaches (through manifests, indexes and the
     * index an image was pulled through), plus temp files of dead processes and partial downloads
     * older than a week. Waits for running pulls and imports. A dry run only reports.
     */
    public GcReport gc(boolean dryRun) {
        String op = dryRun ? "plan garbage collection" : "collect garbage";
        try (StoreLocks.Held held = dryRun ? locks.shared(op) : locks.exclusive(op)) {
            Set<Digest> live = mark(readIndex(op).entries(), null);
            if (dryRun) {
                List<Descriptor> garbage = unmarked(live);
                return new GcReport(garbage, garbage.stream().mapToLong(Descriptor::size).sum(), cleanWorkFiles(true), true);
            }
            SweepResult sweep = sweep(live, null);
            return new GcReport(sweep.removed(), sweep.bytes(), cleanWorkFiles(false), false);
        }
    }

    /** Removes those of {@code candidates} nothing references any more, if the store can be had within {@code wait}. */
    private SweepResult collect(String op, Set<Digest> candidates, Duration wait) {
        StoreLocks.Held held;
        try {
            held = locks.exclusive(op, wait);
        } catch (GantryException busy) {
            log.info("{}: store busy, unreferenced blobs stay until the next prune", op);
            return new SweepResult(List.of(), 0);
        }
        try (held) {
            Set<Digest> live = mark(readIndex(op).entries(), null);
            return sweep(live, candidates);
        }
    }

    /** Every blob reachable from the entries. {@code problems}, when given, collects what is missing or malformed. */
    private Set<Digest> mark(List<IndexEntry> entries, List<VerifyReport.Problem> problems) {
        Set<Digest> live = new HashSet<>();
        Deque<Descriptor> work = new ArrayDeque<>();
        for (IndexEntry entry : entries) {
            work.push(entry.descriptor());
            entry.provenance().forEach(d -> live.add(d.digest()));
        }
        while (!work.isEmpty()) {
            Descriptor d = work.pop();
            if (!live.add(d.digest())) {
                continue;
            }
            if (!MediaTypes.isSupportedManifest(d.mediaType()) || !hasBlob(d.digest())) {
                continue;
            }
            try {
                ManifestContent content = content(d);
                if (content instanceof Manifest m) {
                    work.push(m.config());
                    m.layers().forEach(work::push);
                } else if (content instanceof ImageIndex index) {
                    index.manifests().forEach(work::push);
                }
            } catch (GantryException e) {
                // damaged content: nothing more is reachable through it; verify reports it
            }
        }
        return live;
    }

    private List<Descriptor> unmarked(Set<Digest> live) {
        List<Descriptor> garbage = new ArrayList<>();
        forEachBlob((digest, file) -> {
            if (!live.contains(digest)) {
                garbage.add(Descriptor.of("application/octet-stream", digest, sizeOf(file)));
            }
        });
        garbage.sort(Comparator.comparing(Descriptor::digest));
        return garbage;
    }

    /** Deletes unreferenced blobs (only {@code among} them, when given). Call with the store held exclusively. */
    private SweepResult sweep(Set<Digest> live, Set<Digest> among) {
        List<Descriptor> removed = new ArrayList<>();
        long bytes = 0;
        for (Descriptor d : unmarked(live)) {
            if (among != null && !among.contains(d.digest())) {
                continue;
            }
            try {
                Files.deleteIfExists(paths.blob(d.digest()));
                parsed.remove(d.digest());
                removed.add(d);
                bytes += d.size();
            } catch (IOException e) {
                throw new GantryException(ErrorKind.STORAGE, "delete blob " + d.digest(), e.toString(), e);
            }
        }
        if (!removed.isEmpty()) {
            FileOps.syncDirectory(paths.blobs().resolve("sha256"));
        }
        return new SweepResult(removed, bytes);
    }

    @FunctionalInterface
    private interface BlobVisitor {
        void visit(Digest digest, Path file);
    }

    private void forEachBlob(BlobVisitor visitor) {
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(paths.blobs())) {
            for (Path algorithm : algorithms) {
                if (!Files.isDirectory(algorithm)) {
                    continue;
                }
                try (DirectoryStream<Path> blobs = Files.newDirectoryStream(algorithm)) {
                    for (Path file : blobs) {
                        String text = algorithm.getFileName() + ":" + file.getFileName();
                        if (Files.isRegularFile(file) && Digest.isDigest(text)) {
                            visitor.visit(Digest.of(text), file);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // no blobs yet
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "list blobs in " + paths.root(), e.toString(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Removes what dead processes left under {@code .gantry}: temp directories whose owner's lock is
     * free, partial downloads older than a week, lock files of finished partials. Call with the
     * store held exclusively (or {@code dryRun} to count).
     */
    private int cleanWorkFiles(boolean dryRun) {
        int count = cleanDeadSessions(dryRun);
        Instant cutoff = options.clock().instant().minus(PARTIAL_MAX_AGE);
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(paths.partials())) {
            for (Path file : partials) {
                String name = file.getFileName().toString();
                boolean lockFile = name.endsWith(".lock");
                Path partial = lockFile ? file.resolveSibling(name.substring(0, name.length() - 5)) : file;
                boolean stale = lockFile ? !Files.exists(partial)
                        : Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
                if (stale) {
                    count++;
                    if (!dryRun) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // nothing partial
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", paths.partials(), e.toString());
        }
        return count;
    }

    private void cleanDeadSessions() {
        cleanDeadSessions(false);
    }

    /** Temp directories under {@code .gantry/tmp} whose owner died (its session lock is free). */
    private int cleanDeadSessions(boolean dryRun) {
        int count = 0;
        try (DirectoryStream<Path> sessions = Files.newDirectoryStream(paths.tmp())) {
            for (Path path : sessions) {
                String name = path.getFileName().toString();
                if (name.endsWith(".lock")) {
                    continue;
                }
                Path lockFile = path.resolveSibling(name + ".lock");
                synchronized (sessionMonitor) {
                    if (path.equals(sessionDir)) {
                        continue;
                    }
                }
                if (ownerIsDead(lockFile)) {
                    count++;
                    if (!dryRun) {
                        deleteTree(path);
                        Files.deleteIfExists(lockFile);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // no temp dir yet
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", paths.tmp(), e.toString());
        }
        return count;
    }

    private static boolean ownerIsDead(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** This process's temp directory, created on first use and locked for its lifetime. */
    Path session() {
        synchronized (sessionMonitor) {
            if (closed) {
                throw new GantryException(ErrorKind.INTERNAL, "use store " + paths.root(), "the store is closed");
            }
            if (sessionDir == null) {
                String id = UUID.randomUUID().toString();
                Path lockFile = paths.tmp().resolve(id + ".lock");
                try {
                    Files.createDirectories(paths.tmp());
                    sessionLockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    sessionLock = sessionLockChannel.lock();
                    sessionDir = Files.createDirectories(paths.tmp().resolve(id));
                } catch (IOException e) {
                    throw FileOps.writeFailure("create a temp directory in " + paths.root(), paths.tmp(), e);
                }
            }
            return sessionDir;
        }
    }

    // ---------------------------------------------------------------- verify

    /**
     * Checks the layout like {@code git fsck}: {@code oci-layout} and {@code index.json} parse,
     * every blob reachable from {@code index.json} exists with the size its references give and
     * hashes to its digest, every manifest, index and config parses. Reports, never deletes.
     */
    public VerifyReport verify() {
        String op = "verify " + paths.root();
        List<VerifyReport.Problem> problems = new ArrayList<>();
        int checked = 0;
        long bytes = 0;
        try (StoreLocks.Held held = locks.shared(op)) {
            try {
                checkLayout(paths, op);
            } catch (GantryException | IOException e) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.LAYOUT, Optional.empty(), e.getMessage(), "oci-layout"));
                return new VerifyReport(0, 0, problems, 0);
            }
            IndexDoc doc;
            try {
                doc = readIndex(op);
            } catch (GantryException e) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.LAYOUT, Optional.empty(), e.getMessage(), "index.json"));
                return new VerifyReport(0, 0, problems, 0);
            }
            Map<Digest, Descriptor> reachable = new LinkedHashMap<>();
            Map<Digest, String> referrer = new HashMap<>();
            Deque<Descriptor> work = new ArrayDeque<>();
            Set<Digest> sparse = new HashSet<>();
            for (IndexEntry entry : doc.entries()) {
                String who = entry.name().map(ImageName::display).orElse("index.json");
                work.add(entry.descriptor());
                referrer.putIfAbsent(entry.descriptor().digest(), who);
                for (Descriptor kept : entry.provenance()) {
                    sparse.add(kept.digest()); // checked, but its other platforms are not expected to be stored
                    referrer.putIfAbsent(kept.digest(), who + " (as pulled)");
                    if (reachable.putIfAbsent(kept.digest(), kept) == null) {
                        work.add(kept);
                    }
                }
            }
            Set<Digest> done = new HashSet<>();
            while (!work.isEmpty()) {
                Descriptor d = work.poll();
                if (!done.add(d.digest())) {
                    continue;
                }
                reachable.putIfAbsent(d.digest(), d);
                String who = referrer.getOrDefault(d.digest(), "index.json");
                Optional<VerifyReport.Problem> problem = checkBlob(d, who);
                if (problem.isPresent()) {
                    problems.add(problem.get());
                    continue;
                }
                checked++;
                bytes += d.size();
                if (MediaTypes.isSupportedManifest(d.mediaType())) {
                    try {
                        ManifestContent content = ContentJson.manifestContent(Files.readAllBytes(paths.blob(d.digest())),
                                d.mediaType(), "manifest " + d.digest());
                        List<Descriptor> children = new ArrayList<>();
                        if (content instanceof Manifest m) {
                            children.add(m.config());
                            children.addAll(m.layers());
                            try {
                                ContentJson.config(Files.readAllBytes(paths.blob(m.config().digest())), "config");
                            } catch (GantryException e) {
                                problems.add(new VerifyReport.Problem(VerifyReport.Kind.MALFORMED, Optional.of(m.config().digest()),
                                        e.getMessage(), "manifest " + d.digest()));
                            } catch (IOException e) {
                                // reported as missing when its turn comes
                            }
                        } else if (content instanceof ImageIndex index && !sparse.contains(d.digest())) {
                            children.addAll(index.manifests());
                        }
                        for (Descriptor child : children) {
                            referrer.putIfAbsent(child.digest(), "manifest " + d.digest());
                            work.add(child);
                        }
                    } catch (GantryException e) {
                        problems.add(new VerifyReport.Problem(VerifyReport.Kind.MALFORMED, Optional.of(d.digest()), e.getMessage(), who));
                    } catch (IOException e) {
                        problems.add(new VerifyReport.Problem(VerifyReport.Kind.UNREADABLE, Optional.of(d.digest()), e.toString(), who));
                    }
                }
            }
            int[] unreferenced = {0};
            forEachBlob((digest, file) -> {
                if (!done.contains(digest)) {
                    unreferenced[0]++;
                }
            });
            return new VerifyReport(checked, bytes, problems, unreferenced[0]);
        }
    }

    private Optional<VerifyReport.Problem> checkBlob(Descriptor d, String who) {
        Path file = paths.blob(d.digest());
        if (!Files.isRegularFile(file)) {
            return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.MISSING, Optional.of(d.digest()),
                    "blob is missing (" + d.mediaType() + ", " + d.size() + " bytes)", who));
        }
        try {
            long size = Files.size(file);
            if (size != d.size()) {
                return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.SIZE_MISMATCH, Optional.of(d.digest()),
                        "blob has " + size + " bytes, expected " + d.size(), who));
            }
            Digest actual = digestOf(file, d.digest().algorithm());
            if (!actual.equals(d.digest())) {
                return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.DIGEST_MISMATCH, Optional.of(d.digest()),
                        "content hashes to " + actual, who));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.UNREADABLE, Optional.of(d.digest()), e.toString(), who));
        }
    }

    static Digest digestOf(Path file, String algorithm) throws IOException {
        MessageDigest md = hash(algorithm);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                md.update(buffer);
                buffer.clear();
            }
        }
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    private static Digest digestOf(String algorithm, byte[] bytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash(algorithm).digest(bytes)));
    }

    private static MessageDigest hash(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

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

    private static GantryException missingBlob(String op, Digest digest) {
        return new GantryException(ErrorKind.NOT_FOUND, op, "blob " + digest + " is not in the store", "BLOB_UNKNOWN", 0,
                "gantry verify lists damaged images; pull them again.", null);
    }

    private static GantryException damaged(String op, String why) {
        return new GantryException(ErrorKind.STORAGE, op, why, "LAYOUT_DAMAGED", 0,
                "gantry verify lists what is damaged; pull the image again.", null);
    }

    @Override
    public void close() {
        synchronized (sessionMonitor) {
            if (closed) {
                return;
            }
            closed = true;
            if (sessionDir != null) {
                try {
                    deleteTree(sessionDir);
                } catch (IOException | UncheckedIOException e) {
                    log.debug("cannot remove {}: {}", sessionDir, e.toString());
                }
                try {
                    sessionLock.release();
                    sessionLockChannel.close();
                    Files.deleteIfExists(paths.tmp().resolve(sessionDir.getFileName() + ".lock"));
                } catch (IOException e) {
                    log.debug("cannot release the session lock: {}", e.toString());
                }
            }
        }
    }
}
