package io.gantry.engine.rules;

import io.gantry.core.Digest;
import io.gantry.engine.DeleteLine;
import java.util.List;
import java.util.Objects;

/**
 * The preview of a delete or prune: what the engine will answer, which tags only lose their name,
 * which images go, which layers go with them and how many bytes that frees (each layer once), and
 * what is refused and why.
 *
 * @param outcomes      per target, in the order they are executed
 * @param untaggedOnly  references removed from images that stay (removing one of several tags)
 * @param deletedImages images that are deleted, in order
 * @param freedLayers   layers (by chain ID) no remaining image or container uses any more, each once
 * @param bytesFreed    sum of the freed layers' sizes: the engine's {@code SpaceReclaimed} for a prune
 * @param refusals      every refused target's reason
 */
public record ReclaimPlan(List<TargetOutcome> outcomes, List<String> untaggedOnly, List<Digest> deletedImages,
                          List<FreedLayer> freedLayers, long bytesFreed, List<DeleteRefusal> refusals) {

    /** A layer chain that goes, with its size. */
    public record FreedLayer(Digest chainId, long size) {
    }

    public ReclaimPlan {
        outcomes = List.copyOf(outcomes);
        untaggedOnly = List.copyOf(untaggedOnly);
        deletedImages = List.copyOf(deletedImages);
        freedLayers = List.copyOf(freedLayers);
        refusals = List.copyOf(refusals);
        Objects.requireNonNull(outcomes, "outcomes");
    }

    /** Every response line of every target, in order: what the CLI prints after {@code docker rmi}. */
    public List<DeleteLine> records() {
        return outcomes.stream().flatMap(o -> o.records().stream()).toList();
    }

    /** Whether every target goes through. */
    public boolean clean() {
        return refusals.isEmpty();
    }
}
