package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.Platform;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PullProgress;
import io.gantry.engine.StoreEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates the Engine API's JSON into the port's records, at the boundary: nothing of the wire
 * format leaves this package. The engine writes {@code null} for empty lists and maps and
 * {@code <none>:<none>} for absent tags; both become empty collections here.
 *
 * <p>Podman's Docker-compatible API (4.3) writes some image IDs as bare hex (in history entries,
 * delete reports, events, {@code /system/df}) and names in full ({@code docker.io/library/app:1});
 * IDs get their {@code sha256:} here and names their familiar form, as the docker CLI shows them,
 * so both engines read alike.
 */
final class EngineJson {

    private static final String NONE_TAG = "<none>:<none>";
    private static final String NONE_DIGEST = "<none>@<none>";
    private static final java.util.regex.Pattern BARE_SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private EngineJson() {
    }

    /** An entry of {@code /images/json} or of {@code /system/df}'s {@code Images}. */
    static ImageSummary imageSummary(JsonNode node, int containersFallback) {
        int containers = node.path("Containers").asInt(-1);
        long shared = node.path("SharedSize").asLong(-1);
        return new ImageSummary(imageId(node.path("Id").asText()), repoTags(node), repoDigests(node),
                epochSeconds(node.path("Created")), node.path("Size").asLong(),
                Math.max(shared, 0), containers >= 0 ? containers : containersFallback);
    }

    static List<String> repoTags(JsonNode node) {
        return strings(node.path("RepoTags")).stream().filter(t -> !t.equals(NONE_TAG) && !t.startsWith("<none>"))
                .map(EngineJson::familiar).distinct().toList();
    }

    static List<String> repoDigests(JsonNode node) {
        return strings(node.path("RepoDigests")).stream().filter(t -> !t.equals(NONE_DIGEST) && !t.startsWith("<none>"))
                .map(EngineJson::familiar).distinct().toList();
    }

    /** A reference as the docker CLI shows it: {@code docker.io/library/app:1} becomes {@code app:1}. */
    static String familiar(String reference) {
        if (!reference.startsWith("docker.io/")) {
            return reference;
        }
        try {
            return io.gantry.core.ImageReference.parse(reference).familiar();
        } catch (RuntimeException notAReference) {
            return reference;
        }
    }

    /** An image ID: {@code sha256:<hex>}, also when the engine wrote the hex alone (Podman). */
    static Digest imageId(String text) {
        return digest(BARE_SHA256.matcher(text).matches() ? "sha256:" + text : text);
    }

    /**
     * A digest the engine sent; a malformed one is the engine's fault, {@code BAD_CONTENT} with
     * what it sent (cleaned and shortened), never an unchecked exception.
     */
    static Digest digest(String text) {
        if (!Digest.isDigest(text)) {
            String shown = io.gantry.core.PeerText.clean(text);
            throw new io.gantry.core.GantryException(io.gantry.core.ErrorKind.BAD_CONTENT, "read the engine's answer",
                    "the engine sent '" + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown)
                            + "' where an image or layer digest belongs");
        }
        return Digest.of(text);
    }

    /** {@link #imageId} when {@code text} is one, otherwise {@code text} unchanged (e.g. a delete's layer line). */
    static String normalizeId(String text) {
        return BARE_SHA256.matcher(text).matches() ? "sha256:" + text : text;
    }

    static Optional<Digest> parent(JsonNode node, String field) {
        String parent = normalizeId(node.path(field).asText(""));
        return Digest.isDigest(parent) ? Optional.of(Digest.of(parent)) : Optional.empty();
    }

    /** A text field, empty when absent or blank. */
    private static Optional<String> text(JsonNode node) {
        return Optional.of(node.asText("")).filter(s -> !s.isBlank());
    }

    /** {@code /images/{name}/json}. */
    static ImageDetails imageDetails(JsonNode node) {
        JsonNode config = node.path("Config");
        ImageConfig.RunConfig run = new ImageConfig.RunConfig(strings(config.path("Env")),
                strings(config.path("Entrypoint")), strings(config.path("Cmd")), text(config.path("WorkingDir")),
                text(config.path("User")), stringMap(config.path("Labels")), sortedKeys(config.path("ExposedPorts")),
                sortedKeys(config.path("Volumes")), text(config.path("StopSignal")));
        List<Digest> diffIds = strings(node.path("RootFS").path("Layers")).stream().map(EngineJson::digest).toList();
        String os = node.path("Os").asText("");
        String arch = node.path("Architecture").asText("");
        Optional<Platform> platform = os.isBlank() || arch.isBlank() ? Optional.empty()
                : Optional.of(Platform.of(os, arch, node.path("Variant").asText("")));
        JsonNode driver = node.path("GraphDriver");
        return new ImageDetails(imageId(node.path("Id").asText()), repoTags(node), repoDigests(node),
                parent(node, "Parent"), instant(node.path("Created").asText("")), platform,
                node.path("Size").asLong(), run, diffIds, driver.path("Name").asText(""),
                stringMap(driver.path("Data")), node.path("Author").asText(""), node.path("Comment").asText(""));
    }

    /** One entry of {@code /images/{name}/history}. */
    static HistoryEntry historyEntry(JsonNode node) {
        String id = normalizeId(node.path("Id").asText(""));
        return new HistoryEntry(Digest.isDigest(id) ? Optional.of(Digest.of(id)) : Optional.empty(),
                epochSeconds(node.path("Created")), node.path("CreatedBy").asText(""),
                node.path("Size").asLong(), strings(node.path("Tags")).stream().map(EngineJson::familiar).toList(),
                node.path("Comment").asText(""));
    }

    /** One entry of {@code /containers/json?all=1}. */
    static ContainerRef container(JsonNode node) {
        List<String> names = strings(node.path("Names"));
        String name = names.isEmpty() ? "" : names.get(0).replaceFirst("^/", "");
        return new ContainerRef(node.path("Id").asText(), name, imageId(node.path("ImageID").asText()),
                familiar(node.path("Image").asText("")), ContainerRef.State.of(node.path("State").asText("")),
                node.path("Status").asText(""), epochSeconds(node.path("Created")));
    }

    /** Whether {@code /version} is Podman's: its components name a "Podman Engine" (Docker's say "Engine"). */
    static boolean isPodman(JsonNode version) {
        for (JsonNode component : version.path("Components")) {
            if (component.path("Name").asText("").toLowerCase(java.util.Locale.ROOT).contains("podman")) {
                return true;
            }
        }
        return false;
    }

    /** {@code /version}. */
    static EngineInfo engineInfo(JsonNode node, String negotiatedApi) {
        List<EngineInfo.Component> components = new ArrayList<>();
        boolean podman = false;
        for (JsonNode component : node.path("Components")) {
            String name = component.path("Name").asText("");
            components.add(new EngineInfo.Component(name, component.path("Version").asText("")));
            podman |= name.toLowerCase(java.util.Locale.ROOT).contains("podman");
        }
        return new EngineInfo(podman ? "Podman Engine" : "Docker Engine", node.path("Version").asText(""),
                node.path("ApiVersion").asText(""), "Gantry engine client, API " + negotiatedApi,
                node.path("Os").asText(""), node.path("Arch").asText(""), components);
    }

    /** One object of the {@code /images/create} stream. */
    static PullProgress pullProgress(JsonNode node) {
        String status = node.path("status").asText("");
        String layer = node.path("id").asText("");
        JsonNode detail = node.path("progressDetail");
        long current = detail.path("current").asLong(0);
        long total = detail.path("total").asLong(0);
        PullProgress.Phase phase;
        if (status.startsWith("Digest: ")) {
            phase = PullProgress.Phase.DIGEST;
        } else if (layer.isEmpty() || status.startsWith("Pulling from")) {
            phase = PullProgress.Phase.STATUS;
        } else {
            // The pull stream's only structure is this fixed vocabulary of moby's progress messages.
            phase = switch (status) {
                case "Pulling fs layer" -> PullProgress.Phase.PULLING_FS_LAYER;
                case "Waiting" -> PullProgress.Phase.WAITING;
                case "Downloading" -> PullProgress.Phase.DOWNLOADING;
                case "Verifying Checksum" -> PullProgress.Phase.VERIFYING;
                case "Download complete" -> PullProgress.Phase.DOWNLOAD_COMPLETE;
                case "Extracting" -> PullProgress.Phase.EXTRACTING;
                case "Pull complete" -> PullProgress.Phase.PULL_COMPLETE;
                case "Already exists" -> PullProgress.Phase.ALREADY_EXISTS;
                default -> PullProgress.Phase.OTHER;
            };
        }
        if (status.startsWith("Pulling from")) {
            layer = "";
        }
        return new PullProgress(layer, phase, current, total, status);
    }

    /** One object of the {@code /events} stream, or empty for one without a type. */
    static Optional<StoreEvent> event(JsonNode node) {
        String type = node.path("Type").asText("");
        if (type.isEmpty()) {
            return Optional.empty();
        }
        StoreEvent.Type kind = switch (type) {
            case "image" -> StoreEvent.Type.IMAGE;
            case "container" -> StoreEvent.Type.CONTAINER;
            default -> StoreEvent.Type.OTHER;
        };
        JsonNode actor = node.path("Actor");
        long nanos = node.path("timeNano").asLong(0);
        Instant time = nanos > 0 ? Instant.ofEpochSecond(0, nanos) : epochSeconds(node.path("time"));
        Map<String, String> attributes = stringMap(actor.path("Attributes"));
        attributes.computeIfPresent("name", (k, name) -> kind == StoreEvent.Type.IMAGE ? familiar(name) : name);
        attributes.computeIfPresent("image", (k, image) -> familiar(image));
        String id = actor.path("ID").asText("");
        return Optional.of(new StoreEvent(kind, node.path("Action").asText(""),
                kind == StoreEvent.Type.IMAGE ? normalizeId(id) : id, attributes, time));
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        } else if (array.isTextual()) {
            values.add(array.asText()); // a shell-form Cmd or Entrypoint written as a string
        }
        return values;
    }

    static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        if (object.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        }
        return values;
    }

    private static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        if (object.isObject()) {
            object.fieldNames().forEachRemaining(keys::add);
        }
        keys.sort(null);
        return keys;
    }

    /** Years 1 to 9999: what a date can be; an engine's time outside them is shown as the epoch, not thrown. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    /** An engine's Unix time in seconds; nonsense (out of any calendar's range) becomes the epoch. */
    static Instant epochSeconds(JsonNode node) {
        long seconds = node.asLong();
        return seconds < MIN_SECONDS || seconds > MAX_SECONDS ? Instant.EPOCH : Instant.ofEpochSecond(seconds);
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? Instant.EPOCH : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
