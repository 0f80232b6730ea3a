package io.gantry.engine;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An image's layers and history from its manifest and config, for the endpoints that keep both as
 * blobs (the embedded store, containerd): the steps that are not {@code empty_layer} made the
 * layers, in order (the OCI image spec's pairing).
 */
public final class LayerHistory {

    private LayerHistory() {
    }

    /** For each history step (oldest first), the index of the layer it made, or -1 for an empty step. */
    private static int[] layerOfStep(Manifest manifest, ImageConfig config) {
        List<ImageConfig.History> steps = config.history();
        int[] layerOf = new int[steps.size()];
        int layer = 0;
        for (int i = 0; i < layerOf.length; i++) {
            layerOf[i] = steps.get(i).emptyLayer() || layer >= manifest.layers().size() ? -1 : layer++;
        }
        return layerOf;
    }

    /** The layers, base first, each with its blob, the blob's size and the history step that made it. */
    public static List<ImageLayer> layers(Manifest manifest, ImageConfig config) {
        List<Digest> diffIds = config.diffIds();
        List<Descriptor> blobs = manifest.layers();
        String[] createdBy = new String[blobs.size()];
        int[] layerOf = layerOfStep(manifest, config);
        for (int step = 0; step < layerOf.length; step++) {
            if (layerOf[step] >= 0) {
                createdBy[layerOf[step]] = config.history().get(step).createdBy().orElse("");
            }
        }
        List<ImageLayer> layers = new ArrayList<>();
        for (int i = 0; i < Math.min(diffIds.size(), blobs.size()); i++) {
            layers.add(new ImageLayer(diffIds.get(i), Optional.of(blobs.get(i).digest()), blobs.get(i).size(),
                    createdBy[i] == null ? "" : createdBy[i]));
        }
        return layers;
    }

    /**
     * The history, newest step first, each step with the size of the layer blob it made; the newest
     * step names the image ({@code id}) and its tags.
     */
    public static List<HistoryEntry> history(Digest id, Manifest manifest, ImageConfig config, List<String> repoTags) {
        List<Descriptor> blobs = manifest.layers();
        List<ImageConfig.History> steps = config.history();
        Instant created = config.created().orElse(Instant.EPOCH);
        List<HistoryEntry> entries = new ArrayList<>();
        if (steps.isEmpty()) {
            for (Descriptor d : blobs) {
                entries.add(new HistoryEntry(Optional.empty(), created, "", d.size(), List.of(), ""));
            }
        }
        int[] layerOf = layerOfStep(manifest, config);
        for (int i = 0; i < steps.size(); i++) {
            ImageConfig.History step = steps.get(i);
            long size = layerOf[i] >= 0 ? blobs.get(layerOf[i]).size() : 0;
            entries.add(new HistoryEntry(Optional.empty(), step.created().orElse(created), step.createdBy().orElse(""),
                    size, List.of(), step.comment().orElse("")));
        }
        Collections.reverse(entries);
        if (!entries.isEmpty()) {
            HistoryEntry top = entries.get(0);
            entries.set(0, new HistoryEntry(Optional.of(id), top.created(), top.createdBy(), top.size(),
                    repoTags, top.comment()));
        }
        return entries;
    }
}
