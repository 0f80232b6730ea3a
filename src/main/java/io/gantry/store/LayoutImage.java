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
     * The layers of an image's other index entries (each entry's layers, in {@code index.json}
     * order) that are other blobs than its first entry's: each blob once ({@link
     * io.gantry.engine.LocalImage#otherCopies()}).
     */
    static List<ImageLayer> otherCopies(List<List<ImageLayer>> entryLayers) {
        java.util.Set<io.gantry.core.Digest> seen = new java.util.HashSet<>();
        entryLayers.get(0).forEach(l -> seen.add(l.blobOrDiffId()));
        List<ImageLayer> others = new java.util.ArrayList<>();
        for (List<ImageLayer> layers : entryLayers.subList(1, entryLayers.size())) {
            for (ImageLayer layer : layers) {
                if (seen.add(layer.blobOrDiffId())) {
                    others.add(layer);
                }
            }
        }
        return others;
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
