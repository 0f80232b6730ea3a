package io.gantry.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.gantry.registry.WireTemplates.ConfigTemplate;
import io.gantry.registry.WireTemplates.DescriptorTemplate;
import io.gantry.registry.WireTemplates.HistoryTemplate;
import io.gantry.registry.WireTemplates.ManifestTemplate;
import io.gantry.registry.WireTemplates.PlatformTemplate;
import io.gantry.registry.WireTemplates.RunTemplate;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the JSON of manifests, indexes and image configs, translating between the
 * wire templates and the {@code io.gantry.core} records (Jib's {@code JsonToImageTranslator}).
 * Anything malformed fails with a {@link GantryException} of kind {@link ErrorKind#BAD_CONTENT};
 * a Docker schema 1 manifest fails with code {@value #SCHEMA1_CODE}.
 *
 * <p>Used by the registry operations and by anything that keeps manifests on disk. Digests are
 * always computed over the raw bytes, never over re-serialized JSON.
 */
public final class ManifestCodec {

    /** The {@link GantryException#code()} of the error for a legacy schema 1 manifest. */
    public static final String SCHEMA1_CODE = "MANIFEST_SCHEMA1_UNSUPPORTED";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ManifestCodec() {
    }

    /**
     * Parses a manifest or index.
     *
     * @param raw         the bytes as served
     * @param contentType the {@code Content-Type} it was served with, or empty; the body's own
     *                    {@code mediaType} wins when present
     * @param operation   what Gantry was doing, for the error
     */
    public static ManifestContent parse(byte[] raw, Optional<String> contentType, String operation) {
        JsonNode tree;
        try {
            tree = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw bad(operation, "the manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad(operation, "the manifest cannot be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw bad(operation, "the manifest is not a JSON object");
        }
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
        ManifestTemplate template;
        try {
            template = JSON.treeToValue(tree, ManifestTemplate.class);
        } catch (JsonProcessingException e) {
            throw bad(operation, "malformed manifest: " + e.getOriginalMessage());
        }
        try {
            if (MediaTypes.isIndex(mediaType)) {
                return new ImageIndex(mediaType, descriptors(template.manifests()), map(template.annotations()));
            }
            if (template.config() == null) {
                throw bad(operation, "the image manifest has no config descriptor");
            }
            return new Manifest(mediaType, descriptor(template.config()), descriptors(template.layers()),
                    map(template.annotations()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw bad(operation, "malformed manifest: " + e.getMessage());
        }
    }

    /** Parses a manifest or index, reporting errors as "parse manifest". */
    public static ManifestContent parse(byte[] raw, Optional<String> contentType) {
        return parse(raw, contentType, "parse manifest");
    }

    /**
     * The JSON of a manifest or index, as pushed to a registry. The bytes are deterministic for
     * equal content, but are not the bytes of some other tool's manifest: keep the original bytes
     * when you have them.
     */
    public static byte[] toJson(ManifestContent content) {
        ManifestTemplate template;
        if (content instanceof Manifest manifest) {
            template = new ManifestTemplate(2, manifest.mediaType(), template(manifest.config()),
                    manifest.layers().stream().map(ManifestCodec::template).toList(), null,
                    nullIfEmpty(manifest.annotations()));
        } else {
            ImageIndex index = (ImageIndex) content;
            template = new ManifestTemplate(2, index.mediaType(), null, null,
                    index.manifests().stream().map(ManifestCodec::template).toList(), nullIfEmpty(index.annotations()));
        }
        try {
            return JSON.writeValueAsBytes(template);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest template always serializes", e);
        }
    }

    /** Parses an image config blob. */
    public static ImageConfig parseConfig(byte[] raw, String operation) {
        ConfigTemplate config;
        try {
            config = JSON.readValue(raw, ConfigTemplate.class);
        } catch (IOException e) {
            throw bad(operation, "the image config is not valid JSON: " + e.getMessage());
        }
        if (config == null || config.os() == null || config.architecture() == null) {
            throw bad(operation, "the image config names no os or architecture");
        }
        try {
            Platform platform = new Platform(config.os(), config.architecture(), Optional.ofNullable(config.variant()),
                    Optional.ofNullable(config.osVersion()));
            RunTemplate run = config.config();
            ImageConfig.RunConfig runConfig = run == null ? ImageConfig.RunConfig.EMPTY
                    : new ImageConfig.RunConfig(list(run.env()), list(run.entrypoint()), list(run.cmd()),
                    text(run.workingDir()), text(run.user()), map(run.labels()), keys(run.exposedPorts()),
                    keys(run.volumes()), text(run.stopSignal()));
            List<ImageConfig.History> history = new ArrayList<>();
            for (HistoryTemplate h : list(config.history())) {
                history.add(new ImageConfig.History(instant(h.created()), text(h.createdBy()), text(h.comment()),
                        text(h.author()), Boolean.TRUE.equals(h.emptyLayer())));
            }
            List<Digest> diffIds = config.rootfs() == null ? List.of()
                    : list(config.rootfs().diffIds()).stream().map(Digest::of).toList();
            return new ImageConfig(platform, instant(config.created()), text(config.author()), runConfig, history,
                    diffIds);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw bad(operation, "malformed image config: " + e.getMessage());
        }
    }

    /** Parses an image config blob, reporting errors as "parse image config". */
    public static ImageConfig parseConfig(byte[] raw) {
        return parseConfig(raw, "parse image config");
    }

    /**
     * The media type of a manifest: the body's {@code mediaType}, else the {@code Content-Type}
     * (without parameters), else inferred from the shape (OCI allows omitting it).
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
        if (tree.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        return header.isEmpty() ? "unknown" : header;
    }

    private static List<Descriptor> descriptors(List<DescriptorTemplate> templates) {
        return list(templates).stream().map(ManifestCodec::descriptor).toList();
    }

    private static Descriptor descriptor(DescriptorTemplate t) {
        if (t.digest() == null || t.size() == null || t.mediaType() == null) {
            throw new IllegalArgumentException("a descriptor lacks its mediaType, digest or size");
        }
        Optional<Platform> platform = Optional.ofNullable(t.platform())
                .filter(p -> p.os() != null && p.architecture() != null)
                .map(p -> new Platform(p.os(), p.architecture(), Optional.ofNullable(p.variant()),
                        Optional.ofNullable(p.osVersion())));
        return new Descriptor(t.mediaType(), Digest.of(t.digest()), t.size(), platform, map(t.annotations()),
                list(t.urls()));
    }

    private static DescriptorTemplate template(Descriptor d) {
        PlatformTemplate platform = d.platform().map(p -> new PlatformTemplate(p.architecture(), p.os(),
                p.osVersion().orElse(null), p.variant().orElse(null))).orElse(null);
        return new DescriptorTemplate(d.mediaType(), d.digest().toString(), d.size(),
                d.urls().isEmpty() ? null : d.urls(), nullIfEmpty(d.annotations()), platform);
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value.stream().filter(v -> v != null).toList();
    }

    private static Map<String, String> map(Map<String, String> value) {
        if (value == null) {
            return Map.of();
        }
        Map<String, String> copy = new java.util.LinkedHashMap<>();
        value.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private static Map<String, String> nullIfEmpty(Map<String, String> value) {
        return value.isEmpty() ? null : value;
    }

    private static List<String> keys(Map<String, Object> value) {
        return value == null ? List.of() : List.copyOf(value.keySet());
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static Optional<Instant> instant(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static GantryException bad(String operation, String message) {
        return new GantryException(ErrorKind.BAD_CONTENT, operation, message);
    }
}
