package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Digest;
import io.gantry.core.MediaTypes;
import io.gantry.core.PeerText;
import io.gantry.core.Platform;
import io.gantry.service.ImageTable;
import io.gantry.service.LocalLayers;
import io.gantry.service.RemoteImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints a {@link RemoteImage}: the raw manifest or index, {@code docker manifest inspect
 * --verbose}'s JSON (with each platform's config and compressed size added), or a summary a
 * person reads before pulling.
 */
final class RemoteManifestPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteManifestPrinter() {
    }

    /** The bytes the registry sent, unchanged (as {@code skopeo inspect --raw} and {@code crane manifest}). */
    static void raw(PrintWriter out, RemoteImage image) {
        out.println(new String(image.raw(), StandardCharsets.UTF_8));
    }

    /**
     * As {@code docker manifest inspect --verbose}: one object for a single manifest, an array for
     * an index; each with {@code Ref}, {@code Descriptor}, {@code Raw} (base64) and the manifest
     * under {@code SchemaV2Manifest} or {@code OCIManifest}; Gantry adds {@code Config} and
     * {@code CompressedSize}.
     */
    static void verbose(PrintWriter out, RemoteImage image) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (RemoteImage.PlatformImage platform : image.images()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Ref", image.reference().atDigest(platform.digest()).toString());
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("mediaType", platform.descriptor().mediaType());
            descriptor.put("digest", platform.digest().toString());
            descriptor.put("size", platform.descriptor().size());
            Platform p = platform.platform();
            Map<String, Object> platformJson = new LinkedHashMap<>();
            platformJson.put("architecture", p.architecture());
            platformJson.put("os", p.os());
            p.osVersion().ifPresent(v -> platformJson.put("os.version", v));
            p.variant().ifPresent(v -> platformJson.put("variant", v));
            descriptor.put("platform", platformJson);
            entry.put("Descriptor", descriptor);
            entry.put("Raw", Base64.getEncoder().encodeToString(platform.raw()));
            String key = platform.descriptor().mediaType().equals(MediaTypes.DOCKER_MANIFEST) ? "SchemaV2Manifest" : "OCIManifest";
            entry.put(key, tree(platform.raw()));
            entry.put("Config", configJson(platform));
            entry.put("CompressedSize", platform.compressedSize());
            entries.add(entry);
        }
        CliJson.print(out, image.isIndex() ? entries : entries.get(0));
    }

    private static Map<String, Object> configJson(RemoteImage.PlatformImage platform) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("digest", platform.imageId().toString());
        platform.config().created().ifPresent(c -> config.put("created", c.toString()));
        config.put("entrypoint", platform.config().entrypoint());
        config.put("cmd", platform.config().cmd());
        config.put("env", platform.config().env());
        config.put("labels", platform.config().labels());
        return config;
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            return JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /**
     * What a person reads before a pull: platforms, digests, compressed size per platform, the
     * config's entrypoint, cmd, env, labels and creation time, and the layers with sizes, marked
     * {@code local} where the endpoint's pull would skip them ({@link LocalLayers#mark}; none when it could not say).
     */
    static void summary(PrintWriter out, RemoteImage image, String endpoint, LocalLayers local) {
        out.println("Name:        " + image.reference().familiar());
        out.println("Digest:      " + image.digest());
        out.println("MediaType:   " + PeerText.clean(image.mediaType()));
        if (image.isIndex()) {
            out.println("Platforms:   " + String.join(", ", image.images().stream().map(i -> i.platform().toString()).toList()));
        }
        for (RemoteImage.PlatformImage platform : image.images()) {
            out.println();
            out.println(platform.platform());
            out.println("  Digest:      " + platform.digest());
            out.println("  Image ID:    " + platform.imageId());
            out.println("  Size:        " + ImageTable.humanSize(platform.compressedSize()) + " compressed, "
                    + platform.manifest().layers().size() + " layers");
            platform.config().created().ifPresent(c -> out.println("  Created:     " + c));
            if (!platform.config().entrypoint().isEmpty()) {
                out.println("  Entrypoint:  " + PeerText.clean(String.valueOf(platform.config().entrypoint())));
            }
            if (!platform.config().cmd().isEmpty()) {
                out.println("  Cmd:         " + PeerText.clean(String.valueOf(platform.config().cmd())));
            }
            for (String env : platform.config().env()) {
                out.println("  Env:         " + PeerText.clean(env));
            }
            platform.config().labels().forEach((k, v) -> out.println("  Label:       " + PeerText.clean(k + "=" + v)));
            List<RemoteImage.RemoteLayer> layers = local.mark(platform);
            long have = layers.stream().filter(RemoteImage.RemoteLayer::local).count();
            out.println("  Layers:" + (local.known() ? "      " + have + " of " + layers.size() + " already on " + endpoint : ""));
            for (RemoteImage.RemoteLayer layer : layers) {
                out.println("    " + layer.blob().digest() + "  " + pad(ImageTable.humanSize(layer.blob().size()))
                        + (local.known() && layer.local() ? "  local" : ""));
            }
        }
    }

    private static String pad(String size) {
        return " ".repeat(Math.max(0, 9 - size.length())) + size;
    }
}
