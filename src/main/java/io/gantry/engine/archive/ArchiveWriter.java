package io.gantry.engine.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.ChainIds;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.core.Manifest;
import io.gantry.core.MediaTypes;
import io.gantry.engine.ArchiveFormat;
import io.gantry.registry.ManifestCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images as a {@code docker save} archive or an OCI archive (see {@link ArchiveFormat}), for
 * every endpoint that keeps blobs (the embedded store, a containerd namespace): the endpoint gives
 * the images' manifests and a way to read its blobs, the writer reads and checks each blob as it
 * copies it. Entries have fixed times and owners, so the same images give the same bytes. Images
 * that share layers carry them once.
 */
public final class ArchiveWriter {

    /** Reads a stored blob by digest; the writer checks its size and digest as it copies. */
    @FunctionalInterface
    public interface Blobs {
        InputStream open(Digest digest) throws IOException;
    }

    /**
     * A name an image goes under.
     *
     * @param raw       the name as the endpoint keeps it (an OCI {@code ref.name}, a containerd record name)
     * @param reference the parsed reference, when the name is one (a bare tag is not)
     */
    public record Name(String raw, Optional<ImageReference> reference) {
        public Name {
            java.util.Objects.requireNonNull(raw, "raw");
            java.util.Objects.requireNonNull(reference, "reference");
        }

        /** A name that is a {@code repository:tag} (what {@code RepoTags} and {@code repositories} carry). */
        boolean isTag() {
            return reference.map(r -> r.tag().isPresent() && r.digest().isEmpty()).orElse(false);
        }
    }

    /**
     * One image to write and the names it goes under (empty: no name, as {@code docker save <id>}).
     *
     * @param manifest the image manifest's descriptor (a platform's manifest, never an index)
     * @param content  that manifest, parsed
     * @param names    the names, in order
     */
    public record Item(Descriptor manifest, Manifest content, List<Name> names) {
        public Item {
            java.util.Objects.requireNonNull(manifest, "manifest");
            java.util.Objects.requireNonNull(content, "content");
            names = List.copyOf(names);
        }

        /** The image ID: its config's digest. */
        Digest id() {
            return content.config().digest();
        }
    }

    /** The OCI annotation of a name in {@code index.json}. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** containerd's annotation of the full name ({@code ctr import} names the image by it). */
    public static final String CONTAINERD_NAME = "io.containerd.image.name";
    /** The largest config read whole (configs are a few KiB; 16 MiB as the store's small reads). */
    private static final long MAX_CONFIG = 16L * 1024 * 1024;

    private final Blobs blobs;
    private final Path temp;

    /** Reads blobs from {@code blobs}; a layer uncompressed for the docker format waits in {@code temp}. */
    public ArchiveWriter(Blobs blobs, Path temp) {
        this.blobs = blobs;
        this.temp = temp;
    }

    public void write(List<Item> items, ArchiveFormat format, OutputStream target) {
        String op = "save " + items.size() + " image(s) as a " + format.name().toLowerCase() + " archive";
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(nonClosing(target), 1 << 20))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            if (format == ArchiveFormat.DOCKER) {
                writeDocker(items, tar, op);
            } else {
                writeOci(items, tar, op);
            }
            tar.finish();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, "cannot write the archive: " + IoProblem.describe(e), e);
        }
    }

    // ---- docker save format ----

    private void writeDocker(List<Item> items, TarArchiveOutputStream tar, String op) throws IOException {
        ArrayNode manifest = ManifestCodec.JSON.createArrayNode();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        Set<String> written = new LinkedHashSet<>();
        for (Item item : items) {
            byte[] config = readConfig(item, op);
            List<Digest> diffIds = ManifestCodec.parseConfig(config, op).diffIds();
            List<Descriptor> layers = item.content().layers();
            if (diffIds.size() != layers.size()) {
                throw new GantryException(ErrorKind.BAD_CONTENT, op, "image " + item.id().shortHex() + " has "
                        + layers.size() + " layers but its config lists " + diffIds.size() + " diff IDs");
            }
            List<Digest> chain = ChainIds.of(diffIds);
            ArrayNode layerPaths = ManifestCodec.JSON.createArrayNode();
            String parent = "";
            for (int i = 0; i < layers.size(); i++) {
                String dir = chain.get(i).hex();
                if (written.add(dir)) {
                    writeLayerDir(tar, dir, parent, layers.get(i), diffIds.get(i), op);
                }
                layerPaths.add(dir + "/layer.tar");
                parent = dir;
            }
            String configName = item.id().hex() + ".json";
            if (written.add(configName)) {
                putFile(tar, configName, config);
            }
            ObjectNode entry = manifest.addObject();
            entry.put("Config", configName);
            ArrayNode tags = entry.putArray("RepoTags");
            for (Name name : item.names()) {
                if (name.isTag()) {
                    ImageReference reference = name.reference().orElseThrow();
                    tags.add(reference.familiar());
                    repositories.computeIfAbsent(reference.familiarName(), r -> new LinkedHashMap<>())
                            .put(reference.tag().orElseThrow(), parent);
                }
            }
            if (tags.isEmpty()) {
                entry.putNull("RepoTags");
            }
            entry.set("Layers", layerPaths);
        }
        putFile(tar, "manifest.json", ManifestCodec.bytes(manifest));
        if (!repositories.isEmpty()) {
            putFile(tar, "repositories", ManifestCodec.JSON.writeValueAsBytes(repositories));
        }
    }

    /** A legacy layer directory: VERSION, json and the layer uncompressed, checked against its diff ID. */
    private void writeLayerDir(TarArchiveOutputStream tar, String dir, String parent, Descriptor blob, Digest diffId,
                               String op) throws IOException {
        putDirectory(tar, dir + "/");
        putFile(tar, dir + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
        ObjectNode json = ManifestCodec.JSON.createObjectNode();
        json.put("id", dir);
        if (!parent.isEmpty()) {
            json.put("parent", parent);
        }
        json.put("created", "1970-01-01T00:00:00Z");
        putFile(tar, dir + "/json", ManifestCodec.bytes(json));
        Path plain = Files.createTempFile(temp, "layer-", ".tar");
        try {
            MessageDigest sha = Digest.newSha256();
            try (InputStream in = uncompressed(blob, op); OutputStream out = Files.newOutputStream(plain)) {
                byte[] buffer = new byte[1 << 20];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            Digest actual = new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
            if (!actual.equals(diffId)) {
                throw new GantryException(ErrorKind.STORAGE, op, "layer " + blob.digest() + " unpacks to " + actual
                        + ", not to the diff ID " + diffId + " its config names", "LAYOUT_DAMAGED", 0,
                        "gantry verify checks the store; pull the image again.", null);
            }
            TarArchiveEntry entry = entry(dir + "/layer.tar");
            entry.setSize(Files.size(plain));
            tar.putArchiveEntry(entry);
            Files.copy(plain, tar);
            tar.closeArchiveEntry();
        } finally {
            Files.deleteIfExists(plain);
        }
    }

    private InputStream uncompressed(Descriptor blob, String op) throws IOException {
        String type = blob.mediaType();
        InputStream raw = blobs.open(blob.digest());
        if (type.equals(MediaTypes.OCI_LAYER_ZSTD) || type.endsWith("+zstd")) {
            raw.close();
            throw new GantryException(ErrorKind.BAD_CONTENT, op, "layer " + blob.digest()
                    + " is zstd-compressed, which the docker save format cannot carry", null, 0,
                    "Save it as an OCI archive (--format oci) instead.", null);
        }
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    // ---- OCI archive ----

    private void writeOci(List<Item> items, TarArchiveOutputStream tar, String op) throws IOException {
        putFile(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode index = ManifestCodec.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        ArrayNode dockerManifest = ManifestCodec.JSON.createArrayNode();
        List<Descriptor> stored = new ArrayList<>();
        for (Item item : items) {
            stored.add(item.manifest());
            stored.add(item.content().config());
            stored.addAll(item.content().layers());
            Descriptor plain = new Descriptor(item.manifest().mediaType(), item.manifest().digest(),
                    item.manifest().size(), item.manifest().platform(), Map.of(), List.of());
            if (item.names().isEmpty()) {
                manifests.add(ManifestCodec.descriptorJson(plain));
            }
            for (Name name : item.names()) {
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(REF_NAME, name.raw());
                if (name.reference().isPresent()) {
                    annotations.put(CONTAINERD_NAME, name.raw());
                }
                manifests.add(ManifestCodec.descriptorJson(new Descriptor(plain.mediaType(), plain.digest(), plain.size(),
                        plain.platform(), annotations, List.of())));
            }
            ObjectNode entry = dockerManifest.addObject();
            entry.put("Config", "blobs/" + item.id().algorithm() + "/" + item.id().hex());
            ArrayNode tags = entry.putArray("RepoTags");
            item.names().stream().filter(Name::isTag).forEach(n -> tags.add(n.reference().orElseThrow().familiar()));
            ArrayNode layers = entry.putArray("Layers");
            item.content().layers().forEach(l -> layers.add("blobs/" + l.digest().algorithm() + "/" + l.digest().hex()));
        }
        putFile(tar, "index.json", ManifestCodec.bytes(index));
        putFile(tar, "manifest.json", ManifestCodec.bytes(dockerManifest));
        putDirectory(tar, "blobs/");
        Set<String> dirs = new LinkedHashSet<>();
        Set<Digest> seen = new LinkedHashSet<>();
        for (Descriptor blob : stored) {
            if (!seen.add(blob.digest())) {
                continue;
            }
            String dir = "blobs/" + blob.digest().algorithm() + "/";
            if (dirs.add(dir)) {
                putDirectory(tar, dir);
            }
            TarArchiveEntry entry = entry(dir + blob.digest().hex());
            entry.setSize(blob.size());
            tar.putArchiveEntry(entry);
            copyVerified(blob, tar, op);
            tar.closeArchiveEntry();
        }
    }

    /**
     * Copies a stored blob into the archive, checking that it has the size and digest its
     * descriptor says: a blob damaged or cut short in the store fails the save ({@code STORAGE},
     * {@code LAYOUT_DAMAGED}) instead of being exported as if it were whole.
     */
    private void copyVerified(Descriptor blob, OutputStream out, String op) throws IOException {
        MessageDigest sha = Digest.newSha256();
        long copied = 0;
        try (InputStream in = blobs.open(blob.digest())) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, blob.size() + 1 - copied))) > 0) {
                copied += n;
                if (copied > blob.size()) {
                    throw damaged(blob, "it is longer than the " + blob.size() + " bytes its manifest gives", op);
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        if (copied < blob.size()) {
            throw damaged(blob, "it is cut short: " + copied + " of " + blob.size() + " bytes", op);
        }
        Digest actual = new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
        if (!actual.equals(blob.digest())) {
            throw damaged(blob, "its content hashes to " + actual, op);
        }
    }

    /** The image's config, read whole and checked against its descriptor. */
    private byte[] readConfig(Item item, String op) throws IOException {
        Descriptor config = item.content().config();
        if (config.size() > MAX_CONFIG) {
            throw new GantryException(ErrorKind.BAD_CONTENT, op, "the config of image " + item.id().shortHex()
                    + " is " + config.size() + " bytes, more than Gantry reads (" + MAX_CONFIG + ")");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) config.size());
        copyVerified(config, out, op);
        return out.toByteArray();
    }

    private static GantryException damaged(Descriptor blob, String why, String op) {
        return new GantryException(ErrorKind.STORAGE, op, "blob " + blob.digest() + " in the store is damaged: " + why
               , "LAYOUT_DAMAGED", 0,
                "gantry verify lists what is damaged; pull or load the image again.", null);
    }

    // ---- tar helpers ----

    private static TarArchiveEntry entry(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(0);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setMode(0644);
        return entry;
    }

    private static void putFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = entry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void putDirectory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(0);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
