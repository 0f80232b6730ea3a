package io.gantry.store;

import io.gantry.core.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs (OCI image-spec): the identity of a layer together with everything below it, so two
 * images share a layer only when they share the whole stack up to it. {@code ChainID(L0) =
 * DiffID(L0)}, {@code ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln))}.
 *
 * <p>The store needs them for {@code docker system df}'s SHARED column; the layer analysis in
 * {@code service.analysis} has its own, a layer above.
 */
final class ChainIds {

    private ChainIds() {
    }

    static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId : Digest.sha256(previous + " " + diffId);
            chain.add(previous);
        }
        return chain;
    }
}
