package io.gantry.service;

import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.engine.Capabilities;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An image as {@code docker image inspect} prints it (the keys, their order and their empty values
 * as Docker Engine 20.10 gives them), for the embedded store and engines alike, with what Gantry
 * knows beyond that under one key, {@code Gantry}. Values are maps, lists, strings, numbers,
 * booleans and {@link Nil} (what Go prints as {@code []} or {@code map[]} and JSON as
 * {@code null}).
 *
 * <p>Not shown, since no endpoint tells them for every image: {@code Container},
 * {@code ContainerConfig} and {@code DockerVersion} (legacy-builder fields Docker 25 dropped
 * too), and {@code Metadata.LastTagTime}, which is Go's zero time as docker shows it for an image
 * never tagged locally.
 */
public final class DockerImageView {

    /** A Go nil slice or map: JSON {@code null}, printed by a Go template as {@code []} or {@code map[]}. */
    public enum Nil {
        LIST("[]"), MAP("map[]");

        private final String goText;

        Nil(String goText) {
            this.goText = goText;
        }

        public String goText() {
            return goText;
        }
    }

    /** Go's zero {@code time.Time}, as docker prints an unknown time. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private DockerImageView() {
    }

    /** The image's JSON object; {@code summary} adds shared size and containers, {@code layers} the blobs. */
    public static Map<String, Object> of(ImageStore store, ImageDetails details, Optional<ImageSummary> summary,
                                         List<ImageLayer> layers) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Id", details.id().toString());
        json.put("RepoTags", details.repoTags());
        json.put("RepoDigests", details.repoDigests());
        json.put("Parent", details.parent().map(Digest::toString).orElse(""));
        json.put("Comment", details.comment());
        json.put("Created", rfc3339Nano(details.created()));
        json.put("Author", details.author());
        json.put("Config", config(details.config()));
        details.platform().ifPresentOrElse(p -> {
            json.put("Architecture", p.architecture());
            p.variant().ifPresent(v -> json.put("Variant", v));
            json.put("Os", p.os());
            p.osVersion().ifPresent(v -> json.put("OsVersion", v));
        }, () -> {
            json.put("Architecture", "");
            json.put("Os", "");
        });
        json.put("Size", details.size());
        json.put("VirtualSize", details.size());
        Map<String, Object> graphDriver = new LinkedHashMap<>();
        graphDriver.put("Data", details.storageData().isEmpty() ? Nil.MAP : new TreeMap<>(details.storageData()));
        graphDriver.put("Name", details.storageDriver());
        json.put("GraphDriver", graphDriver);
        Map<String, Object> rootFs = new LinkedHashMap<>();
        rootFs.put("Type", "layers");
        rootFs.put("Layers", details.diffIds().stream().map(Digest::toString).toList());
        json.put("RootFS", rootFs);
        json.put("Metadata", Map.of("LastTagTime", ZERO_TIME));
        json.put("Gantry", extra(store, details, summary, layers));
        return json;
    }

    private static Map<String, Object> config(ImageConfig.RunConfig config) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Hostname", "");
        json.put("Domainname", "");
        json.put("User", config.user().orElse(""));
        json.put("AttachStdin", false);
        json.put("AttachStdout", false);
        json.put("AttachStderr", false);
        if (!config.exposedPorts().isEmpty()) {
            Map<String, Object> ports = new TreeMap<>();
            config.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            json.put("ExposedPorts", ports);
        }
        json.put("Tty", false);
        json.put("OpenStdin", false);
        json.put("StdinOnce", false);
        json.put("Env", config.env().isEmpty() ? Nil.LIST : config.env());
        json.put("Cmd", config.cmd().isEmpty() ? Nil.LIST : config.cmd());
        json.put("Image", "");
        if (config.volumes().isEmpty()) {
            json.put("Volumes", Nil.MAP);
        } else {
            Map<String, Object> volumes = new TreeMap<>();
            config.volumes().forEach(v -> volumes.put(v, Map.of()));
            json.put("Volumes", volumes);
        }
        json.put("WorkingDir", config.workingDir().orElse(""));
        json.put("Entrypoint", config.entrypoint().isEmpty() ? Nil.LIST : config.entrypoint());
        json.put("OnBuild", Nil.LIST);
        json.put("Labels", config.labels().isEmpty() ? Nil.MAP : new TreeMap<>(config.labels()));
        config.stopSignal().ifPresent(s -> json.put("StopSignal", s));
        return json;
    }

    private static Map<String, Object> extra(ImageStore store, ImageDetails details, Optional<ImageSummary> summary,
                                             List<ImageLayer> layers) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Endpoint", store.endpoint().id());
        json.put("Platform", details.platform().map(Object::toString).orElse(""));
        json.put("SizeCounts", sizesCompressed(store) ? "compressed layer blobs" : "uncompressed layers");
        summary.ifPresent(s -> {
            json.put("SharedSize", s.sharedSize());
            json.put("UniqueSize", s.uniqueSize());
            json.put("Containers", s.containers());
        });
        json.put("LayerBlobs", layers.stream().map(l -> l.blob().map(Digest::toString).orElse("")).toList());
        return json;
    }

    /**
     * Whether the endpoint's sizes are those of its stored (compressed) layer blobs, as the
     * embedded store counts them, rather than of unpacked layers, as an engine counts them.
     */
    public static boolean sizesCompressed(ImageStore store) {
        return store.capabilities().has(Capabilities.Capability.LAYER_BLOBS);
    }

    /** Go's {@code time.RFC3339Nano}: UTC, fraction without trailing zeros. */
    public static String rfc3339Nano(Instant instant) {
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(instant);
        int nanos = instant.getNano();
        if (nanos == 0) {
            return base + "Z";
        }
        String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
        return base + "." + fraction + "Z";
    }
}
