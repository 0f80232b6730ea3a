package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.LocalImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine's images, their sizes and their layers: the listing ({@code /system/df}, or on Podman
 * {@code /images/json} with SHARED computed from layer chains), disk use, and each image's layers
 * paired with its history once per image ID ({@link HistoryPairing}).
 */
final class EngineImages {

    private final DockerEngineStore store;
    private final EngineApi api;
    /** Layers of each image by ID; an image ID names immutable content, so entries never go stale. */
    private final Map<Digest, List<ImageLayer>> layersById = new ConcurrentHashMap<>();
    private final DiskUsageCalls diskUsage;

    EngineImages(DockerEngineStore store, EngineApi api) {
        this.store = store;
        this.api = api;
        this.diskUsage = new DiskUsageCalls(api);
    }

    /** Every image, as {@code docker system df -v} lists them (on Podman, see {@link #listPodman}). */
    List<ImageSummary> list() {
        String op = "list images on " + store.name();
        if (store.podman(op)) {
            return listPodman(op);
        }
        return imagesOf(systemDf(op));
    }

    /** The listing and the disk use; on Docker from one {@code /system/df}, which has both. */
    io.gantry.engine.ImageStore.Listing listWithDiskUsage() {
        String op = "list images on " + store.name();
        if (store.podman(op)) {
            return new io.gantry.engine.ImageStore.Listing(listPodman(op), java.util.OptionalLong.of(podmanLayersOnce(op)));
        }
        JsonNode df = systemDf(op);
        return new io.gantry.engine.ImageStore.Listing(imagesOf(df), layersSize(df));
    }

    /** {@code /system/df} of the images (API 1.42 added type=image, which spares the engine sizing every container and volume). */
    private JsonNode systemDf(String op) {
        String path = EngineApi.compareVersions(api.apiVersion(op), "1.42") >= 0 ? "/system/df?type=image" : "/system/df";
        return diskUsage.get(op, path, EngineApi.Speed.QUICK);
    }

    private static List<ImageSummary> imagesOf(JsonNode df) {
        List<ImageSummary> images = new ArrayList<>();
        for (JsonNode image : df.path("Images")) {
            images.add(EngineJson.imageSummary(image, 0));
        }
        return images;
    }

    private static java.util.OptionalLong layersSize(JsonNode df) {
        JsonNode size = df.path("LayersSize");
        return size.canConvertToLong() && size.asLong() >= 0 ? java.util.OptionalLong.of(size.asLong())
                : java.util.OptionalLong.empty();
    }

    /**
     * Podman 4.3's {@code /system/df} lists IDs without {@code sha256:}, tags without their
     * repository and no digests, and its {@code SharedSize} is always 0. So on Podman the images come
     * from {@code /images/json} (IDs, full names, digests, sizes, container counts), and SHARED is
     * computed as {@code docker system df -v} does: the bytes of an image's layers whose chain ID
     * another image (intermediate ones included) also has.
     */
    private List<ImageSummary> listPodman(String op) {
        JsonNode all = api.get(op, "/images/json?all=1");
        Map<Digest, Integer> holders = new HashMap<>();
        Map<Digest, List<Digest>> chainsOf = new HashMap<>();
        Map<Digest, Long> sizes = new HashMap<>();
        for (JsonNode node : all) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            chainsOf.put(id, chains(op, id, sizes));
            chainsOf.get(id).stream().distinct().forEach(chain -> holders.merge(chain, 1, Integer::sum));
        }
        List<ImageSummary> images = new ArrayList<>();
        for (JsonNode node : api.get(op, "/images/json")) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            List<Digest> chains = chainsOf.computeIfAbsent(id, i -> chains(op, i, sizes));
            long shared = chains.stream().distinct().filter(c -> holders.getOrDefault(c, 0) > 1)
                    .mapToLong(c -> sizes.getOrDefault(c, 0L)).sum();
            ImageSummary listed = EngineJson.imageSummary(node, 0);
            images.add(new ImageSummary(listed.id(), listed.repoTags(), listed.repoDigests(), listed.created(),
                    listed.size(), Math.min(shared, listed.size()), listed.containers()));
        }
        return images;
    }

    /** An image's chain IDs, base first; records each layer's size by chain ID in {@code sizes}. */
    private List<Digest> chains(String op, Digest id, Map<Digest, Long> sizes) {
        List<ImageLayer> layers = layers(op, id);
        List<Digest> chain = ChainIds.of(layers.stream().map(ImageLayer::diffId).toList());
        for (int i = 0; i < chain.size(); i++) {
            sizes.put(chain.get(i), layers.get(i).size());
        }
        return chain;
    }

    /** {@code /system/df}'s {@code LayersSize}: every layer once, what {@code docker system df} shows as the images' SIZE. */
    java.util.OptionalLong diskUsage() {
        String op = "ask " + store.name() + " for its disk use";
        if (store.podman(op)) {
            return java.util.OptionalLong.of(podmanLayersOnce(op));
        }
        return layersSize(systemDf(op));
    }

    /**
     * Podman 4.3's {@code /system/df} says {@code LayersSize: 0} whatever it stores, and {@code podman
     * system df} adds up the images' sizes, counting a shared layer once per image. Docker's rule is
     * each layer once: the images' sizes (every image, intermediate ones too), less each layer's size
     * for every further image that has the same chain ID.
     */
    private long podmanLayersOnce(String op) {
        Map<Digest, Integer> holders = new HashMap<>();
        Map<Digest, Long> sizes = new HashMap<>();
        long total = 0;
        for (JsonNode node : api.get(op, "/images/json?all=1")) {
            total += Math.max(0, node.path("Size").asLong());
            chains(op, EngineJson.imageId(node.path("Id").asText()), sizes).stream().distinct()
                    .forEach(chain -> holders.merge(chain, 1, Integer::sum));
        }
        for (Map.Entry<Digest, Integer> held : holders.entrySet()) {
            total -= (held.getValue() - 1) * sizes.getOrDefault(held.getKey(), 0L);
        }
        return Math.max(0, total);
    }

    /**
     * Each container's {@code SizeRw} from {@code /system/df} (the engine measures every writable
     * layer, which is why it is asked only for {@code df} and {@code ps -s}); a container without
     * the figure is left out, and no figure at all is empty.
     */
    Optional<Map<String, Long>> containerSizes() {
        String op = "ask " + store.name() + " for its containers' sizes";
        String path = EngineApi.compareVersions(api.apiVersion(op), "1.42") >= 0 ? "/system/df?type=container" : "/system/df";
        JsonNode containers = diskUsage.get(op, path, EngineApi.Speed.SLOW).path("Containers");
        if (!containers.isArray()) {
            return Optional.empty();
        }
        Map<String, Long> sizes = new java.util.LinkedHashMap<>();
        for (JsonNode container : containers) {
            JsonNode size = container.path("SizeRw");
            String id = container.path("Id").asText("");
            if (!id.isEmpty() && size.isMissingNode()) {
                sizes.put(id, 0L); // Docker leaves a zero SizeRw out (omitempty)
            } else if (!id.isEmpty() && size.canConvertToLong() && size.asLong() >= 0) {
                sizes.put(id, size.asLong());
            }
        }
        return Optional.of(sizes);
    }

    /**
     * Every image {@code docker images} lists, with names and parent from one listing
     * ({@code /images/json}) and each image's layers (read once per image ID, then cached).
     * Podman's RepoDigests are derived from content for every image, loaded ones too, and name
     * nothing a delete untags, so there they are left out (as {@link EngineSnapshot} does).
     */
    List<LocalImage> local() {
        String op = "read the images of " + store.name();
        boolean digestsAreNames = !store.podman(op);
        List<LocalImage> images = new ArrayList<>();
        for (JsonNode node : api.get(op, "/images/json")) {
            Digest id = EngineJson.digest(node.path("Id").asText());
            images.add(new LocalImage(id, EngineJson.repoTags(node),
                    digestsAreNames ? EngineJson.repoDigests(node) : List.of(),
                    EngineJson.parent(node, "ParentId"), layers(op, id)));
        }
        return images;
    }

    /**
     * An image's layers: diff IDs from {@code inspect}, sizes and created-by from {@code history},
     * paired by {@link HistoryPairing}. The one pairing of history with layers for an engine: the
     * Layers view, file analysis, reclaim planning and prune's dry run all read it.
     */
    List<ImageLayer> layers(String op, Digest id) {
        List<ImageLayer> cached = layersById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode inspect = api.get(op, "/images/" + id.hex() + "/json");
        List<Digest> diffIds = EngineJson.strings(inspect.path("RootFS").path("Layers")).stream()
                .map(EngineJson::digest).toList();
        List<HistoryEntry> oldestFirst = new ArrayList<>();
        for (JsonNode entry : api.get(op, "/images/" + id.hex() + "/history")) {
            oldestFirst.add(EngineJson.historyEntry(entry));
        }
        Collections.reverse(oldestFirst);
        int[] steps = HistoryPairing.layerSteps(oldestFirst, diffIds.size());
        List<ImageLayer> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            HistoryEntry step = steps[i] < 0 ? null : oldestFirst.get(steps[i]);
            layers.add(new ImageLayer(diffIds.get(i), Optional.empty(), step == null ? 0 : step.size(),
                    step == null ? "" : step.createdBy()));
        }
        layers = List.copyOf(layers);
        layersById.put(id, layers);
        return layers;
    }
}
