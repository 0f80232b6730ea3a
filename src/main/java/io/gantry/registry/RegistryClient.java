package io.gantry.registry;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.core.Repository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The OCI distribution client: pull and push manifests and blobs, list tags and catalogs, search
 * Docker Hub or a registry's catalog (in the spirit of go-containerregistry's {@code remote}
 * package). Thread-safe; share one per application.
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder().fromDockerConfig(System.getenv(), home).build();
 * ImageReference ref = ImageReference.parse("localhost:5000/team/app:1.0");
 * FetchedManifest image = client.pullImageManifest(ref, Platform.parse("linux/amd64"), cancel);
 * Manifest manifest = image.manifest().orElseThrow();
 * ImageConfig config = client.pullConfig(ref.repo(), manifest, cancel);
 * for (Descriptor layer : manifest.layers()) {
 *     client.pullBlob(ref.repo(), layer, dir.resolve(layer.digest().hex()), progress, cancel);
 * }
 * }</pre>
 *
 * <p>Every method takes a {@link Cancellation}: cancelling it aborts the HTTP call in flight and
 * the method throws a {@link GantryException} of kind {@link ErrorKind#CANCELLED}. Every failure
 * is a {@link GantryException} with a kind, the registry's error code and HTTP status when there
 * are any, and an action for the user.
 */
public final class RegistryClient {

    /** {@link GantryException#code()} when an index has no image for the wanted platform. */
    public static final String NO_MATCHING_PLATFORM = "NO_MATCHING_PLATFORM";
    /** The largest blob {@link #pullBlobBytes} holds in memory. */
    public static final long MAX_BLOB_IN_MEMORY = 32L * 1024 * 1024;

    private final RegistryCaller caller;
    private final HttpUrl hubSearchUrl;
    private final TransportSettings transport;

    private RegistryClient(Builder builder) {
        this.transport = builder.transport;
        RegistryAuthenticator authenticator = new RegistryAuthenticator(builder.credentials, builder.transport, builder.clock);
        this.caller = new RegistryCaller(builder.http, builder.transport, authenticator, builder.retry, builder.sleeper,
                builder.clock, builder.knownPlainHttp);
        this.hubSearchUrl = builder.hubSearchUrl;
    }

    /** Whether this client has set up TLS so far (for tests: one that talked plain HTTP alone has not). */
    boolean tlsSetUp() {
        return caller.tlsSetUp();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- manifests ----

    /** Fetches the manifest or index {@code reference} names (by its digest when it has one). */
    public FetchedManifest pullManifest(ImageReference reference, Cancellation cancellation) {
        return caller.call(reference.registry(), new ManifestPuller(reference), cancellation);
    }

    /**
     * Fetches the image manifest for {@code platform}: the manifest itself when the reference names
     * a single-platform image, the best match from the index otherwise (see
     * {@link ImageIndex#manifestFor}).
     *
     * @throws GantryException of kind {@link ErrorKind#NOT_FOUND} and code
     *                         {@value #NO_MATCHING_PLATFORM} when the index offers no match; the
     *                         message lists what it offers
     */
    public FetchedManifest pullImageManifest(ImageReference reference, Platform platform, Cancellation cancellation) {
        FetchedManifest fetched = pullManifest(reference, cancellation);
        for (int depth = 0; depth < 3 && fetched.index().isPresent(); depth++) {
            ImageIndex index = fetched.index().get();
            Descriptor chosen = index.manifestFor(platform).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND,
                    "pull " + reference + " for " + platform,
                    "no image for " + platform + " in " + reference.familiar() + "; it offers "
                            + index.platforms().stream().map(Platform::toString).collect(Collectors.joining(", ")),
                    NO_MATCHING_PLATFORM, 0, "Choose one of the platforms the image offers.", null));
            fetched = pullManifest(reference.withDigest(chosen.digest()), cancellation);
        }
        if (fetched.manifest().isEmpty()) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "pull " + reference, "indexes nest too deeply");
        }
        return fetched;
    }

    /**
     * What {@code reference} points at now (media type, digest, size), with a HEAD request when the
     * registry answers it with a digest, else with a GET. Empty when it does not exist.
     */
    public Optional<Descriptor> headManifest(ImageReference reference, Cancellation cancellation) {
        Optional<ManifestChecker.Head> head = caller.call(reference.registry(), new ManifestChecker(reference), cancellation);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Optional<Descriptor> descriptor = head.get().descriptor();
        if (descriptor.isPresent() && MediaTypes.isSupportedManifest(descriptor.get().mediaType())) {
            return descriptor;
        }
        return Optional.of(pullManifest(reference, cancellation).descriptor());
    }

    /**
     * Stores {@code bytes} as a manifest of {@code mediaType} under {@code target}'s tag (or digest).
     * Its config and layers (or child manifests) must be in the repository already.
     *
     * @return the digest of the manifest
     */
    public Digest pushManifest(ImageReference target, String mediaType, byte[] bytes, Cancellation cancellation) {
        ManifestCodec.parse(bytes, Optional.of(mediaType), "push manifest " + target);
        return caller.call(target.registry(), new ManifestPusher(target, mediaType, bytes), cancellation);
    }

    /** Gives the image {@code source} names a further tag in the same repository, remotely. */
    public Digest tag(ImageReference source, String newTag, Cancellation cancellation) {
        FetchedManifest fetched = pullManifest(source, cancellation);
        return pushManifest(source.withTag(newTag), fetched.mediaType(), fetched.bytes(), cancellation);
    }

    /**
     * Copies an image or a whole index from {@code source} to {@code target} (which names a tag or
     * digest): blobs are mounted within a registry and streamed from registry to registry without a
     * temporary copy; a blob several images share is sent once; manifests keep their bytes, so
     * digests stay the same.
     *
     * @return the digest of the copied manifest
     */
    public Digest copy(ImageReference source, ImageReference target, Cancellation cancellation) {
        return copy(source, target, Optional.empty(), event -> { }, cancellation).digest();
    }

    /**
     * {@link #copy(ImageReference, ImageReference, Cancellation)}, with {@code platform} choosing one
     * child of an index (the whole index when empty), and each blob's steps reported to
     * {@code listener} on the calling thread (see {@link CopyEvent}).
     *
     * @throws GantryException of kind {@link ErrorKind#NOT_FOUND} and code
     *                         {@value #NO_MATCHING_PLATFORM} when the index has no such platform
     * @return what the target now names: the copied manifest's media type, digest and size
     */
    public Descriptor copy(ImageReference source, ImageReference target, Optional<Platform> platform,
                       java.util.function.Consumer<CopyEvent> listener, Cancellation cancellation) {
        return new RegistryCopier(this, caller).copy(source, target, platform, listener, cancellation);
    }

    // ---- blobs ----

    /**
     * Downloads a blob into {@code sink}, verifying its size and digest as it streams, resuming
     * with {@code Range} after a dropped connection. The sink is committed only when both match,
     * and aborted on any failure.
     *
     * @return the verified digest
     */
    public Digest pullBlob(Repository repository, Descriptor blob, BlobSink sink, ProgressListener progress,
                           Cancellation cancellation) {
        try {
            return caller.call(repository.registry(),
                    new BlobPuller(repository, blob, sink, progress, transport.minimumSpeed()), cancellation);
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.BAD_CONTENT) {
                sink.abort();
            } else {
                sink.suspend(); // cancelled or failed on the way: what arrived is good so far
            }
            throw e;
        } catch (RuntimeException e) {
            sink.abort();
            throw e;
        }
    }

    /**
     * Downloads a blob to {@code destination}, which appears (atomically, after an fsync) only once
     * the blob is verified; on failure nothing is left behind.
     */
    public Digest pullBlob(Repository repository, Descriptor blob, Path destination, ProgressListener progress,
                           Cancellation cancellation) {
        return pullBlob(repository, blob, new FileBlobSink(destination), progress, cancellation);
    }

    /** Downloads a small blob (a config, say) into memory, verified. */
    public byte[] pullBlobBytes(Repository repository, Descriptor blob, Cancellation cancellation) {
        if (blob.size() > MAX_BLOB_IN_MEMORY) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "pull blob " + blob.digest() + " from " + repository,
                    "the blob is " + blob.size() + " bytes, too large to hold in memory; download it to a file");
        }
        MemorySink sink = new MemorySink();
        pullBlob(repository, blob, sink, ProgressListener.NONE, cancellation);
        return sink.bytes();
    }

    /** Downloads and parses an image's config blob. */
    public ImageConfig pullConfig(Repository repository, Manifest manifest, Cancellation cancellation) {
        byte[] bytes = pullBlobBytes(repository, manifest.config(), cancellation);
        return ManifestCodec.parseConfig(bytes, "read image config " + manifest.config().digest() + " from " + repository);
    }

    /** Whether {@code repository} holds the blob {@code digest}. */
    public boolean blobExists(Repository repository, Digest digest, Cancellation cancellation) {
        return caller.call(repository.registry(), new BlobChecker(repository, digest, false), cancellation).isPresent();
    }

    /**
     * Makes sure {@code target} holds the blob: nothing to do when it exists, a cross-repository
     * mount when {@code mountFrom} names a repository of the same registry that has it, else an
     * upload of {@code source}.
     */
    public PushOutcome pushBlob(Repository target, Digest digest, BlobSource source, Optional<Repository> mountFrom,
                                ProgressListener progress, Cancellation cancellation) {
        return new BlobPusher(caller).push(target, digest, source, mountFrom, progress, cancellation);
    }

    // ---- listings and search ----

    /**
     * One page of {@code repository}'s tags.
     *
     * @param pageSize how many to ask for (0 = the registry's default, often all)
     * @param cursor   {@link Page#next()} of the previous page, or empty for the first page
     */
    public Page<String> listTags(Repository repository, int pageSize, Optional<String> cursor, Cancellation cancellation) {
        return caller.call(repository.registry(), new TagLister(repository, pageSize, cursor), cancellation);
    }

    /**
     * All of {@code repository}'s tags, following pages; a registry whose pages loop, or that lists
     * more than {@link PageGuard}'s limits, is stopped with a clear error.
     */
    public List<String> listAllTags(Repository repository, Cancellation cancellation) {
        List<String> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        PageGuard guard = new PageGuard("list tags of " + repository, repository.registry());
        do {
            Page<String> page = listTags(repository, 0, cursor, cancellation);
            all.addAll(page.items());
            cursor = page.next();
            guard.advance(page.items().size(), cursor);
        } while (cursor.isPresent());
        return all;
    }

    /** One page of the repository names in {@code registry} ({@code /v2/_catalog}). */
    public Page<String> listCatalog(String registry, int pageSize, Optional<String> cursor, Cancellation cancellation) {
        return caller.call(registry, new CatalogLister(registry, pageSize, cursor, Optional.empty()), cancellation);
    }

    /**
     * Searches Docker Hub (or the stand-in the builder names) for {@code term}.
     *
     * @param cursor {@link SearchPage#next()} of the previous page, or empty for the first
     */
    public SearchPage searchHub(String term, int pageSize, Optional<String> cursor, Cancellation cancellation) {
        int page = cursor.map(RegistryClient::pageNumber).orElse(1);
        return caller.callAt(hubSearchUrl, new HubSearcher(term, pageSize, page), cancellation);
    }

    /**
     * Searches a registry's catalog for repository names containing {@code term}.
     *
     * @param cursor {@link SearchPage#next()} of the previous page, or empty for the first
     */
    public SearchPage searchCatalog(String registry, String term, int pageSize, Optional<String> cursor,
                                    Cancellation cancellation) {
        return new CatalogSearcher(caller).search(registry, term, pageSize, cursor, cancellation);
    }

    /**
     * Searches where {@code registry} says: Docker Hub's search for {@code docker.io}, the catalog
     * for any other registry.
     */
    public SearchPage search(String registry, String term, int pageSize, Optional<String> cursor,
                             Cancellation cancellation) {
        return registry.equals(ImageReference.DOCKER_HUB) ? searchHub(term, pageSize, cursor, cancellation)
                : searchCatalog(registry, term, pageSize, cursor, cancellation);
    }

    private static int pageNumber(String cursor) {
        try {
            return Math.max(1, Integer.parseInt(cursor));
        } catch (NumberFormatException e) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "search Docker Hub", "'" + cursor + "' is not a page cursor");
        }
    }

    /** Holds a small blob in memory until verified. */
    private static final class MemorySink implements BlobSink {
        private java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        private byte[] committed;

        @Override
        public void write(java.nio.ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            buffer.write(copy, 0, copy.length);
        }

        @Override
        public void restart() {
            buffer.reset();
        }

        @Override
        public void commit() {
            committed = buffer.toByteArray();
        }

        @Override
        public void abort() {
            buffer = new java.io.ByteArrayOutputStream();
        }

        byte[] bytes() {
            return Objects.requireNonNull(committed, "not committed");
        }
    }

    /**
     * Configures a {@link RegistryClient}. Every seam has a default; tests replace the sleeper,
     * clock, credentials and search URL.
     */
    public static final class Builder {
        private OkHttpClient http;
        private CredentialStore credentials = CredentialStore.anonymous();
        private TransportSettings transport = TransportSettings.defaults(
                Path.of(System.getProperty("user.home"), ".docker"));
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.system();
        private Clock clock = Clock.systemUTC();
        private HttpUrl hubSearchUrl = HubSearcher.DEFAULT_BASE;
        private KnownPlainHttp knownPlainHttp = KnownPlainHttp.none();

        private Builder() {
        }

        /**
         * The user's Docker setup: credentials from {@code $DOCKER_CONFIG} or {@code ~/.docker}
         * (helpers found on {@code environment}'s {@code PATH}, 10 s timeout) and CA certificates
         * from its {@code certs.d} and {@code /etc/docker/certs.d}.
         */
        public Builder fromDockerConfig(Map<String, String> environment, Path home) {
            Path configDir = DockerConfigCredentials.configDir(environment, home);
            this.credentials = new DockerConfigCredentials(configDir, new SystemProcessRunner(environment),
                    Duration.ofSeconds(10));
            this.transport = TransportSettings.defaults(configDir).withInsecureRegistries(transport.insecureRegistries());
            return this;
        }

        /** The HTTP client to derive from (its connection pool and dispatcher are shared). */
        public Builder httpClient(OkHttpClient value) {
            this.http = value;
            return this;
        }

        public Builder credentials(CredentialStore value) {
            this.credentials = value;
            return this;
        }

        public Builder transport(TransportSettings value) {
            this.transport = value;
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Where to note the registries that answered over plain HTTP (among those the transport
         * settings allow it), so that later clients connect to them over plain HTTP at once instead of
         * also trying HTTPS (see {@code KnownPlainHttp}); by default nothing is noted.
         */
        public Builder knownPlainHttp(Path file) {
            this.knownPlainHttp = KnownPlainHttp.in(file);
            return this;
        }

        /** Where Docker Hub search goes ({@code https://index.docker.io/} by default). */
        public Builder hubSearchUrl(String value) {
            this.hubSearchUrl = HttpUrl.get(value);
            return this;
        }

        public RegistryClient build() {
            if (http == null) {
                http = TlsOnDemand.cleartextOnly(new OkHttpClient.Builder()).build(); // TLS set up on the first https URL
            }
            return new RegistryClient(this);
        }
    }
}
