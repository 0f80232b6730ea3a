package io.gantry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.CancelSignal;
import io.gantry.engine.ContainerRef;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The embedded store: an OCI image layout directory.
 *
 * <p>This first version creates and opens a layout and lists the images its {@code index.json}
 * names; pulling, deleting and garbage collection build on it.
 */
public final class OciLayoutStore implements ImageStore {

    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    private OciLayoutStore(Path root) {
        this.root = root;
    }

    /**
     * Opens the layout at {@code root}, creating an empty one when the directory is missing or
     * empty. A non-empty directory that is not a layout is refused, never modified.
     */
    public static OciLayoutStore open(Path root) {
        String op = "open embedded store " + root;
        try {
            if (Files.isDirectory(root) && !Files.exists(root.resolve(LAYOUT_FILE))) {
                try (Stream<Path> entries = Files.list(root)) {
                    if (entries.findAny().isPresent()) {
                        throw new GantryException(ErrorKind.STORAGE, op,
                                "the directory is not empty and is not an OCI image layout (no oci-layout file)",
                                null, 0, "Choose an empty directory or an existing OCI layout.", null);
                    }
                }
            }
            if (!Files.exists(root.resolve(LAYOUT_FILE))) {
                Files.createDirectories(root.resolve("blobs").resolve("sha256"));
                writeAtomically(root.resolve(INDEX_FILE),
                        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
                writeAtomically(root.resolve(LAYOUT_FILE), "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
            return new OciLayoutStore(root);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, e.toString(), e);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Path root() {
        return root;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("embedded", "Embedded store", Endpoint.Kind.EMBEDDED, root.toString());
    }

    @Override
    public EngineInfo info() {
        return new EngineInfo("Gantry embedded store", "OCI image layout", "1.0.0");
    }

    @Override
    public List<ImageSummary> listImages() {
        String op = "list images in " + root;
        try {
            JsonNode index = json.readTree(root.resolve(INDEX_FILE).toFile());
            Map<Digest, List<String>> tagsByManifest = new LinkedHashMap<>();
            for (JsonNode descriptor : index.path("manifests")) {
                Digest manifest = Digest.of(descriptor.path("digest").asText());
                List<String> tags = tagsByManifest.computeIfAbsent(manifest, d -> new ArrayList<>());
                String ref = descriptor.path("annotations").path(REF_NAME).asText("");
                if (!ref.isEmpty()) {
                    tags.add(ref);
                }
            }
            List<ImageSummary> images = new ArrayList<>();
            for (Map.Entry<Digest, List<String>> entry : tagsByManifest.entrySet()) {
                JsonNode manifest = json.readTree(blob(entry.getKey()).toFile());
                long size = 0;
                for (JsonNode layer : manifest.path("layers")) {
                    size += layer.path("size").asLong();
                }
                Digest config = Digest.of(manifest.path("config").path("digest").asText());
                JsonNode configJson = json.readTree(blob(config).toFile());
                Instant created = configJson.hasNonNull("created")
                        ? Instant.parse(configJson.get("created").asText()) : Instant.EPOCH;
                images.add(new ImageSummary(config, entry.getValue(), List.of(), created, size, 0, 0));
            }
            return images;
        } catch (IOException | RuntimeException e) {
            throw new GantryException(ErrorKind.STORAGE, op, e.toString(), e);
        }
    }

    private Path blob(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    // The port's other verbs arrive with the embedded store's pull, delete and garbage collection.

    @Override
    public ImageDetails inspect(String image) {
        throw notYet("inspect " + image);
    }

    @Override
    public List<HistoryEntry> history(String image) {
        throw notYet("read the history of " + image);
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

    @Override
    public PullResult pull(PullRequest request, Consumer<PullProgress> progress, CancelSignal cancel) {
        throw notYet("pull " + request.reference());
    }

    @Override
    public DeleteResult delete(String image, boolean force) {
        throw notYet("delete " + image);
    }

    @Override
    public PruneResult prune(PruneMode mode, boolean dryRun) {
        throw notYet("prune images");
    }

    /** Nothing changes the embedded store behind Gantry's back; no events to follow yet. */
    @Override
    public Subscription subscribe(StoreEventListener listener) {
        return () -> { };
    }

    private GantryException notYet(String operation) {
        return new GantryException(ErrorKind.INTERNAL, operation + " in " + root,
                "the embedded store cannot do this yet", null, 0, "Use a Docker engine endpoint for now.", null);
    }

    @Override
    public void close() {
        // nothing held open between calls
    }
}
