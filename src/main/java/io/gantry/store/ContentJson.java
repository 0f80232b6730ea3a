package io.gantry.store;

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
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON the store keeps (manifests, indexes, image configs) into {@code core} records and
 * writes descriptors back. Raw bytes stay the source of truth: the store never re-serializes a
 * manifest or a config, so digests never change.
 */
final class ContentJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ContentJson() {
    }

    static JsonNode tree(byte[] bytes, String what) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, "not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, "malformed JSON: " + e.getMessage(), e);
        }
    }

    /** The media type a manifest or index declares, or the one its shape implies when it declares none. */
    static String mediaTypeOf(JsonNode node, String fallback) {
        String declared = node.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            return declared;
        }
        if (node.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (node.has("layers") || node.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        return fallback;
    }

    /** Parses a manifest or an index; schema 1 and unknown types fail with {@code BAD_CONTENT}. */
    static ManifestContent manifestContent(byte[] bytes, String descriptorMediaType, String what) {
        JsonNode node = tree(bytes, what);
        String mediaType = mediaTypeOf(node, descriptorMediaType);
        if (MediaTypes.isSchema1(mediaType) || node.path("schemaVersion").asInt(2) == 1) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, "unsupported legacy manifest (Docker schema 1)");
        }
        try {
            if (MediaTypes.isIndex(mediaType)) {
                List<Descriptor> manifests = new ArrayList<>();
                for (JsonNode d : node.path("manifests")) {
                    manifests.add(descriptor(d));
                }
                return new ImageIndex(mediaType, manifests, strings(node.path("annotations")));
            }
            if (MediaTypes.isImageManifest(mediaType)) {
                List<Descriptor> layers = new ArrayList<>();
                for (JsonNode d : node.path("layers")) {
                    layers.add(descriptor(d));
                }
                if (!node.path("config").isObject()) {
                    throw new IllegalArgumentException("the manifest has no config descriptor");
                }
                return new Manifest(mediaType, descriptor(node.path("config")), layers, strings(node.path("annotations")));
            }
        } catch (IllegalArgumentException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, e.getMessage(), e);
        }
        throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, "unsupported media type '" + mediaType + "'");
    }

    static Manifest manifest(byte[] bytes, String descriptorMediaType, String what) {
        if (manifestContent(bytes, descriptorMediaType, what) instanceof Manifest m) {
            return m;
        }
        throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, "expected an image manifest, found an index");
    }

    /** A descriptor object (mediaType, digest, size, platform, annotations, urls). */
    static Descriptor descriptor(JsonNode d) {
        String mediaType = d.path("mediaType").asText("");
        String digest = d.path("digest").asText("");
        if (!d.path("size").canConvertToExactIntegral()) {
            throw new IllegalArgumentException("descriptor " + digest + " has no size");
        }
        List<String> urls = new ArrayList<>();
        d.path("urls").forEach(u -> urls.add(u.asText()));
        Optional<Platform> platform = Optional.empty();
        JsonNode p = d.path("platform");
        if (p.isObject() && !p.path("os").asText("").isEmpty() && !p.path("architecture").asText("").isEmpty()) {
            platform = Optional.of(new Platform(p.path("os").asText(), p.path("architecture").asText(),
                    Optional.of(p.path("variant").asText("")), Optional.of(p.path("os.version").asText(""))));
        }
        return new Descriptor(mediaType.isEmpty() ? "application/octet-stream" : mediaType, Digest.of(digest),
                d.path("size").asLong(), platform, strings(d.path("annotations")), urls);
    }

    static ObjectNode toJson(Descriptor d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (!d.urls().isEmpty()) {
            ArrayNode urls = node.putArray("urls");
            d.urls().forEach(urls::add);
        }
        if (!d.annotations().isEmpty()) {
            ObjectNode annotations = node.putObject("annotations");
            new java.util.TreeMap<>(d.annotations()).forEach(annotations::put);
        }
        d.platform().ifPresent(p -> {
            ObjectNode platform = node.putObject("platform");
            platform.put("architecture", p.architecture());
            platform.put("os", p.os());
            p.osVersion().ifPresent(v -> platform.put("os.version", v));
            p.variant().ifPresent(v -> platform.put("variant", v));
        });
        return node;
    }

    /**
     * The OCI form of a Docker v2 schema 2 manifest: the same config and layer blobs with OCI
     * media types (Docker's layer types map one to one), annotations kept. The config bytes are
     * untouched, so the image ID stays the same.
     */
    static byte[] ociForm(Manifest docker) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schemaVersion", 2);
        node.put("mediaType", MediaTypes.OCI_MANIFEST);
        Descriptor config = docker.config();
        node.set("config", toJson(new Descriptor(MediaTypes.OCI_CONFIG, config.digest(), config.size(), Optional.empty(),
                config.annotations(), config.urls())));
        ArrayNode layers = node.putArray("layers");
        for (Descriptor layer : docker.layers()) {
            String type = switch (layer.mediaType()) {
                case MediaTypes.DOCKER_LAYER -> MediaTypes.OCI_LAYER_GZIP;
                case MediaTypes.DOCKER_FOREIGN_LAYER -> "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
                case "application/vnd.docker.image.rootfs.diff.tar" -> MediaTypes.OCI_LAYER;
                default -> layer.mediaType();
            };
            layers.add(toJson(new Descriptor(type, layer.digest(), layer.size(), Optional.empty(), layer.annotations(),
                    layer.urls())));
        }
        if (!docker.annotations().isEmpty()) {
            ObjectNode annotations = node.putObject("annotations");
            new java.util.TreeMap<>(docker.annotations()).forEach(annotations::put);
        }
        return bytes(node);
    }

    /** Parses an image config (Docker's container image JSON or OCI's image config). */
    static ImageConfig config(byte[] bytes, String what) {
        JsonNode node = tree(bytes, what);
        try {
            Platform platform = new Platform(nonBlank(node.path("os").asText(""), "unknown"),
                    nonBlank(node.path("architecture").asText(""), "unknown"),
                    Optional.of(node.path("variant").asText("")), Optional.of(node.path("os.version").asText("")));
            List<Digest> diffIds = new ArrayList<>();
            for (JsonNode diffId : node.path("rootfs").path("diff_ids")) {
                diffIds.add(Digest.of(diffId.asText()));
            }
            List<ImageConfig.History> history = new ArrayList<>();
            for (JsonNode h : node.path("history")) {
                history.add(new ImageConfig.History(instant(h.path("created")), text(h.path("created_by")),
                        text(h.path("comment")), text(h.path("author")), h.path("empty_layer").asBoolean(false)));
            }
            JsonNode c = node.path("config");
            ImageConfig.RunConfig run = new ImageConfig.RunConfig(list(c.path("Env")), list(c.path("Entrypoint")),
                    list(c.path("Cmd")), text(c.path("WorkingDir")), text(c.path("User")), strings(c.path("Labels")),
                    keys(c.path("ExposedPorts")), keys(c.path("Volumes")), text(c.path("StopSignal")));
            return new ImageConfig(platform, instant(node.path("created")), text(node.path("author")), run, history, diffIds);
        } catch (IllegalArgumentException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "read " + what, e.getMessage(), e);
        }
    }

    private static String nonBlank(String value, String fallback) {
        return value.isBlank() ? fallback : value;
    }

    private static Optional<Instant> instant(JsonNode node) {
        String text = node.asText("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Instant fast = rfc3339(text);
        if (fast != null) {
            return Optional.of(fast);
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
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

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (node.isTextual()) {
            values.add(node.asText());
        }
        return values;
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return map;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
