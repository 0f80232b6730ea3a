package io.gantry.engine.containerd;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.Platform;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.LoadResult;
import io.gantry.engine.containerd.api.leases.CreateRequest;
import io.gantry.engine.containerd.api.leases.DeleteRequest;
import io.gantry.engine.containerd.api.leases.LeasesGrpc;
import io.gantry.registry.ManifestCodec;
import io.grpc.StatusRuntimeException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Loads an OCI archive (a tar of an OCI image layout, gzipped or not: what {@code gantry save
 * --type oci} and Docker 25's {@code docker save} write) into a containerd namespace as
 * {@code ctr images import} does, read once as a stream: each blob goes into the content store as
 * it arrives ({@code Content.Write}, digest and size checked by containerd on commit) under a
 * lease, a blob the content store has already is skipped (its bytes are read past, not written),
 * manifests and indexes get containerd's {@code gc.ref} labels so the image keeps its blobs, and
 * only once the whole archive is in does {@code Images.Create} (or {@code Update}) name each image.
 * A stream that breaks off, or content that does not match its digest, fails before any name is
 * created or moved, and deleting the lease lets containerd's garbage collector drop what was
 * written: the namespace is left as it was.
 *
 * <p>A {@code docker save} archive of Docker before 25 (layers as {@code <dir>/layer.tar}, the config
 * as {@code <id>.json}, {@code manifest.json}, no OCI layout) is converted as {@code ctr images import}
 * converts it ({@link DockerSaveImages}): each layer is spooled to a temp file while its digest is
 * computed (containerd wants the digest of what it is given), then written as it is; each image gets
 * an OCI manifest over its own config, so its image ID stays, and is named by its {@code RepoTags}.
 */
final class ContainerdLoads {

    private static final Pattern BLOB = Pattern.compile("blobs/(sha256)/([0-9a-f]{64})");
    /** The classic format's other files of a layer directory, which containerd has no use for. */
    private static final Pattern LEGACY_LAYER_FILE = Pattern.compile("[^/]+/(json|VERSION)");
    private static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final String OCI_NAME = "org.opencontainers.image.ref.name";

    private final ContainerdConnection connection;
    private final ContainerdContent content;
    private final ContainerdPulls writer;

    ContainerdLoads(ContainerdConnection connection, ContainerdContent content) {
        this.connection = connection;
        this.content = content;
        this.writer = new ContainerdPulls(connection, () -> {
            throw new IllegalStateException("a load does not pull");
        }, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }

    LoadResult load(String namespace, InputStream archive, Platform platform) {
        String op = "load images into namespace " + namespace;
        String lease = "gantry-load-" + UUID.randomUUID();
        try {
            writer.bind(LeasesGrpc.newBlockingStub(connection.channel()), namespace, null).create(CreateRequest.newBuilder()
                    .setId(lease).putLabels("containerd.io/gc.expire", Instant.now().plus(Duration.ofHours(2)).toString())
                    .build());
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        try {
            return loadUnderLease(namespace, lease, archive, platform, op);
        } finally {
            try {
                writer.bind(LeasesGrpc.newBlockingStub(connection.channel()), namespace, null)
                        .delete(DeleteRequest.newBuilder().setId(lease).build());
            } catch (StatusRuntimeException ignored) {
                // the lease expires by its gc.expire label
            }
        }
    }

    private LoadResult loadUnderLease(String namespace, String lease, InputStream archive, Platform platform, String op) {
        Optional<byte[]> index = Optional.empty();
        Optional<byte[]> dockerManifest = Optional.empty();
        Map<String, Descriptor> dockerLayers = new LinkedHashMap<>();
        Map<String, Digest> dockerDiffIds = new LinkedHashMap<>();
        Map<String, byte[]> dockerConfigs = new LinkedHashMap<>();
        Map<Digest, Long> written = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(unzipped(archive))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (entry.isDirectory() || name.equals("oci-layout") || name.equals("repositories")
                        || LEGACY_LAYER_FILE.matcher(name).matches()) {
                    continue;
                }
                if (name.equals("index.json")) {
                    index = Optional.of(small(tar, entry.getSize(), op, "index.json"));
                    continue;
                }
                if (name.equals("manifest.json")) {
                    dockerManifest = Optional.of(small(tar, entry.getSize(), op, "manifest.json"));
                    continue;
                }
                if (DockerSaveImages.isConfig(name)) {
                    dockerConfigs.put(name, small(tar, entry.getSize(), op, name));
                    continue;
                }
                if (!BLOB.matcher(name).matches() && DockerSaveImages.isLayer(name)) {
                    Spooled layer = spool(tar, entry.getSize(), op, name);
                    try {
                        dockerLayers.put(name, layer.descriptor());
                        dockerDiffIds.put(name, layer.diffId());
                        if (!writer.exists(namespace, layer.descriptor().digest(), op)) {
                            try (InputStream in = java.nio.file.Files.newInputStream(layer.file())) {
                                writer.write(namespace, lease, layer.descriptor(), in, Map.of(), op, Cancellation.none());
                            }
                            written.put(layer.descriptor().digest(), layer.descriptor().size());
                        }
                    } finally {
                        java.nio.file.Files.deleteIfExists(layer.file());
                    }
                    continue;
                }
                Matcher blob = BLOB.matcher(name);
                if (!blob.matches()) {
                    throw notOci(op, "it holds " + name);
                }
                Digest digest = new Digest(blob.group(1), blob.group(2));
                if (writer.exists(namespace, digest, op)) {
                    continue; // already in the content store: read past, not written again
                }
                long size = entry.getSize();
                if (size <= ContainerdContent.MAX_SMALL_BLOB) {
                    byte[] bytes = small(tar, size, op, name);
                    writer.write(namespace, lease, Descriptor.of("application/octet-stream", digest, size),
                            new ByteArrayInputStream(bytes), gcLabels(bytes), op, Cancellation.none());
                } else {
                    writer.write(namespace, lease, Descriptor.of("application/octet-stream", digest, size), tar,
                            Map.of(), op, Cancellation.none());
                }
                written.put(digest, size);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "the archive broke off or is damaged: " + e.getMessage(),
                    null, 0, "Nothing in the namespace was named or changed; copy or load the image again.", null);
        }
        if (index.isEmpty() && dockerManifest.isPresent()) {
            return loadDockerSave(namespace, lease, DockerSaveImages.images(dockerManifest.get(), dockerLayers,
                    dockerConfigs, dockerDiffIds, op), written, op);
        }
        byte[] indexBytes = index.orElseThrow(() -> notOci(op, "it has neither index.json nor manifest.json"));
        List<LoadResult.Loaded> loaded = new ArrayList<>();
        List<Runnable> naming = new ArrayList<>();
        for (Descriptor entry : ManifestCodec.parse(indexBytes, Optional.of(io.gantry.core.MediaTypes.OCI_INDEX), op)
                instanceof ImageIndex idx ? idx.manifests() : List.<Descriptor>of()) {
            Digest id = imageId(namespace, entry, platform, op);
            List<String> names = new ArrayList<>();
            nameOf(entry).ifPresent(n -> {
                names.add(n.familiar());
                naming.add(() -> writer.name(namespace, n.toString(), entry, op));
            });
            long bytes = written.values().stream().mapToLong(Long::longValue).sum();
            loaded.add(new LoadResult.Loaded(id, names, bytes));
        }
        if (naming.isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "the archive names no image", null, 0,
                    "containerd keeps only named images: save or copy the image by its name.", null);
        }
        naming.forEach(Runnable::run); // only now, with every blob in: nothing was named before
        return new LoadResult(ArchiveFormat.OCI, loaded);
    }

    /**
     * The images of a docker save archive whose layers are in: their configs and manifests written
     * (the manifests with the labels that keep their blobs), then, with everything in, each named.
     */
    private LoadResult loadDockerSave(String namespace, String lease, List<DockerSaveImages.Image> images,
                                      Map<Digest, Long> written, String op) {
        if (images.stream().allMatch(i -> i.names().isEmpty())) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "the archive names no image", null, 0,
                    "containerd keeps only named images: save or copy the image by its name.", null);
        }
        List<LoadResult.Loaded> loaded = new ArrayList<>();
        for (DockerSaveImages.Image image : images) {
            loaded.add(new LoadResult.Loaded(image.id(), image.names().stream().map(ImageReference::familiar).toList(),
                    written.values().stream().mapToLong(Long::longValue).sum()));
        }
        for (DockerSaveImages.Image image : images) {
            // the config is in the archive as <id>.json: its bytes, under the digest they hash to
            writer.write(namespace, lease, Descriptor.of(io.gantry.core.MediaTypes.OCI_CONFIG, image.id(),
                    image.config().length), new ByteArrayInputStream(image.config()), Map.of(), op, Cancellation.none());
            writer.write(namespace, lease, image.target(), new ByteArrayInputStream(image.manifest()),
                    gcLabels(image.manifest()), op, Cancellation.none());
        }
        for (DockerSaveImages.Image image : images) {
            image.names().forEach(n -> writer.name(namespace, n.toString(), image.target(), op));
        }
        return new LoadResult(ArchiveFormat.DOCKER, loaded);
    }

    /** The image ID (config digest) of an index entry, after checking that its blobs are all in. */
    private Digest imageId(String namespace, Descriptor entry, Platform platform, String op) {
        ManifestContent parsed = ManifestCodec.parse(content.readSmall(namespace, entry.digest(), op),
                Optional.of(entry.mediaType()), op);
        if (parsed instanceof ImageIndex idx) {
            Descriptor child = idx.manifestFor(platform).orElseGet(() -> idx.manifests().get(0));
            return imageId(namespace, child, platform, op);
        }
        Manifest manifest = (Manifest) parsed;
        List<Descriptor> blobs = new ArrayList<>(manifest.layers());
        blobs.add(manifest.config());
        for (Descriptor blob : blobs) {
            if (!writer.exists(namespace, blob.digest(), op)) {
                throw new GantryException(ErrorKind.INVALID_INPUT, op, "the archive lacks blob " + blob.digest()
                        + " of manifest " + entry.digest(), null, 0, "Nothing was named; save the image again.", null);
            }
        }
        return manifest.config().digest();
    }

    private static Optional<ImageReference> nameOf(Descriptor entry) {
        for (String key : List.of(CONTAINERD_NAME, OCI_NAME)) {
            String value = entry.annotations().get(key);
            if (value != null && (value.contains("/") || value.contains(":") || value.contains("@"))) {
                try {
                    return Optional.of(ImageReference.parse(value));
                } catch (RuntimeException notAReference) {
                    // a bare tag or another tool's label: no name to give
                }
            }
        }
        return Optional.empty();
    }

    /** containerd's labels that keep a manifest's or index's blobs alive; none for any other blob. */
    private static Map<String, String> gcLabels(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != '{') {
            return Map.of();
        }
        ManifestContent parsed;
        try {
            parsed = ManifestCodec.parse(bytes, Optional.empty(), "read a blob");
        } catch (RuntimeException notAManifest) {
            return Map.of(); // a config
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (parsed instanceof Manifest manifest) {
            labels.put("containerd.io/gc.ref.content.config", manifest.config().digest().toString());
            for (int i = 0; i < manifest.layers().size(); i++) {
                labels.put("containerd.io/gc.ref.content.l." + i, manifest.layers().get(i).digest().toString());
            }
        } else if (parsed instanceof ImageIndex idx) {
            for (int i = 0; i < idx.manifests().size(); i++) {
                labels.put("containerd.io/gc.ref.content.m." + i, idx.manifests().get(i).digest().toString());
            }
        }
        return labels;
    }

    /** A layer spooled to a temp file: its descriptor (digest of the bytes as given) and its diff ID. */
    private record Spooled(java.nio.file.Path file, Descriptor descriptor, Digest diffId) {
    }

    /**
     * Copies a layer of {@code size} bytes to a temp file, hashing it; a gzipped layer is read again
     * through gzip for its diff ID (a plain tar's diff ID is its digest).
     */
    private static Spooled spool(InputStream in, long size, String op, String what) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("gantry-layer-", ".tar");
        try {
            java.security.MessageDigest sha = Digest.newSha256();
            byte[] head = new byte[2];
            long copied = 0;
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                byte[] buffer = new byte[1 << 20];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (copied < 2) {
                        System.arraycopy(buffer, 0, head, (int) copied, (int) Math.min(n, 2 - copied));
                    }
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    copied += n;
                }
            }
            if (copied != size) {
                throw new IOException(what + " is cut short");
            }
            Digest digest = new Digest("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
            boolean gzipped = size >= 2 && DockerSaveImages.gzipMagic(head);
            Digest diffId = digest;
            if (gzipped) {
                java.security.MessageDigest plain = Digest.newSha256();
                try (InputStream unzipped = new GzipCompressorInputStream(java.nio.file.Files.newInputStream(file))) {
                    byte[] buffer = new byte[1 << 20];
                    int n;
                    while ((n = unzipped.read(buffer)) > 0) {
                        plain.update(buffer, 0, n);
                    }
                }
                diffId = new Digest("sha256", java.util.HexFormat.of().formatHex(plain.digest()));
            }
            return new Spooled(file, DockerSaveImages.layer(digest, size, gzipped), diffId);
        } catch (IOException | RuntimeException e) {
            java.nio.file.Files.deleteIfExists(file);
            throw e;
        }
    }

    private static byte[] small(InputStream in, long size, String op, String what) throws IOException {
        if (size > ContainerdContent.MAX_SMALL_BLOB) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, what + " is larger than "
                    + ContainerdContent.MAX_SMALL_BLOB / (1024 * 1024) + " MiB");
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length < size) {
            throw new IOException(what + " is cut short");
        }
        return bytes;
    }

    private static InputStream unzipped(InputStream archive) throws IOException {
        BufferedInputStream in = new BufferedInputStream(archive, 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GzipCompressorInputStream(in) : in;
    }

    private static GantryException notOci(String op, String why) {
        return new GantryException(ErrorKind.INVALID_INPUT, op, "containerd takes OCI archives, and this is none: "
                + why, null, 0, "Save the image as an OCI archive (gantry save --type oci, or Docker 25 and later), "
                + "or copy it into the embedded store first.", null);
    }
}
