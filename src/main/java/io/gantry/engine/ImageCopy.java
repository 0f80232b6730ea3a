package io.gantry.engine;

import java.util.List;

/**
 * One of the blob sets a blob store keeps an image as: the embedded store can hold one image (one
 * config) under several manifests, for example gzipped from a registry under one name and
 * uncompressed from Docker under another. An engine keeps every image once and has none.
 *
 * @param references the names that keep this copy ({@code repo:tag}, {@code repo@sha256:…}): when
 *                   all of them are removed the store drops the copy and frees the blobs no other
 *                   copy or image uses. Empty when something else keeps it (an entry without a
 *                   name), so no untag drops it.
 * @param layers     its layers, base first
 */
public record ImageCopy(List<String> references, List<ImageLayer> layers) {

    public ImageCopy {
        references = List.copyOf(references);
        layers = List.copyOf(layers);
    }

    /** {@code first}, then the layers of {@code copies} that are other blobs, each once, in order. */
    public static List<ImageLayer> union(List<ImageLayer> first, List<ImageCopy> copies) {
        if (copies.isEmpty()) {
            return first;
        }
        java.util.Set<io.gantry.core.Digest> seen = new java.util.HashSet<>();
        first.forEach(l -> seen.add(l.blobOrDiffId()));
        List<ImageLayer> all = new java.util.ArrayList<>(first);
        for (ImageCopy copy : copies) {
            for (ImageLayer layer : copy.layers()) {
                if (seen.add(layer.blobOrDiffId())) {
                    all.add(layer);
                }
            }
        }
        return all;
    }
}
