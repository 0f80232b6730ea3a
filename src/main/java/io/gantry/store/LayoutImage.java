package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.Manifest;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageLayer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image in the layout: every {@code index.json} entry whose manifest has this config, with
 * the names they carry.
 *
 * @param id          the image ID: the config digest, as Docker counts it
 * @param manifest    the descriptor of the image manifest (for an entry that points at an index,
 *                    the manifest chosen from it for this machine's platform)
 * @param content     the parsed manifest
 * @param config      the parsed config
 * @param names       the names, in {@code index.json} order; empty for a dangling image
 * @param sourceIndex the index the manifest was chosen from, when the image came through one
 * @param sourceManifest the manifest as the registry or archive had it, when {@code manifest} is
 *                    its OCI form (a Docker v2 manifest: same config and layers, OCI media types)
 */
public record LayoutImage(Digest id, Descriptor manifest, Manifest content, ImageConfig config,
                          List<ImageName> names, Optional<Descriptor> sourceIndex, Optional<Descriptor> sourceManifest) {

    public LayoutImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(config, "config");
        names = List.copyOf(names);
        Objects.requireNonNull(sourceIndex, "sourceIndex");
        Objects.requireNonNull(sourceManifest, "sourceManifest");
    }

    /** {@code repository:tag} names, short form. */
    public List<String> repoTags() {
        return names.stream().filter(ImageName::isTag).map(ImageName::display).distinct().toList();
    }

    /** {@code repository@digest} names, short form. */
    public List<String> repoDigests() {
        return names.stream().filter(ImageName::isDigest).map(ImageName::display).distinct().toList();
    }

    /** Untagged and not known by any digest reference. */
    public boolean dangling() {
        return names.isEmpty();
    }

    /** The sum of the layer blobs' sizes. */
    public long size() {
        return content.layersSize();
    }

    /**
     * For each history step (oldest first), the index of the layer it made, or -1 for an
     * {@code empty_layer} step (ENV, CMD…): the steps that are not empty made the layers, in order
     * (the OCI image spec's pairing). The one pairing {@link #layers()} and {@link #history()} share.
     */
    private int[] layerOfStep() {
        List<ImageConfig.History> steps = config.history();
        int[] layerOf = new int[steps.size()];
        int layer = 0;
        for (int i = 0; i < layerOf.length; i++) {
            layerOf[i] = steps.get(i).emptyLayer() || layer >= content.layers().size() ? -1 : layer++;
        }
        return layerOf;
    }

    /** The layers, base first, each with its blob and the history step that made it ({@link #layerOfStep()}). */
    public List<ImageLayer> layers() {
        List<Digest> diffIds = config.diffIds();
        List<Descriptor> blobs = content.layers();
        String[] createdBy = new String[blobs.size()];
        int[] layerOf = layerOfStep();
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
     * The history, newest step first, each step with the size of the layer it made
     * ({@link #layerOfStep()}); the newest step names this image and its tags.
     */
    public List<HistoryEntry> history() {
        List<Descriptor> blobs = content.layers();
        List<ImageConfig.History> steps = config.history();
        Instant created = config.created().orElse(Instant.EPOCH);
        List<HistoryEntry> entries = new ArrayList<>();
        if (steps.isEmpty()) {
            for (Descriptor d : blobs) {
                entries.add(new HistoryEntry(Optional.empty(), created, "", d.size(), List.of(), ""));
            }
        }
        int[] layerOf = layerOfStep();
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
                    repoTags(), top.comment()));
        }
        return entries;
    }
}
