package io.gantry.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A deterministic container image made by the tests themselves: layers, an image config and a
 * manifest, with every digest computed. No {@code docker build}, no network.
 *
 * <p>An immutable value: each method returns a changed copy. That is what makes families easy: a
 * child starts from its parent's exact layers (the same blobs) and adds its own.
 *
 * <pre>{@code
 * FixtureImage base = images.image("base").layer("ADD rootfs", l -> l.file("etc/os-release", "ID=fixture\n"));
 * FixtureImage app  = base.child("app").env("MODE", "prod").layer("COPY app", l -> l.file("app/run", "..."));
 * FixtureImage arm  = app.platform("linux/arm64/v8");
 * FixtureImage oci  = app.oci();                   // same config, OCI manifest and media types
 * }</pre>
 *
 * <p>The config has {@code architecture}, {@code os}, {@code created}, {@code config} (Env, Cmd,
 * Entrypoint, WorkingDir, User, Labels when set), {@code rootfs.diff_ids} and one {@code history}
 * entry per layer plus any {@link #emptyLayer empty-layer} steps. Its digest is the image ID an
 * engine shows.
 */
public final class FixtureImage {

    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code history} entry of the config. */
    public record HistoryEntry(Instant created, String createdBy, boolean emptyLayer) {
    }

    /** Everything an image is made of; copied before each change, never changed after. */
    private static final class State implements Cloneable {
        String repository;
        String tag = "latest";
        ImagePlatform platform = ImagePlatform.LINUX_AMD64;
        ManifestFormat format = ManifestFormat.DOCKER;
        Instant created;
        List<Layer> layers = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        List<String> env = new ArrayList<>();
        Optional<List<String>> cmd = Optional.empty();
        Optional<List<String>> entrypoint = Optional.empty();
        Optional<String> workingDir = Optional.empty();
        Optional<String> user = Optional.empty();
        Map<String, String> labels = new LinkedHashMap<>();

        State copy() {
            try {
                State copy = (State) super.clone();
                copy.layers = new ArrayList<>(layers);
                copy.history = new ArrayList<>(history);
                copy.env = new ArrayList<>(env);
                copy.labels = new LinkedHashMap<>(labels);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final State state;

    private FixtureImage(State state) {
        this.state = state;
    }

    /** An image with no layers; {@link FixtureImages#image} is the usual way to get one. */
    static FixtureImage empty(String repository, Instant created) {
        State state = new State();
        state.repository = checkRepository(repository);
        state.created = created;
        return new FixtureImage(state);
    }

    private FixtureImage with(Consumer<State> change) {
        State copy = state.copy();
        change.accept(copy);
        return new FixtureImage(copy);
    }

    // ---- building --------------------------------------------------------------------------

    /** Adds a layer built by {@code content}, with history {@code created_by} "fixture layer N". */
    public FixtureImage layer(Consumer<LayerBuilder> content) {
        return layer("fixture layer " + (state.layers.size() + 1), content);
    }

    /** Adds a layer built by {@code content}, with this {@code created_by} in the history. */
    public FixtureImage layer(String createdBy, Consumer<LayerBuilder> content) {
        LayerBuilder builder = new LayerBuilder(state.created);
        content.accept(builder);
        return layer(createdBy, builder.build());
    }

    /** Adds an already built layer (e.g. one shared with an unrelated image). */
    public FixtureImage layer(String createdBy, Layer layer) {
        return with(s -> {
            s.layers.add(layer);
            s.history.add(new HistoryEntry(s.created, createdBy, false));
        });
    }

    /**
     * Adds a layer with one file of {@code bytes} pseudo-random bytes from {@code seed}, for
     * benchmarks: incompressible, so the blob is about as big as the file.
     */
    public FixtureImage bigLayer(int bytes, long seed) {
        return layer("fixture big layer " + bytes + " bytes seed " + seed,
                l -> l.randomFile("data/random-" + seed + ".bin", bytes, seed));
    }

    /** Adds a history step that made no layer, like {@code ENV} or {@code CMD} in a Dockerfile. */
    public FixtureImage emptyLayer(String createdBy) {
        return with(s -> s.history.add(new HistoryEntry(s.created, createdBy, true)));
    }

    /** Adds {@code KEY=value} to the config's Env. */
    public FixtureImage env(String key, String value) {
        return with(s -> s.env.add(key + "=" + value));
    }

    public FixtureImage cmd(String... cmd) {
        return with(s -> s.cmd = Optional.of(List.of(cmd)));
    }

    public FixtureImage entrypoint(String... entrypoint) {
        return with(s -> s.entrypoint = Optional.of(List.of(entrypoint)));
    }

    public FixtureImage workingDir(String dir) {
        return with(s -> s.workingDir = Optional.of(dir));
    }

    public FixtureImage user(String user) {
        return with(s -> s.user = Optional.of(user));
    }

    public FixtureImage label(String key, String value) {
        return with(s -> s.labels.put(key, value));
    }

    /** The config's {@code created} time, and that of history entries added after this call. */
    public FixtureImage created(Instant created) {
        return with(s -> s.created = created);
    }

    /** The same image under another repository name (lower case, like {@code team/app}). */
    public FixtureImage named(String repository) {
        return with(s -> s.repository = checkRepository(repository));
    }

    public FixtureImage tag(String tag) {
        checkTag(tag);
        return with(s -> s.tag = tag);
    }

    /** The same image for another platform, e.g. {@code linux/arm64/v8} (config and index entry). */
    public FixtureImage platform(String platform) {
        ImagePlatform parsed = ImagePlatform.parse(platform);
        return with(s -> s.platform = parsed);
    }

    /** Written as an OCI manifest with OCI media types. */
    public FixtureImage oci() {
        return format(ManifestFormat.OCI);
    }

    /** Written as a Docker v2 schema 2 manifest (the default). */
    public FixtureImage docker() {
        return format(ManifestFormat.DOCKER);
    }

    public FixtureImage format(ManifestFormat format) {
        return with(s -> s.format = format);
    }

    /**
     * A new image named {@code repository}, tag {@code latest}, that starts as a copy of this one:
     * same layers (the same blobs), history and config. Add layers to it to make a family.
     */
    public FixtureImage child(String repository) {
        return with(s -> {
            s.repository = checkRepository(repository);
            s.tag = "latest";
        });
    }

    // ---- reading ---------------------------------------------------------------------------

    public String repository() {
        return state.repository;
    }

    public String tag() {
        return state.tag;
    }

    /** {@code repository:tag}, e.g. {@code app:latest}. */
    public String reference() {
        return state.repository + ":" + state.tag;
    }

    /** {@code host:port/repository:tag}. */
    public String reference(String registryHostPort) {
        return registryHostPort + "/" + reference();
    }

    public ImagePlatform platform() {
        return state.platform;
    }

    public ManifestFormat format() {
        return state.format;
    }

    public Instant created() {
        return state.created;
    }

    public List<Layer> layers() {
        return List.copyOf(state.layers);
    }

    public List<HistoryEntry> history() {
        return List.copyOf(state.history);
    }

    public Optional<List<String>> cmd() {
        return state.cmd;
    }

    public Optional<List<String>> entrypoint() {
        return state.entrypoint;
    }

    /** Whether a container can be created from it without naming a command. */
    public boolean hasCommand() {
        return state.cmd.isPresent() || state.entrypoint.isPresent();
    }

    /** The diff IDs of the layers, bottom first. */
    public List<String> diffIds() {
        return state.layers.stream().map(Layer::diffId).toList();
    }

    /** The image config, as the exact bytes that are pushed and loaded. */
    public byte[] configJson() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (!state.env.isEmpty()) {
            config.put("Env", state.env);
        }
        state.entrypoint.ifPresent(e -> config.put("Entrypoint", e));
        state.cmd.ifPresent(c -> config.put("Cmd", c));
        state.workingDir.ifPresent(w -> config.put("WorkingDir", w));
        state.user.ifPresent(u -> config.put("User", u));
        if (!state.labels.isEmpty()) {
            config.put("Labels", state.labels);
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (HistoryEntry entry : state.history) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("created", entry.created().toString());
            h.put("created_by", entry.createdBy());
            if (entry.emptyLayer()) {
                h.put("empty_layer", true);
            }
            history.add(h);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("architecture", state.platform.architecture());
        state.platform.variant().ifPresent(v -> root.put("variant", v));
        root.put("os", state.platform.os());
        root.put("created", state.created.toString());
        root.put("config", config);
        Map<String, Object> rootfs = new LinkedHashMap<>(); // not Map.of: its order changes between runs
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds());
        root.put("rootfs", rootfs);
        root.put("history", history);
        return json(root);
    }

    /** The config as a registry blob with the config media type of {@link #format()}. */
    public Blob configBlob() {
        return Blob.of(state.format.configMediaType(), configJson());
    }

    /** {@code sha256} of the config: the image ID that {@code docker images} shows. */
    public String imageId() {
        return Sha256.digest(configJson());
    }

    /** The layers as registry blobs, bottom first. */
    public List<Blob> layerBlobs() {
        return state.layers.stream().map(layer -> layer.blob(state.format)).toList();
    }

    /** The manifest (Docker v2 schema 2 or OCI, per {@link #format()}) as pushed. */
    public Blob manifest() {
        Blob config = configBlob();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", 2);
        root.put("mediaType", state.format.manifestMediaType());
        root.put("config", descriptor(config));
        root.put("layers", layerBlobs().stream().map(FixtureImage::descriptor).toList());
        return Blob.of(state.format.manifestMediaType(), json(root));
    }

    /** {@code sha256} of the manifest: the digest a registry reports and a pull by digest uses. */
    public String manifestDigest() {
        return manifest().digest();
    }

    static Map<String, Object> descriptor(Blob blob) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", blob.mediaType());
        descriptor.put("size", blob.size());
        descriptor.put("digest", blob.digest());
        return descriptor;
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write fixture JSON", e);
        }
    }

    static String checkTag(String tag) {
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a valid tag: " + tag);
        }
        return tag;
    }

    static String checkRepository(String repository) {
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("not a valid repository name (lower case, digits, . _ - /): "
                    + repository);
        }
        return repository;
    }

    @Override
    public String toString() {
        return "FixtureImage[" + reference() + ", " + state.platform + ", " + state.format + ", "
                + state.layers.size() + " layers, id " + imageId() + "]";
    }
}
