package io.gantry.service;

import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.engine.Capabilities;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.LocalImage;
import java.util.HashSet;
import java.util.Set;

/**
 * The layers an endpoint already has, to mark a remote image's layers before a pull ({@code gantry
 * manifest inspect -s} and the search window's summary), counted as that endpoint's pull skips them:
 * an endpoint that keeps layer blobs (the embedded store, containerd) downloads every blob it does
 * not hold by digest, even when it has the same layer as another blob (uncompressed from a {@code
 * docker save} archive, or compressed otherwise), so only its blobs count; an engine, which keeps
 * unpacked layers, says "Already exists" for a layer it has, so its diff IDs count.
 *
 * @param diffIds the diff IDs of the endpoint's layers (empty for an endpoint that keeps blobs)
 * @param blobs   the layer blobs it keeps (empty for an engine, which keeps unpacked layers)
 * @param known   false when the endpoint could not say (then both sets are empty)
 */
public record LocalLayers(Set<Digest> diffIds, Set<Digest> blobs, boolean known) {

    public LocalLayers {
        diffIds = Set.copyOf(diffIds);
        blobs = Set.copyOf(blobs);
    }

    /** Nothing known: no endpoint, or one that did not answer. */
    public static LocalLayers unknown() {
        return new LocalLayers(Set.of(), Set.of(), false);
    }

    /** What {@code store} holds now; {@link #unknown()} when it fails to answer. Blocks: call it off the FX thread. */
    public static LocalLayers of(ImageStore store) {
        boolean keepsBlobs = store.capabilities().has(Capabilities.Capability.LAYER_BLOBS);
        Set<Digest> diffIds = new HashSet<>();
        Set<Digest> blobs = new HashSet<>();
        try {
            for (LocalImage image : store.localImages()) {
                for (ImageLayer layer : image.layers()) {
                    if (!keepsBlobs) {
                        diffIds.add(layer.diffId());
                    }
                    layer.blob().ifPresent(blobs::add);
                }
            }
        } catch (GantryException e) {
            return unknown(); // the endpoint cannot say now; a summary stands without it
        }
        return new LocalLayers(diffIds, blobs, true);
    }
}
