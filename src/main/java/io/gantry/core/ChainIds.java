package io.gantry.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Layer chain IDs exactly as Docker computes them (moby {@code layer.CreateChainID}, OCI image-spec
 * "ChainID"): the chain ID of the base layer is its diff ID; the chain ID of every further layer is
 * {@code sha256(parentChainId + " " + diffId)}, both digests written out as {@code sha256:<hex>}.
 *
 * <p>A chain ID names a whole stack of layers, not one layer: two images that both have a layer with
 * diff ID D share it only if everything below D is the same too. That is why sharing, the family
 * tree and reclaim planning all work on chain IDs.
 */
public final class ChainIds {

    private ChainIds() {
    }

    /** The chain ID of a layer with diff ID {@code diffId} applied on top of the chain {@code parent}. */
    public static Digest next(Digest parent, Digest diffId) {
        return Digest.sha256(parent + " " + diffId);
    }

    /** The chain ID of every prefix of {@code diffIds}: element i names layers 0..i. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest current = null;
        for (Digest diffId : diffIds) {
            current = current == null ? diffId : next(current, diffId);
            chain.add(current);
        }
        return List.copyOf(chain);
    }

    /** The chain ID of the whole stack (the image's top layer); empty list has none. */
    public static Digest top(List<Digest> diffIds) {
        List<Digest> all = of(diffIds);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("an empty layer list has no chain ID");
        }
        return all.get(all.size() - 1);
    }
}
