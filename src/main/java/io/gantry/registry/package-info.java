/**
 * The OCI distribution client on OkHttp and Jackson: manifests, blobs, tags, catalog, push and
 * search, with auth challenges and tokens, Docker credentials and per-registry TLS trust.
 *
 * <p>Entry point: {@link io.gantry.registry.RegistryClient} (built once by the composition root,
 * e.g. {@code RegistryClient.builder().fromDockerConfig(env, home).build()}). Around it:
 * <ul>
 *   <li>results: {@link io.gantry.registry.FetchedManifest} (raw bytes, verified digest, parsed
 *       {@code io.gantry.core} records), {@link io.gantry.registry.Page},
 *       {@link io.gantry.registry.SearchPage}/{@link io.gantry.registry.SearchResult},
 *       {@link io.gantry.registry.PushOutcome}, {@link io.gantry.registry.CopyEvent} (one blob's step in a
 *       registry-to-registry copy);</li>
 *   <li>blob transfer: {@link io.gantry.registry.BlobSink} (committed only after size and digest
 *       are verified; {@link io.gantry.registry.FileBlobSink}), {@link io.gantry.registry.BlobSource},
 *       {@link io.gantry.registry.ProgressListener};</li>
 *   <li>seams: {@link io.gantry.registry.CredentialStore} ({@link io.gantry.registry.DockerConfigCredentials}
 *       with a {@link io.gantry.registry.ProcessRunner} for {@code docker-credential-*} helpers),
 *       {@link io.gantry.registry.TransportSettings} (insecure registries, certs.d, timeouts),
 *       {@link io.gantry.registry.RetryPolicy}, {@link io.gantry.registry.Sleeper}, the clock and
 *       the OkHttp client;</li>
 *   <li>{@link io.gantry.registry.ManifestCodec}: the one reader and writer of the JSON of
 *       manifests, indexes, configs and descriptors, strict about types; the embedded store reads
 *       its {@code index.json}, blobs and archives through it as well.</li>
 * </ul>
 *
 * <p>A copy between repositories is {@code RegistryCopier} (blobs once, mounted or streamed through
 * {@code RelayedBlob}, a download piped into the upload; manifests with their bytes kept).
 *
 * <p>Inside: one class per registry operation ({@code ManifestPuller}, {@code ManifestChecker},
 * {@code ManifestPusher}, {@code BlobPuller}, {@code BlobChecker}, {@code BlobPusher},
 * {@code TagLister}, {@code CatalogLister}, {@code HubSearcher}, {@code CatalogSearcher}), each a
 * {@code RegistryEndpoint} run by {@code RegistryCaller}, which alone maps HTTP statuses and I/O
 * errors to {@link io.gantry.core.GantryException}s (through {@code RegistryErrors}), answers auth
 * challenges ({@code RegistryAuthenticator}), retries and follows redirects. Wire-format DTOs of
 * the other answers (errors, tokens, tag lists, search; {@code WireTemplates}) are package-private
 * and translated to {@code io.gantry.core} records at the boundary. Depends only on {@code core}.
 *
 * <p>Blob bodies take a faster path than small calls: {@code RegistryCaller} streams them through
 * an HTTP/1.1 client whose sockets read ahead in 256 KiB reads and enforce the read timeout
 * themselves ({@code ReadAheadSocketFactory}), so OkHttp's per-read timeout watchdog is off;
 * {@code BlobPuller} hashes each 1 MiB chunk on a helper thread while the next is read and writes
 * chunks from direct buffers ({@code ChunkBuffers}), 256 KiB per write call (1 MiB calls cost the
 * kernel's page-cache copy several times as much on the test VM). A sink may keep an interrupted download's
 * bytes ({@link io.gantry.registry.BlobSink#kept()}) so the next attempt asks only for the rest.
 *
 * <p>Connecting: {@code RegistryCaller} pings {@code /v2/} over HTTPS, and for a registry that may
 * use plain HTTP ({@link io.gantry.registry.TransportSettings#allowsPlainHttp}: loopback and the
 * user's insecure registries, Docker's rule) over HTTPS and plain HTTP at once. One that answered
 * over plain HTTP last time ({@code KnownPlainHttp}, a file the composition root names) is pinged
 * over plain HTTP alone first, racing only when that fails. The client's own OkHttp client is built
 * for cleartext and gets its TLS variant on the first {@code https} URL ({@code TlsOnDemand}), so a
 * command talking to a plain-HTTP registry never sets up the platform's trust store and TLS context.
 *
 * <p>Bounds against hostile or broken registries (issue 14): connect 15 s, read (silence) 60 s; a
 * small call (manifest, tags, token) has 60 s in all, retries included, and is not sent again after
 * a timeout; a connection refused on a loopback host is not retried (nothing listens there; it took
 * 7.5 s of retries), and when HTTPS and plain HTTP both get no answer the message names both URLs
 * tried; {@code Retry-After} is honoured up to 10 s (a longer demand ends the retries); every
 * body read into memory has a size limit ({@code Bodies}); page walks stop on a cursor seen before,
 * at 1,000 pages or 200,000 items ({@code PageGuard}). A blob download must bring at least
 * 32 KiB in every sliding 30 s ({@code TransportSettings.MinimumSpeed}, {@code SpeedFloor}): a
 * registry dripping a byte a second, which resets the read timeout forever, fails without a retry,
 * and what arrived stays in the sink for the next pull to resume from. Every {@code Authorization} value sent is
 * remembered by {@link io.gantry.core.PeerText} so that no message shows it.
 */
package io.gantry.registry;
