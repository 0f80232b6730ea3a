package io.gantry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushResult;
import io.gantry.registry.FetchedManifest;
import io.gantry.registry.RegistryClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Multi-arch manifest lists drafted locally and pushed, as {@code docker manifest create /
 * annotate / push} (and Podman's {@code add}/{@code remove}): a draft is a JSON file per list in
 * its own directory ({@code $GANTRY_HOME/manifests}, as docker keeps {@code ~/.docker/manifests}).
 * An entry is either an image already in a registry (its manifest read at {@code create}, never
 * pulled) or a local image of an endpoint that can push, pushed by digest into the list's
 * repository first when the list is pushed; an image in another repository of the list's registry
 * is mounted, one in another registry copied blob by blob. The list itself is a Docker manifest
 * list or an OCI index ({@code --format}).
 */
public final class ManifestDrafts {

    /** The formats a list can be pushed as. */
    public enum Format {
        DOCKER(MediaTypes.DOCKER_MANIFEST_LIST), OCI(MediaTypes.OCI_INDEX);

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /**
     * One image of a list.
     *
     * @param source     the reference or local name it was added as
     * @param local      whether it is a local image (pushed at {@code push}) rather than a registry's
     * @param mediaType  its manifest's media type
     * @param digest     its manifest's digest (for a local image: of the bytes it is pushed with)
     * @param size       its manifest's size
     * @param platform   the platform the list names for it (the config's, changed by annotate)
     * @param osFeatures the {@code os.features} annotate gave it
     */
    public record Entry(String source, boolean local, String mediaType, Digest digest, long size, Platform platform,
                        List<String> osFeatures) {
        public Entry {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(platform, "platform");
            osFeatures = List.copyOf(osFeatures);
        }
    }

    /** A draft: the list's name and its entries. */
    public record Draft(ImageReference name, List<Entry> entries) {
        public Draft {
            Objects.requireNonNull(name, "name");
            entries = List.copyOf(entries);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Supplier<RegistryClient> client;

    public ManifestDrafts(Path dir, Supplier<RegistryClient> client) {
        this.dir = dir;
        this.client = client;
    }

    /**
     * Starts a draft named {@code list} with {@code images}; {@code amend} adds to an existing
     * draft, else an existing one is a {@code CONFLICT}, as docker's.
     */
    public Draft create(ImageReference list, List<String> images, boolean amend, ImageStore local, Cancellation cancellation) {
        Optional<Draft> existing = find(list);
        if (existing.isPresent() && !amend) {
            throw new GantryException(ErrorKind.CONFLICT, "manifest create " + list.familiar(),
                    "a manifest list named " + list.familiar() + " exists already", null, 0,
                    "Use --amend to add to it, or gantry manifest rm " + list.familiar() + " first.", null);
        }
        Draft draft = existing.orElse(new Draft(list, List.of()));
        return save(add(draft, images, local, cancellation));
    }

    /** Adds images to the draft {@code list} (an image whose digest is there already replaces it). */
    public Draft add(ImageReference list, List<String> images, ImageStore local, Cancellation cancellation) {
        return save(add(get(list), images, local, cancellation));
    }

    private Draft add(Draft draft, List<String> images, ImageStore local, Cancellation cancellation) {
        List<Entry> entries = new ArrayList<>(draft.entries());
        for (String image : images) {
            Entry entry = resolve(image, local, cancellation);
            entries.removeIf(e -> e.digest().equals(entry.digest()));
            entries.add(entry);
        }
        return new Draft(draft.name(), entries);
    }

    /** Removes the image {@code image} names (as added, or by manifest digest) from the draft. */
    public Draft remove(ImageReference list, String image) {
        Draft draft = get(list);
        List<Entry> entries = new ArrayList<>(draft.entries());
        if (!entries.removeIf(e -> matches(e, image))) {
            throw new GantryException(ErrorKind.NOT_FOUND, "manifest remove " + list.familiar(),
                    list.familiar() + " has no image " + image, null, 0,
                    "gantry manifest inspect " + list.familiar() + " shows its images.", null);
        }
        return save(new Draft(draft.name(), entries));
    }

    /** Changes the platform the draft names for {@code image}; empty values keep what is there. */
    public Draft annotate(ImageReference list, String image, Optional<String> os, Optional<String> arch,
                          Optional<String> variant, Optional<String> osVersion, List<String> osFeatures) {
        Draft draft = get(list);
        List<Entry> entries = new ArrayList<>();
        boolean found = false;
        for (Entry e : draft.entries()) {
            if (!found && matches(e, image)) {
                found = true;
                Platform p = e.platform();
                Platform changed = new Platform(os.orElse(p.os()), arch.orElse(p.architecture()),
                        variant.filter(v -> !v.isEmpty()).or(p::variant), osVersion.or(p::osVersion));
                e = new Entry(e.source(), e.local(), e.mediaType(), e.digest(), e.size(), changed,
                        osFeatures.isEmpty() ? e.osFeatures() : osFeatures);
            }
            entries.add(e);
        }
        if (!found) {
            throw new GantryException(ErrorKind.NOT_FOUND, "manifest annotate " + list.familiar(),
                    list.familiar() + " has no image " + image, null, 0,
                    "gantry manifest inspect " + list.familiar() + " shows its images.", null);
        }
        return save(new Draft(draft.name(), entries));
    }

    /** The draft named {@code list}, if there is one. */
    public Optional<Draft> find(ImageReference list) {
        Path file = file(list);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(JSON.readTree(Files.readAllBytes(file))));
        } catch (IOException | RuntimeException e) {
            throw new GantryException(ErrorKind.STORAGE, "read manifest list " + list.familiar(),
                    "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every draft, by name ({@code gantry manifest ls} lists them beside the endpoint's lists). */
    public List<Draft> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Draft> drafts = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    drafts.add(read(JSON.readTree(Files.readAllBytes(file))));
                } catch (IOException | RuntimeException e) {
                    throw new GantryException(ErrorKind.STORAGE, "list manifest drafts", "cannot read " + file + ": "
                            + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "list manifest drafts", "cannot list " + dir + ": " + IoProblem.describe(e), e);
        }
        drafts.sort(java.util.Comparator.comparing(d -> d.name().toString()));
        return drafts;
    }

    /** Deletes the draft; {@code NOT_FOUND} when there is none. */
    public void delete(ImageReference list) {
        get(list);
        try {
            Files.delete(file(list));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "manifest rm " + list.familiar(), IoProblem.describe(e), e);
        }
    }

    /** The list as it would be pushed: the JSON of a Docker manifest list or an OCI index. */
    public byte[] render(Draft draft, Format format) {
        return render(draft.entries(), format);
    }

    /** A list of {@code entries} as it would be pushed (the window's preview, before the list has a name). */
    public static byte[] render(List<Entry> entries, Format format) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", format.mediaType());
        ArrayNode manifests = root.putArray("manifests");
        for (Entry e : entries) {
            ObjectNode m = manifests.addObject();
            m.put("mediaType", e.mediaType());
            m.put("size", e.size());
            m.put("digest", e.digest().toString());
            ObjectNode p = m.putObject("platform");
            p.put("architecture", e.platform().architecture());
            p.put("os", e.platform().os());
            e.platform().osVersion().ifPresent(v -> p.put("os.version", v));
            if (!e.osFeatures().isEmpty()) {
                ArrayNode features = p.putArray("os.features");
                e.osFeatures().forEach(features::add);
            }
            e.platform().variant().ifPresent(v -> p.put("variant", v));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "render manifest list", e.getMessage(), e);
        }
    }

    /**
     * Pushes the draft: each local image by digest into the list's repository, each registry image
     * mounted or copied there when it lives elsewhere, then the list under its tag.
     *
     * @return the list's digest
     */
    public PushResult push(ImageReference list, Format format, ImageStore local, Consumer<PushProgress> progress,
                           Cancellation cancellation) {
        Draft draft = get(list);
        String op = "manifest push " + list.familiar();
        if (draft.entries().isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, list.familiar() + " has no images", null, 0,
                    "Add images with gantry manifest add " + list.familiar() + " IMAGE.", null);
        }
        RegistryClient registry = client.get();
        for (Entry e : draft.entries()) {
            if (e.local()) {
                local.capabilities().require(Capability.PUSH, local.endpoint(), "push " + e.source());
                PushResult pushed = local.push(ImageKey.parse(e.source()), list.repo(), Optional.empty(), progress, cancellation);
                if (!pushed.digest().equals(e.digest())) {
                    throw new GantryException(ErrorKind.CONFLICT, op, e.source() + " changed since it was added (its manifest is "
                            + pushed.digest() + ", the list names " + e.digest() + ")", null, 0,
                            "Add it again: gantry manifest add " + list.familiar() + " " + e.source(), null);
                }
            } else {
                ImageReference from = ImageReference.parse(e.source()).atDigest(e.digest());
                if (!from.repo().equals(list.repo())) {
                    progress.accept(new PushProgress("", PushProgress.Phase.STATUS, 0, 0,
                            "Copying " + from.familiar() + " into " + list.repo()));
                    registry.copy(from, list.repo().digest(e.digest()), cancellation);
                }
            }
        }
        byte[] bytes = render(draft, format);
        Digest digest = registry.pushManifest(list, format.mediaType(), bytes, cancellation);
        progress.accept(new PushProgress("", PushProgress.Phase.DIGEST, 0, 0,
                list.tag().orElse(digest.toString()) + ": digest: " + digest + " size: " + bytes.length));
        return new PushResult(list.familiar(), digest, bytes.length);
    }

    // ---- entries

    /**
     * What {@code image} would be in a list: a local image of {@code local} when it has one by that
     * name (and can push), else the registry's image (its manifest and config read, not pulled).
     * Blocks on the registry.
     */
    public Entry entry(String image, ImageStore local, Cancellation cancellation) {
        return resolve(image, local, cancellation);
    }

    /** Writes {@code draft}, replacing a draft of the same name (the window's "Combine" keeps it as the CLI does). */
    public Draft put(Draft draft) {
        return save(draft);
    }

    /**
     * A local image of {@code local} when it has one by that name (and can push its layers), else the
     * registry's. An engine's image (Docker, Podman, containerd) is named as its registry has it, as
     * {@code docker manifest create} does; when that registry fails for an image the engine holds,
     * the message says so, with what to do instead.
     */
    private Entry resolve(String image, ImageStore local, Cancellation cancellation) {
        boolean pushesLayers = local.capabilities().push() && local.capabilities().layerBlobs();
        if (pushesLayers) {
            Optional<Entry> found = localEntry(image, local);
            if (found.isPresent()) {
                return found.get();
            }
        }
        ImageReference reference = ImageReference.parse(image);
        FetchedManifest fetched;
        try {
            fetched = client.get().pullManifest(reference, cancellation);
        } catch (GantryException e) {
            if (pushesLayers || e.kind() == ErrorKind.CANCELLED || local.endpoint().kind() == Endpoint.Kind.EMBEDDED
                    || !holds(local, image)) {
                throw e;
            }
            throw new GantryException(e.kind(), "manifest add " + image, image + " is an image of "
                    + local.endpoint().name() + "; a list made there names it as its registry has it (as docker "
                    + "manifest create does), and that registry did not give it: " + e.describe(), null,
                    e.httpStatus().orElse(0), "Push it to its registry first, or copy it to the embedded store "
                            + "and combine it there.", e);
        }
        if (fetched.index().isPresent()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "manifest add " + image,
                    image + " is a manifest list; a list holds images", null, 0,
                    "Name one platform's image, by its own tag or digest.", null);
        }
        io.gantry.core.ImageConfig config = client.get().pullConfig(reference.repo(), fetched.manifest().orElseThrow(),
                cancellation);
        return new Entry(reference.toString(), false, fetched.mediaType(), fetched.digest(), fetched.bytes().length,
                config.platform(), List.of());
    }

    /** Whether {@code local} holds an image by that name (false when it cannot tell). */
    private static boolean holds(ImageStore local, String image) {
        try {
            local.inspect(ImageKey.parse(image));
            return true;
        } catch (GantryException e) {
            return false;
        }
    }

    /** The local image's entry: the manifest it is pushed with ({@link ImageStore#pushedManifest}). */
    private static Optional<Entry> localEntry(String image, ImageStore local) {
        ImageDetails details;
        try {
            details = local.inspect(ImageKey.parse(image));
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        Optional<io.gantry.core.Descriptor> manifest = local.pushedManifest(ImageKey.parse(image));
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        Platform platform = details.platform().orElse(Platform.of("linux", "amd64"));
        io.gantry.core.Descriptor m = manifest.get();
        return Optional.of(new Entry(image, true, m.mediaType(), m.digest(), m.size(), platform, List.of()));
    }

    private static boolean matches(Entry e, String image) {
        return e.source().equals(image) || e.digest().toString().equals(image) || sameReference(e.source(), image);
    }

    private static boolean sameReference(String a, String b) {
        try {
            return ImageReference.parse(a).equals(ImageReference.parse(b));
        } catch (GantryException e) {
            return false;
        }
    }

    // ---- files

    private Draft get(ImageReference list) {
        return find(list).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, "manifest " + list.familiar(),
                "no manifest list named " + list.familiar(), null, 0,
                "Create it with gantry manifest create " + list.familiar() + " IMAGE…", null));
    }

    private Path file(ImageReference list) {
        return dir.resolve(URLEncoder.encode(list.toString(), StandardCharsets.UTF_8) + ".json");
    }

    private Draft save(Draft draft) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", draft.name().toString());
        ArrayNode entries = root.putArray("entries");
        for (Entry e : draft.entries()) {
            ObjectNode n = entries.addObject();
            n.put("source", e.source());
            n.put("local", e.local());
            n.put("mediaType", e.mediaType());
            n.put("digest", e.digest().toString());
            n.put("size", e.size());
            n.put("os", e.platform().os());
            n.put("architecture", e.platform().architecture());
            e.platform().variant().ifPresent(v -> n.put("variant", v));
            e.platform().osVersion().ifPresent(v -> n.put("osVersion", v));
            ArrayNode features = n.putArray("osFeatures");
            e.osFeatures().forEach(features::add);
        }
        Path file = file(draft.name());
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".draft-", ".tmp");
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "save manifest list " + draft.name().familiar(),
                    "cannot write " + file + ": " + IoProblem.describe(e), e);
        }
        return draft;
    }

    private static Optional<String> optional(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.path(field).asText()) : Optional.empty();
    }

    private static Draft read(JsonNode root) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode n : root.path("entries")) {
            List<String> features = new ArrayList<>();
            n.path("osFeatures").forEach(f -> features.add(f.asText()));
            entries.add(new Entry(n.path("source").asText(), n.path("local").asBoolean(), n.path("mediaType").asText(),
                    Digest.of(n.path("digest").asText()), n.path("size").asLong(), new Platform(n.path("os").asText(), n.path("architecture").asText(),
                    optional(n, "variant"), optional(n, "osVersion")),
                    features));
        }
        return new Draft(ImageReference.parse(root.path("name").asText()), entries);
    }
}
