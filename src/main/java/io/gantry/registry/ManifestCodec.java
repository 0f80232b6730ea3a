package io.gantry.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one reader and writer of the JSON of manifests (Docker v2 schema 2, OCI), indexes (Docker
 * manifest list, OCI index), image configs and descriptors, translating to and from the
 * {@code io.gantry.core} records (Jib's {@code JsonToImageTranslator}). The registry client and
 * the embedded store (its {@code index.json}, its blobs, archives) both read through it.
 *
 * <p>Strict: anything malformed — not a JSON object, a field of the wrong JSON type, a descriptor
 * without media type, digest or whole-number size, a config naming no os or architecture — fails
 * with a {@link GantryException} of kind {@link ErrorKind#BAD_CONTENT}; a Docker schema 1 manifest
 * fails with code {@value #SCHEMA1_CODE}. Digests are always computed over the raw bytes, never
 * over re-serialized JSON: callers keep the bytes they parsed.
 */
public final class ManifestCodec {

    /** The {@link GantryException#code()} of the error for a legacy schema 1 manifest. */
    public static final String SCHEMA1_CODE = "MANIFEST_SCHEMA1_UNSUPPORTED";

    /** The mapper for JSON trees around manifests (an OCI layout's {@code index.json}, archives' manifests). */
    public static final ObjectMapper JSON = new ObjectMapper();

    private ManifestCodec() {
    }

    /**
     * Parses a manifest or index.
     *
     * @param raw         the bytes as served or stored
     * @param contentType the {@code Content-Type} it was served with, or the media type of the
     *                    descriptor that points at it, or empty; the body's own {@code mediaType} wins
     * @param operation   what Gantry was doing, for the error
     */
    public static ManifestContent parse(byte[] raw, Optional<String> contentType, String operation) {
        JsonNode tree = object(raw, operation, "the manifest");
        String mediaType = mediaTypeOf(tree, contentType);
        if (MediaTypes.isSchema1(mediaType) || tree.path("schemaVersion").asInt(2) == 1) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                    "legacy manifest not supported: this image uses Docker image manifest schema 1", SCHEMA1_CODE, 0,
                    "Schema 1 was retired in 2019; ask the publisher to push the image again with a current tool.",
                    null);
        }
        if (!MediaTypes.isSupportedManifest(mediaType)) {
            throw bad(operation, "unsupported manifest media type '" + mediaType + "'");
        }
        try {
            if (MediaTypes.isIndex(mediaType)) {
                return new ImageIndex(mediaType, descriptors(tree, "manifests"), strings(tree, "annotations"));
            }
            JsonNode config = tree.get("config");
            if (config == null || !config.isObject()) {
                throw new IllegalArgumentException("the image manifest has no config descriptor");
            }
            return new Manifest(mediaType, descriptor(config), descriptors(tree, "layers"), strings(tree, "annotations"));
        } catch (IllegalArgumentException e) {
            throw bad(operation, "malformed manifest: " + e.getMessage());
        }
    }

    /** Parses a manifest or index, reporting errors as "parse manifest". */
    public static ManifestContent parse(byte[] raw, Optional<String> contentType) {
        return parse(raw, contentType, "parse manifest");
    }

    /** {@link #parse} of what must be an image manifest ({@code BAD_CONTENT} for an index). */
    public static Manifest parseManifest(byte[] raw, Optional<String> contentType, String operation) {
        if (parse(raw, contentType, operation) instanceof Manifest manifest) {
            return manifest;
        }
        throw bad(operation, "expected an image manifest, found an index");
    }

    /** Parses an image config blob (Docker's container image JSON or OCI's image config). */
    public static ImageConfig parseConfig(byte[] raw, String operation) {
        JsonNode node = object(raw, operation, "the image config");
        try {
            String os = text(node, "os").orElse("");
            String architecture = text(node, "architecture").orElse("");
            if (os.isBlank() || architecture.isBlank()) {
                throw bad(operation, "the image config names no os or architecture");
            }
            Platform platform = new Platform(os, architecture, text(node, "variant"), text(node, "os.version"));
            JsonNode c = field(node, "config", JsonNode::isObject, "an object");
            ImageConfig.RunConfig run = c == null ? ImageConfig.RunConfig.EMPTY
                    : new ImageConfig.RunConfig(textList(c, "Env"), textList(c, "Entrypoint"), textList(c, "Cmd"),
                    text(c, "WorkingDir"), text(c, "User"), strings(c, "Labels"), keys(c, "ExposedPorts"),
                    keys(c, "Volumes"), text(c, "StopSignal"));
            List<ImageConfig.History> history = new ArrayList<>();
            for (JsonNode h : array(node, "history")) {
                if (!h.isObject()) {
                    throw new IllegalArgumentException("a history entry is not an object");
                }
                JsonNode empty = field(h, "empty_layer", JsonNode::isBoolean, "true or false");
                history.add(new ImageConfig.History(instant(text(h, "created")), text(h, "created_by"),
                        text(h, "comment"), text(h, "author"), empty != null && empty.booleanValue()));
            }
            JsonNode rootfs = field(node, "rootfs", JsonNode::isObject, "an object");
            List<Digest> diffIds = new ArrayList<>();
            for (String diffId : rootfs == null ? List.<String>of() : textList(rootfs, "diff_ids")) {
                diffIds.add(Digest.of(diffId));
            }
            return new ImageConfig(platform, instant(text(node, "created")), text(node, "author"), run, history, diffIds);
        } catch (IllegalArgumentException e) {
            throw bad(operation, "malformed image config: " + e.getMessage());
        }
    }

    /** Parses an image config blob, reporting errors as "parse image config". */
    public static ImageConfig parseConfig(byte[] raw) {
        return parseConfig(raw, "parse image config");
    }

    /**
     * Checks that a config and its manifest describe the same layers: as many {@code rootfs.diff_ids}
     * as the manifest has layers (Docker refuses such an image on pull and load, and pairing them
     * would hide a layer). {@code BAD_CONTENT} otherwise.
     */
    public static void requireSameLayers(Manifest manifest, ImageConfig config, String operation) {
        int layers = manifest.layers().size();
        int diffIds = config.diffIds().size();
        if (layers != diffIds) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation, "the image's config lists " + diffIds
                    + (diffIds == 1 ? " layer" : " layers") + " (rootfs.diff_ids) but its manifest has " + layers,
                    "LAYER_COUNT_MISMATCH", 0, "The image is broken where it was made; ask its publisher to build it again.",
                    null);
        }
    }

    /**
     * The media type of a manifest: the body's {@code mediaType}, else the {@code Content-Type}
     * (without parameters) or descriptor type when it names a manifest, else inferred from the
     * shape (OCI allows omitting it).
     */
    static String mediaTypeOf(JsonNode tree, Optional<String> contentType) {
        String declared = tree.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            return declared;
        }
        String header = contentType.map(t -> t.split(";", 2)[0].trim()).orElse("");
        if (MediaTypes.isSupportedManifest(header) || MediaTypes.isSchema1(header)) {
            return header;
        }
        if (tree.path("schemaVersion").asInt(2) == 1) {
            return MediaTypes.DOCKER_SCHEMA1_MANIFEST;
        }
        if (tree.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (tree.has("config") || tree.has("layers")) {
            return MediaTypes.OCI_MANIFEST;
        }
        return header.isEmpty() ? "unknown" : header;
    }

    // ---- descriptors ----

    /**
     * A descriptor object: {@code mediaType}, {@code digest} and a whole-number {@code size} are
     * required; {@code platform}, {@code annotations} and {@code urls} optional.
     *
     * @throws IllegalArgumentException when it is malformed
     */
    public static Descriptor descriptor(JsonNode d) {
        if (d == null || !d.isObject()) {
            throw new IllegalArgumentException("a descriptor is not an object");
        }
        String digest = text(d, "digest").orElseThrow(() -> new IllegalArgumentException("a descriptor has no digest"));
        String mediaType = text(d, "mediaType").orElseThrow(
                () -> new IllegalArgumentException("descriptor " + digest + " has no mediaType"));
        JsonNode size = d.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong()) {
            throw new IllegalArgumentException("descriptor " + digest + " has no whole-number size");
        }
        Optional<Platform> platform = Optional.empty();
        JsonNode p = field(d, "platform", JsonNode::isObject, "an object");
        if (p != null) {
            Optional<String> os = text(p, "os");
            Optional<String> architecture = text(p, "architecture");
            if (os.isPresent() && architecture.isPresent()) {
                platform = Optional.of(new Platform(os.get(), architecture.get(), text(p, "variant"),
                        text(p, "os.version")));
            }
        }
        return new Descriptor(mediaType, Digest.of(digest), size.longValue(), platform, strings(d, "annotations"),
                textList(d, "urls"));
    }

    /** The JSON object of a descriptor (annotations sorted, so equal descriptors give equal bytes). */
    public static ObjectNode descriptorJson(Descriptor d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (!d.urls().isEmpty()) {
            ArrayNode urls = node.putArray("urls");
            d.urls().forEach(urls::add);
        }
        putStrings(node, "annotations", d.annotations());
        d.platform().ifPresent(p -> {
            ObjectNode platform = node.putObject("platform");
            platform.put("architecture", p.architecture());
            platform.put("os", p.os());
            p.osVersion().ifPresent(v -> platform.put("os.version", v));
            p.variant().ifPresent(v -> platform.put("variant", v));
        });
        return node;
    }

    // ---- writing ----

    /**
     * The JSON of a manifest or index, as pushed to a registry. The bytes are deterministic for
     * equal content, but are not the bytes of some other tool's manifest: keep the original bytes
     * when you have them.
     */
    public static byte[] toJson(ManifestContent content) {
        ObjectNode node = JSON.createObjectNode();
        node.put("schemaVersion", 2);
        node.put("mediaType", content.mediaType());
        if (content instanceof Manifest manifest) {
            node.set("config", descriptorJson(manifest.config()));
            ArrayNode layers = node.putArray("layers");
            manifest.layers().forEach(l -> layers.add(descriptorJson(l)));
        } else {
            ArrayNode manifests = node.putArray("manifests");
            ((ImageIndex) content).manifests().forEach(m -> manifests.add(descriptorJson(m)));
        }
        putStrings(node, "annotations", content instanceof Manifest m ? m.annotations() : ((ImageIndex) content).annotations());
        return bytes(node);
    }

    /**
     * The OCI form of a Docker v2 schema 2 manifest: the same config and layer blobs with OCI
     * media types (Docker's layer types map one to one), annotations kept. The config bytes are
     * untouched, so the image ID stays the same.
     */
    public static byte[] ociForm(Manifest docker) {
        Descriptor config = docker.config();
        List<Descriptor> layers = docker.layers().stream().map(layer -> new Descriptor(switch (layer.mediaType()) {
            case MediaTypes.DOCKER_LAYER -> MediaTypes.OCI_LAYER_GZIP;
            case MediaTypes.DOCKER_FOREIGN_LAYER -> "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
            case "application/vnd.docker.image.rootfs.diff.tar" -> MediaTypes.OCI_LAYER;
            default -> layer.mediaType();
        }, layer.digest(), layer.size(), Optional.empty(), layer.annotations(), layer.urls())).toList();
        return toJson(new Manifest(MediaTypes.OCI_MANIFEST, new Descriptor(MediaTypes.OCI_CONFIG, config.digest(),
                config.size(), Optional.empty(), config.annotations(), config.urls()), layers, docker.annotations()));
    }

    /** A JSON tree's bytes. */
    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    // ---- times ----

    private static Optional<Instant> instant(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Instant fast = rfc3339(text.get());
        if (fast != null) {
            return Optional.of(fast);
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text.get()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty(); // a time nobody can read is no reason to refuse an image
        }
    }

    /**
     * The usual shape of a config's times, {@code 2024-05-01T12:34:56.123456789Z} or with an
     * offset {@code +02:00}, parsed by hand: a config has one time per build step, and
     * {@code OffsetDateTime.parse} was a fifth of listing a store. Null for anything else (the
     * caller then asks {@code OffsetDateTime.parse}, so what is accepted does not change).
     */
    static Instant rfc3339(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != 't')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char sign = t.charAt(i);
        if ((sign == 'Z' || sign == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((sign == '+' || sign == '-') && i + 6 == n && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, i + 3);
            int om = digits(t, i + 4, i + 6);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return null;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(java.time.ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    // ---- strict field readers ----

    /** Parses JSON that must be an object ({@code BAD_CONTENT} otherwise), e.g. an archive's {@code index.json}. */
    public static JsonNode object(byte[] raw, String operation, String what) {
        JsonNode tree;
        try {
            tree = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw bad(operation, what + " is not valid JSON: " + io.gantry.core.IoProblem.json(e));
        } catch (IOException e) {
            throw bad(operation, what + " cannot be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw bad(operation, what + " is not a JSON object");
        }
        return tree;
    }

    /** The field, null when absent or JSON null; {@code IllegalArgumentException} when it is of another type. */
    private static JsonNode field(JsonNode node, String name, java.util.function.Predicate<JsonNode> type, String expected) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!type.test(value)) {
            throw new IllegalArgumentException("'" + name + "' is not " + expected);
        }
        return value;
    }

    private static Optional<String> text(JsonNode node, String name) {
        JsonNode value = field(node, name, JsonNode::isTextual, "a string");
        return value == null || value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Iterable<JsonNode> array(JsonNode node, String name) {
        JsonNode value = field(node, name, JsonNode::isArray, "an array");
        return value == null ? List.of() : value;
    }

    private static List<String> textList(JsonNode node, String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array(node, name)) {
            if (!v.isNull()) {
                if (!v.isTextual()) {
                    throw new IllegalArgumentException("'" + name + "' holds something that is not a string");
                }
                values.add(v.asText());
            }
        }
        return values;
    }

    private static List<Descriptor> descriptors(JsonNode node, String name) {
        List<Descriptor> descriptors = new ArrayList<>();
        for (JsonNode d : array(node, name)) {
            descriptors.add(descriptor(d));
        }
        return descriptors;
    }

    /** A string map (annotations, labels); numbers and booleans are taken as their text, as Jackson binds them. */
    private static Map<String, String> strings(JsonNode node, String name) {
        JsonNode value = field(node, name, JsonNode::isObject, "an object");
        Map<String, String> map = new LinkedHashMap<>();
        if (value != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isContainerNode()) {
                    throw new IllegalArgumentException("'" + name + "' value '" + e.getKey() + "' is not a string");
                }
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return map;
    }

    private static List<String> keys(JsonNode node, String name) {
        JsonNode value = field(node, name, JsonNode::isObject, "an object");
        List<String> keys = new ArrayList<>();
        if (value != null) {
            value.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    private static void putStrings(ObjectNode node, String name, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode object = node.putObject(name);
            new TreeMap<>(values).forEach(object::put);
        }
    }

    private static GantryException bad(String operation, String message) {
        return new GantryException(ErrorKind.BAD_CONTENT, operation, message);
    }
}
