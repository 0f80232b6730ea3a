package io.gantry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import io.gantry.core.MediaTypes;
import io.gantry.registry.ManifestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The layout's {@code oci-layout} and {@code index.json} (go-containerregistry's
 * {@code layout.Path.ImageIndex}/{@code WriteIndex}): reads keep fields Gantry does not model,
 * and every change is a read-modify-write under the index lock, written to a temp file, fsynced
 * and renamed.
 */
final class LayoutIndex {

    private static final String EMPTY_INDEX =
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";

    /** index.json as read: the document (unknown fields kept) and its entries. */
    record Doc(ObjectNode json, List<IndexEntry> entries) {
    }

    /** index.json's bytes and what they parse to. */
    private record Parsed(byte[] bytes, Doc doc) {
    }

    private final LayoutPaths paths;
    private final StoreLocks locks;
    private final WorkFiles work;
    private final AtomicReference<Parsed> atOpen = new AtomicReference<>();

    LayoutIndex(LayoutPaths paths, StoreLocks locks, WorkFiles work) {
        this.paths = paths;
        this.locks = locks;
        this.work = work;
    }

    /**
     * Makes {@code paths.root()} a layout Gantry can use: creates an empty one in a missing or
     * empty directory ({@link #create}); refuses ({@code STORAGE}, nothing changed) a file, a
     * directory that is not a layout, an unsupported version, a missing {@code index.json}. With
     * {@code create} false a missing layout is {@code NOT_FOUND} and nothing is written; a store
     * Gantry may not write to ({@code writable} false) gets no working directories.
     */
    static void prepare(LayoutPaths paths, String op, boolean create) throws IOException {
        if (Files.exists(paths.root()) && !Files.isDirectory(paths.root())) {
            throw notALayout(op, "it is a file, not a directory");
        }
        if (Files.isDirectory(paths.root()) && !Files.exists(paths.layoutFile())) {
            try (Stream<Path> entries = Files.list(paths.root())) {
                // another process may have renamed a whole new layout onto the empty directory since the
                // check above: only a directory that has entries and still no oci-layout is not a layout
                if (entries.findAny().isPresent() && !Files.exists(paths.layoutFile())) {
                    throw notALayout(op, "the directory is not empty and is not an OCI image layout (no oci-layout file)");
                }
            }
        }
        if (!Files.exists(paths.layoutFile())) {
            if (!create) {
                throw new GantryException(ErrorKind.NOT_FOUND, op, "there is no store at " + paths.root(), "NO_STORE", 0,
                        "Check the --store path; a pull or load there creates one.", null);
            }
            create(paths);
        }
        checkLayout(paths, op);
    }

    /** Gantry's working directories ({@code .gantry/tmp}, {@code .gantry/partial}), for a store it writes to. */
    static void prepareWork(LayoutPaths paths) throws IOException {
        Files.createDirectories(paths.tmp());
        Files.createDirectories(paths.partials());
    }

    /**
     * Creates an empty layout ({@code oci-layout}, an empty {@code index.json}, {@code blobs/sha256})
     * atomically: built in a temp directory beside {@code root} and renamed onto it (onto a missing
     * or empty directory), so that another process starting at the same moment sees either no
     * layout or a whole one, never a half-made directory. When another process wins the race, its
     * layout is used. A directory that cannot be replaced (a mount point) is filled in place, the
     * {@code oci-layout} file last.
     */
    private static void create(LayoutPaths paths) throws IOException {
        Path root = paths.root();
        Path parent = root.getParent();
        Files.createDirectories(parent);
        Path building = Files.createTempDirectory(parent, "." + root.getFileName() + ".creating-");
        try {
            try {
                Files.setPosixFilePermissions(building, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the temp directory's permissions stay
            }
            LayoutPaths temp = new LayoutPaths(building);
            Files.createDirectories(temp.blobs().resolve("sha256"));
            FileOps.writeAtomically(temp.indexFile(), EMPTY_INDEX.getBytes(StandardCharsets.UTF_8), building);
            FileOps.writeAtomically(temp.layoutFile(),
                    ("{\"imageLayoutVersion\":\"" + LayoutPaths.LAYOUT_VERSION + "\"}").getBytes(StandardCharsets.UTF_8),
                    building);
            try {
                Files.move(building, root, StandardCopyOption.ATOMIC_MOVE);
                FileOps.syncDirectory(parent);
                return;
            } catch (IOException e) {
                if (Files.exists(paths.layoutFile())) {
                    return; // another process created it first
                }
                if (!Files.isDirectory(root)) {
                    throw e;
                }
            }
            // an empty directory that rename cannot replace (a mount point): fill it in place, oci-layout last
            Files.createDirectories(paths.blobs().resolve("sha256"));
            if (!Files.exists(paths.indexFile())) {
                FileOps.writeAtomically(paths.indexFile(), EMPTY_INDEX.getBytes(StandardCharsets.UTF_8), building);
            }
            if (!Files.exists(paths.layoutFile())) {
                FileOps.writeAtomically(paths.layoutFile(), Files.readAllBytes(temp.layoutFile()), building);
            }
        } finally {
            deleteTree(building);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Checks that {@code oci-layout} names a 1.x layout and that {@code index.json} exists. */
    static void checkLayout(LayoutPaths paths, String op) throws IOException {
        JsonNode layout;
        try {
            layout = ManifestCodec.JSON.readTree(Files.readAllBytes(paths.layoutFile()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notALayout(op, "oci-layout is not valid JSON: " + IoProblem.json(e));
        } catch (IOException e) {
            throw notALayout(op, "oci-layout is not valid JSON: " + IoProblem.describe(e));
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

    static GantryException notALayout(String op, String why) {
        return new GantryException(ErrorKind.STORAGE, op, why, "NOT_A_LAYOUT", 0,
                "Choose an empty directory or an existing OCI image layout with --store.", null);
    }

    /**
     * Reads and checks index.json as the store opens, and keeps what it parsed for the next {@link
     * #read}: a command opens the store and lists it at once, and parsing the index of 10,000
     * images twice was a tenth of {@code gantry images}. Kept only until that next read, and used
     * only when the file is still byte for byte what was parsed. Bytes that {@code parsedBefore}
     * knows (the listing snapshot was made from exactly them, so they parsed then) are not parsed
     * at all: a listing from the snapshot needs no parse.
     */
    void readAtOpen(String op, Predicate<byte[]> parsedBefore) {
        byte[] bytes = bytes(op);
        // the same bytes parsed before (the listing snapshot was made from them): checked, not kept
        atOpen.set(parsedBefore.test(bytes) ? null : new Parsed(bytes, parse(bytes, op)));
    }

    Doc read(String op) {
        return parsed(bytes(op), op);
    }

    /** {@code bytes} (index.json as just read) parsed, or what the open parsed when they are the same. */
    Doc parsed(byte[] bytes, String op) {
        Parsed opened = atOpen.getAndSet(null);
        if (opened != null && Arrays.equals(opened.bytes(), bytes)) {
            return opened.doc();
        }
        return parse(bytes, op);
    }

    /** index.json's bytes ({@code STORAGE} when it cannot be read). */
    byte[] bytes(String op) {
        try {
            return Files.readAllBytes(paths.indexFile());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, "cannot read index.json: " + IoProblem.describe(e), e);
        }
    }

    private static Doc parse(byte[] bytes, String op) {
        try {
            JsonNode node = ManifestCodec.JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            List<IndexEntry> entries = new ArrayList<>();
            for (JsonNode d : node.path("manifests")) {
                if (!d.isObject()) {
                    throw new IOException("a manifests entry is not an object");
                }
                entries.add(new IndexEntry(ManifestCodec.descriptor(d), (ObjectNode) d));
            }
            return new Doc((ObjectNode) node, entries);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? "not valid JSON: " + IoProblem.json(json) : e.getMessage();
            throw new GantryException(ErrorKind.STORAGE, op, "index.json is damaged: " + why, "LAYOUT_DAMAGED", 0,
                    "Gantry changed nothing. Restore index.json from a backup; gantry verify lists what is stored.", e);
        }
    }

    /** One read-modify-write of index.json under the index lock; unchanged lists are not written. */
    List<IndexEntry> update(String op, UnaryOperator<List<IndexEntry>> change) {
        try (StoreLocks.Held held = locks.index(op)) {
            Doc doc = read(op);
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
                    FileOps.writeAtomically(paths.indexFile(), ManifestCodec.bytes(json), work.session());
                } catch (IOException e) {
                    throw FileOps.writeFailure(op, paths.indexFile(), e);
                }
            }
            return updated;
        }
    }
}
