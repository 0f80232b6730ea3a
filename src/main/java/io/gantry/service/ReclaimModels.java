package io.gantry.service;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.service.analysis.LayerRef;
import io.gantry.service.analysis.ReclaimModel;
import io.gantry.store.LayoutImage;
import io.gantry.store.OciLayoutStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an endpoint's images and containers into the {@link ReclaimModel} that reclaim planning
 * works on. The embedded store gives blob digests and sizes; an engine gives diff IDs, parents and
 * the unpacked layer sizes its history reports (what {@code docker system df} adds up).
 *
 * <p>Intermediate images of classic builds are not listed by {@link ImageStore#listImages()}, so a
 * parent link to one is left out; the plan may then miss that the parent would be pruned too.
 */
public final class ReclaimModels {

    private ReclaimModels() {
    }

    /** The endpoint's state now; blocks on I/O. */
    public static ReclaimModel of(ImageStore store) {
        if (store instanceof OciLayoutStore layout) {
            List<ReclaimModel.Image> images = new ArrayList<>();
            for (LayoutImage image : layout.images()) {
                List<String> references = new ArrayList<>(image.repoTags());
                references.addAll(image.repoDigests());
                images.add(ReclaimModel.Image.of(image.id(), references, layoutLayers(image)));
            }
            return new ReclaimModel(images, List.of());
        }
        List<ImageSummary> summaries = store.listImages();
        Set<Digest> listed = new HashSet<>();
        summaries.forEach(summary -> listed.add(summary.id()));
        List<ReclaimModel.Image> images = new ArrayList<>();
        for (ImageSummary summary : summaries) {
            String id = summary.id().toString();
            ImageDetails details = store.inspect(id);
            List<String> references = new ArrayList<>(details.repoTags());
            references.addAll(details.repoDigests());
            Optional<Digest> parent = details.parent().filter(listed::contains);
            images.add(new ReclaimModel.Image(summary.id(), references, parent,
                    engineLayers(details, store.history(id))));
        }
        List<ReclaimModel.Container> containers = new ArrayList<>();
        for (ContainerRef container : store.containers()) {
            containers.add(new ReclaimModel.Container(container.id(), container.imageId(), container.running()));
        }
        return new ReclaimModel(images, containers);
    }

    /** The layers of an embedded-store image: blob digests and sizes, history lines that made a layer. */
    static List<LayerRef> layoutLayers(LayoutImage image) {
        List<Digest> diffIds = image.config().diffIds();
        List<Descriptor> blobs = image.content().layers();
        List<String> steps = image.config().history().stream().filter(h -> !h.emptyLayer())
                .map(h -> h.createdBy().orElse("")).toList();
        List<LayerRef> layers = new ArrayList<>();
        for (int i = 0; i < Math.min(diffIds.size(), blobs.size()); i++) {
            layers.add(new LayerRef(diffIds.get(i), blobs.get(i).digest(), blobs.get(i).size(),
                    i < steps.size() ? steps.get(i) : ""));
        }
        return layers;
    }

    /**
     * An engine image's layers: diff IDs from inspect, sizes and created-by from history. History
     * does not mark which steps made a layer; every step with bytes did, and the zero-byte steps
     * needed to make up the count are taken oldest first (as the engine store does for prune).
     */
    static List<LayerRef> engineLayers(ImageDetails details, List<HistoryEntry> newestFirst) {
        List<HistoryEntry> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        int count = details.diffIds().size();
        long withBytes = oldestFirst.stream().filter(h -> h.size() > 0).count();
        long zeroLayers = count - withBytes;
        List<HistoryEntry> steps = new ArrayList<>();
        for (HistoryEntry entry : oldestFirst) {
            if (steps.size() >= count) {
                break;
            }
            if (entry.size() > 0) {
                steps.add(entry);
            } else if (zeroLayers > 0) {
                steps.add(entry);
                zeroLayers--;
            }
        }
        List<LayerRef> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Digest diffId = details.diffIds().get(i);
            HistoryEntry step = i < steps.size() ? steps.get(i) : null;
            layers.add(new LayerRef(diffId, diffId, step == null ? 0 : step.size(),
                    step == null ? "" : step.createdBy()));
        }
        return layers;
    }
}
