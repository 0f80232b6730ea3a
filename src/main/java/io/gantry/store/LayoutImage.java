package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.Manifest;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.LayerHistory;
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
        return repoTags(names);
    }

    /** {@code repository@digest} names, short form. */
    public List<String> repoDigests() {
        return repoDigests(names);
    }

    static List<String> repoTags(List<ImageName> names) {
        return names.stream().filter(ImageName::isTag).map(ImageName::display).distinct().toList();
    }

    static List<String> repoDigests(List<ImageName> names) {
        return names.stream().filter(ImageName::isDigest).map(ImageName::display).distinct().toList();
    }

    /**
     * The blob sets one image's index entries keep ({@link io.gantry.engine.ImageCopy}), one per
     * manifest in {@code index.json} order, each with the names of its entries; a manifest that an
     * entry without a name also keeps has no names (no untag drops it). Empty when every entry
     * keeps the same manifest: the image is kept once.
     *
     * @param entries     the image's entries
     * @param entryLayers each entry's layers, in the same order
     */
    static List<io.gantry.engine.ImageCopy> copies(List<IndexEntry> entries, List<List<ImageLayer>> entryLayers) {
        java.util.Map<io.gantry.core.Digest, Integer> byManifest = new java.util.LinkedHashMap<>();
        List<List<String>> names = new java.util.ArrayList<>();
        List<Boolean> unnamed = new java.util.ArrayList<>();
        List<List<ImageLayer>> layers = new java.util.ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry entry = entries.get(i);
            int copy = byManifest.computeIfAbsent(entry.descriptor().digest(), d -> byManifest.size());
            if (copy == names.size()) {
                names.add(new java.util.ArrayList<>());
                unnamed.add(false);
                layers.add(entryLayers.get(i));
            }
            int at = copy;
            entry.name().ifPresentOrElse(n -> names.get(at).add(n.display()), () -> unnamed.set(at, true));
        }
        if (names.size() < 2) {
            return List.of();
        }
        List<io.gantry.engine.ImageCopy> copies = new java.util.ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            copies.add(new io.gantry.engine.ImageCopy(unnamed.get(c) ? List.of() : names.get(c), layers.get(c)));
        }
        return copies;
    }

    /** Untagged and not known by any digest reference. */
    public boolean dangling() {
        return names.isEmpty();
    }

    /** The layer blobs' sizes, each blob once, as the listing's SIZE. */
    public long size() {
        return content.storedLayersSize();
    }

    /** The layers, base first, each with its blob and the history step that made it ({@link LayerHistory}). */
    public List<ImageLayer> layers() {
        return LayerHistory.layers(content, config);
    }

    /** The history, newest step first, each step with the size of the layer it made; the newest names this image. */
    public List<HistoryEntry> history() {
        return LayerHistory.history(id, content, config, repoTags());
    }
}
