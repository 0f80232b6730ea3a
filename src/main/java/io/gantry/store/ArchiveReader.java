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
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.LoadResult;
import io.gantry.registry.ManifestCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Reads a {@code docker save} archive (the legacy layout with {@code <id>/layer.tar}, and Docker
 * 25's, which is also an OCI layout) or an OCI archive, optionally gzipped, into the store. Every
 * blob is verified on the way in (layers against their digest, docker-save layers against the
 * config's diff IDs); an archive that fails leaves no image behind (blobs it stored before the
 * failure are unreferenced and go at the next prune, and no partial file is kept).
 *
 * <p>Entries no image needs are never written anywhere: a plain tar is read at random, and a
 * gzipped one is spooled to a plain tar of the needed entries only ({@link ArchiveSpool}). A
 * failure to read the archive is bad input; a failure to write (a full disk) is {@code STORAGE}.
 */
final class ArchiveReader {

    private static final long MAX_JSON = 16L * 1024 * 1024;

    private final OciLayoutStore store;

    ArchiveReader(OciLayoutStore store) {
        this.store = store;
    }

    LoadResult read(Path archive) {
        return read(archive, archive.toString());
    }

    /**
     * Reads {@code archive}; {@code source} names it in messages (a stream's spool file is no name
     * a user gave, and its path is Gantry's own business).
     */
    LoadResult read(Path archive, String source) {
        String op = "load " + source;
        Path spooled = null;
        try (StoreLocks.Held lease = store.lease(op)) {
            Path tarPath = archive;
            if (isGzip(archive)) {
                try {
                    spooled = Files.createTempFile(store.session(), "archive-", ".tar");
                } catch (IOException e) {
                    throw FileOps.writeFailure(op, store.session(), e);
                }
                ArchiveSpool.spool(archive, spooled, op); // only the entries a load can need
                tarPath = spooled;
            }
            try (TarFile tar = new TarFile(tarPath)) {
                Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
                for (TarArchiveEntry entry : tar.getEntries()) {
                    entries.put(normalize(entry.getName()), entry);
                }
                Archive a = new Archive(tar, entries, op);
                if (entries.containsKey(LayoutPaths.INDEX_FILE) && entries.containsKey(LayoutPaths.LAYOUT_FILE)) {
                    return readOci(a);
                }
                if (entries.containsKey("manifest.json")) {
                    return readDocker(a);
                }
                throw new GantryException(ErrorKind.INVALID_INPUT, op,
                        "not a docker save archive (no manifest.json) nor an OCI archive (no index.json and oci-layout)");
            }
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage()).replace(archive.toString(), source);
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "cannot read the archive: " + reason, e);
        } finally {
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException e) {
                    // the session directory goes when the store closes
                }
            }
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n;
    }

    /** The open archive and its entries by normalized name. */
    private record Archive(TarFile tar, Map<String, TarArchiveEntry> entries, String op) {

        TarArchiveEntry entry(String name) {
            String key = normalize(name);
            for (int hops = 0; hops < 16; hops++) {
                TarArchiveEntry entry = entries.get(key);
                if (entry == null) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, op, "the archive has no " + name);
                }
                if (!entry.isSymbolicLink() && !entry.isLink()) {
                    return entry;
                }
                String link = entry.getLinkName();
                if (entry.isLink()) {
                    key = normalize(link);
                } else {
                    Path base = Path.of(key).getParent();
                    key = normalize((base == null ? Path.of(link) : base.resolve(link)).normalize().toString());
                }
            }
            throw new GantryException(ErrorKind.BAD_CONTENT, op, "too many links for " + name);
        }

        InputStream open(String name) throws IOException {
            return tar.getInputStream(entry(name));
        }

        byte[] json(String name) throws IOException {
            TarArchiveEntry entry = entry(name);
            if (entry.getSize() > MAX_JSON) {
                throw new GantryException(ErrorKind.BAD_CONTENT, op, name + " is too large (" + entry.getSize() + " bytes)");
            }
            try (InputStream in = tar.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }

    // ---- OCI layout archives (and Docker 25+ docker save) ----

    private LoadResult readOci(Archive a) throws IOException {
        JsonNode index = ManifestCodec.object(a.json(LayoutPaths.INDEX_FILE), a.op(), "the archive's index.json");
        Map<Digest, Descriptor> roots = new LinkedHashMap<>();
        Map<Digest, List<ImageName>> names = new LinkedHashMap<>();
        for (JsonNode node : index.path("manifests")) {
            Descriptor d;
            try {
                d = ManifestCodec.descriptor(node);
            } catch (IllegalArgumentException e) {
                throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), "index.json: " + e.getMessage(), e);
            }
            roots.putIfAbsent(d.digest(), d);
            List<ImageName> list = names.computeIfAbsent(d.digest(), k -> new ArrayList<>());
            IndexEntry.of(d).name().ifPresent(n -> {
                if (!list.contains(n)) {
                    list.add(n);
                }
            });
        }
        List<LoadResult.Loaded> loaded = new ArrayList<>();
        for (Descriptor root : roots.values()) {
            long[] bytes = {0};
            Descriptor manifest = root;
            Optional<Descriptor> sourceIndex = Optional.empty();
            if (MediaTypes.isIndex(root.mediaType())) {
                bytes[0] += copy(a, root);
                ManifestContent content = ManifestCodec.parse(store.readBlob(root), Optional.of(root.mediaType()),
                        "read index " + root.digest());
                if (!(content instanceof ImageIndex ix)) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), root.digest() + " is not an index");
                }
                List<Descriptor> present = ix.manifests().stream()
                        .filter(d -> MediaTypes.isImageManifest(d.mediaType()) && a.entries().containsKey(blobPath(d.digest())))
                        .toList();
                manifest = ImageIndex.of(ix.mediaType(), present).manifestFor(store.options().platform())
                        .or(() -> present.stream().findFirst())
                        .orElseThrow(() -> new GantryException(ErrorKind.BAD_CONTENT, a.op(),
                                "the archive holds none of index " + root.digest() + "'s manifests"));
                sourceIndex = Optional.of(root);
            } else if (!MediaTypes.isImageManifest(root.mediaType())) {
                continue; // an artifact or something else Gantry does not list
            }
            bytes[0] += copy(a, manifest);
            Manifest m = ManifestCodec.parseManifest(store.readBlob(manifest), Optional.of(manifest.mediaType()),
                    "read manifest " + manifest.digest());
            bytes[0] += copy(a, m.config());
            for (Descriptor layer : m.layers()) {
                bytes[0] += copy(a, layer);
            }
            List<ImageName> imageNames = names.getOrDefault(root.digest(), List.of());
            LayoutImage image = store.addImage(manifest, imageNames, sourceIndex);
            loaded.add(new LoadResult.Loaded(image.id(), imageNames.stream().map(ImageName::display).toList(), bytes[0]));
        }
        return new LoadResult(ArchiveFormat.OCI, loaded);
    }

    private static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    /** Copies a blob from the archive unless stored already; verified. Returns the bytes added. */
    private long copy(Archive a, Descriptor d) throws IOException {
        if (store.hasBlob(d)) {
            return 0;
        }
        try (InputStream in = a.open(blobPath(d.digest()))) {
            store.writeBlob(d, in);
        }
        return d.size();
    }

    // ---- legacy docker save ----

    private LoadResult readDocker(Archive a) throws IOException {
        JsonNode manifest = ManifestCodec.JSON.readTree(a.json("manifest.json"));
        if (manifest == null || !manifest.isArray()) {
            throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), "manifest.json is not a JSON array");
        }
        List<LoadResult.Loaded> loaded = new ArrayList<>();
        for (JsonNode item : manifest) {
            long bytes = 0;
            String configPath = item.path("Config").asText("");
            byte[] configBytes = a.json(configPath);
            ImageConfig config = ManifestCodec.parseConfig(configBytes, "read " + configPath);
            Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(configBytes), configBytes.length);
            if (!store.hasBlob(configDescriptor)) {
                store.writeBlob(configDescriptor, new java.io.ByteArrayInputStream(configBytes));
                bytes += configBytes.length;
            }
            List<String> layerPaths = new ArrayList<>();
            item.path("Layers").forEach(l -> layerPaths.add(l.asText()));
            if (layerPaths.size() != config.diffIds().size()) {
                throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), configPath + " lists " + config.diffIds().size()
                        + " diff IDs but manifest.json " + layerPaths.size() + " layers");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < layerPaths.size(); i++) {
                long[] added = {0};
                Descriptor layer = importLayer(a, layerPaths.get(i), config.diffIds().get(i), added);
                bytes += added[0];
                layers.add(layer);
            }
            byte[] manifestBytes = ociManifest(configDescriptor, layers);
            Descriptor manifestDescriptor = store.writeBlob(MediaTypes.OCI_MANIFEST, manifestBytes);
            List<ImageName> names = new ArrayList<>();
            for (JsonNode tag : item.path("RepoTags")) {
                try {
                    names.add(ImageName.of(ImageReference.parse(tag.asText())));
                } catch (GantryException e) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), "manifest.json names '" + tag.asText()
                            + "', which is not a valid reference: " + e.getMessage(), e);
                }
            }
            LayoutImage image = store.addImage(Descriptor.of(manifestDescriptor.mediaType(), manifestDescriptor.digest(),
                    manifestDescriptor.size()), names, Optional.empty());
            loaded.add(new LoadResult.Loaded(image.id(), names.stream().map(ImageName::display).toList(), bytes));
        }
        return new LoadResult(ArchiveFormat.DOCKER, loaded);
    }

    /**
     * Stores one layer of a docker save archive as it is in the archive (plain or gzipped tar),
     * after checking that it unpacks to the diff ID the config names.
     */
    /** Stores a layer of a docker save archive unless stored already; {@code added[0]}: the bytes it added. */
    private Descriptor importLayer(Archive a, String path, Digest diffId, long[] added) throws IOException {
        TarArchiveEntry entry = a.entry(path);
        boolean gzip;
        try (InputStream in = a.tar().getInputStream(entry)) {
            gzip = in.read() == 0x1f && in.read() == 0x8b;
        }
        if (!gzip) {
            Descriptor plain = Descriptor.of(MediaTypes.OCI_LAYER, diffId, entry.getSize());
            if (!store.hasBlob(plain)) {
                try (InputStream in = a.tar().getInputStream(entry)) {
                    store.writeBlob(plain, in);
                    added[0] = plain.size();
                } catch (GantryException e) {
                    if (e.kind() == ErrorKind.BAD_CONTENT) {
                        throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), path + " does not match the diff ID "
                                + diffId + " its config names: " + e.getMessage(), e);
                    }
                    throw e;
                }
            }
            return plain;
        }
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(a.tar().getInputStream(entry), 1 << 16), 1 << 16)) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        Digest actual = new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
        if (!actual.equals(diffId)) {
            throw new GantryException(ErrorKind.BAD_CONTENT, a.op(), path + " unpacks to " + actual
                    + ", not to the diff ID " + diffId + " its config names");
        }
        try (InputStream in = a.tar().getInputStream(entry)) {
            Descriptor stored = store.writeBlob(MediaTypes.OCI_LAYER_GZIP, in);
            added[0] = stored.size(); // written again or not, the gzip's digest is known only now
            return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, stored.digest(), stored.size());
        }
    }

    private static byte[] ociManifest(Descriptor config, List<Descriptor> layers) {
        ObjectNode manifest = ManifestCodec.JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", ManifestCodec.descriptorJson(config));
        ArrayNode array = manifest.putArray("layers");
        layers.forEach(l -> array.add(ManifestCodec.descriptorJson(l)));
        return ManifestCodec.bytes(manifest);
    }
}
