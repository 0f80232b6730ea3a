package io.gantry.service;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.service.analysis.ImageSharing;
import io.gantry.service.analysis.LayerRef;
import io.gantry.service.analysis.LayerSharing;
import io.gantry.service.analysis.SharedLayers;
import io.gantry.store.LayoutImage;
import io.gantry.store.OciLayoutStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An image's layers with size, created-by and the other images that share each one (by chain ID),
 * for {@code gantry layers} and the Layers view. The embedded store gives exact blob digests and
 * sizes; an engine gives diff IDs and the sizes its history reports.
 */
public final class LayerRows {

    private LayerRows() {
    }

    /**
     * One layer row.
     *
     * @param index      0 for the base layer
     * @param diffId     the uncompressed layer digest
     * @param blob       the stored blob digest (the diff ID where the endpoint keeps no blobs)
     * @param chainId    the chain ID up to this layer
     * @param size       bytes (compressed in the embedded store, unpacked in an engine)
     * @param createdBy  the build step that made it
     * @param sharedWith names (first tag, else short ID) of the other images sharing this chain
     */
    public record Row(int index, Digest diffId, Digest blob, Digest chainId, long size, String createdBy,
                      List<String> sharedWith) {
        public Row {
            Objects.requireNonNull(diffId, "diffId");
            sharedWith = List.copyOf(sharedWith);
        }
    }

    /** The layers of {@code image} on {@code store}, sharing computed over all its images. */
    public static List<Row> of(ImageStore store, String image) {
        Digest id = store.inspect(image).id();
        List<ImageLayers> all = allImages(store);
        SharedLayers shared = SharedLayers.of(all);
        Map<Digest, String> names = new HashMap<>();
        all.forEach(i -> names.put(i.imageId(), i.tags().isEmpty() ? i.imageId().shortHex() : i.tags().get(0)));
        ImageSharing sharing = shared.image(id).orElseThrow();
        List<Row> rows = new ArrayList<>();
        for (LayerSharing layer : sharing.layers()) {
            rows.add(new Row(layer.index(), layer.layer().diffId(), layer.layer().blobDigest(), layer.chainId(),
                    layer.layer().size(), layer.layer().createdBy(),
                    layer.sharedWith().stream().map(names::get).toList()));
        }
        return rows;
    }

    /** Every image of the store as the analysis wants it. */
    public static List<ImageLayers> allImages(ImageStore store) {
        List<ImageLayers> images = new ArrayList<>();
        if (store instanceof OciLayoutStore layout) {
            for (LayoutImage image : layout.images()) {
                images.add(fromLayout(image));
            }
            return images;
        }
        for (ImageSummary summary : store.listImages()) {
            images.add(fromEngine(summary, store.inspect(summary.id().toString()), store.history(summary.id().toString())));
        }
        return images;
    }

    private static ImageLayers fromLayout(LayoutImage image) {
        List<Digest> diffIds = image.config().diffIds();
        List<Descriptor> blobs = image.content().layers();
        List<String> steps = image.config().history().stream().filter(h -> !h.emptyLayer())
                .map(h -> h.createdBy().orElse("")).toList();
        List<LayerRef> layers = new ArrayList<>();
        for (int i = 0; i < Math.min(diffIds.size(), blobs.size()); i++) {
            layers.add(new LayerRef(diffIds.get(i), blobs.get(i).digest(), blobs.get(i).size(),
                    i < steps.size() ? steps.get(i) : ""));
        }
        return new ImageLayers(image.id(), image.repoTags(), layers);
    }

    /** Pairs diff IDs with the history steps that made a layer (oldest first); an engine's sizes are unpacked. */
    private static ImageLayers fromEngine(ImageSummary summary, ImageDetails details, List<HistoryEntry> history) {
        List<HistoryEntry> oldestFirst = new ArrayList<>(history);
        java.util.Collections.reverse(oldestFirst);
        List<HistoryEntry> layerSteps = oldestFirst.stream().filter(h -> h.size() > 0).toList();
        boolean aligned = layerSteps.size() == details.diffIds().size();
        List<LayerRef> layers = new ArrayList<>();
        for (int i = 0; i < details.diffIds().size(); i++) {
            Digest diffId = details.diffIds().get(i);
            long size = aligned ? layerSteps.get(i).size() : 0;
            String createdBy = aligned ? layerSteps.get(i).createdBy() : "";
            layers.add(new LayerRef(diffId, diffId, size, createdBy));
        }
        return new ImageLayers(summary.id(), summary.repoTags(), layers);
    }

}
