package io.gantry.service;

import io.gantry.core.ImageKey;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.rules.KeptImages;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.rules.TargetOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Delete and prune with a preview first: the preview says which tags are only untagged, which
 * images go, how many bytes come back and what is blocked and why; running it deletes nothing the
 * preview did not list. Before running, the endpoint is read again and planned again: if its state
 * changed since the preview (so the plan would differ), nothing runs and the fresh preview is
 * returned for the user to confirm. Plain Java; every method blocks on I/O.
 */
public final class ImageCleanup {

    private final ReclaimPlanner planner = new ReclaimPlanner();

    /**
     * What deleting {@code targets} would do, without and with force.
     *
     * @param targets the targets, in the order they run
     * @param plan    the plan without force
     * @param forced  the plan with force (equal to {@code plan} when nothing soft is in the way)
     */
    public record DeletePreview(List<DeleteTarget> targets, ReclaimPlan plan, ReclaimPlan forced) {
        public DeletePreview {
            targets = List.copyOf(targets);
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(forced, "forced");
        }

        /**
         * Whether force would get past a refusal: only soft conflicts (stopped containers, several
         * names), and not where the endpoint's force would do more than Gantry allows (Podman).
         */
        public boolean forceHelps() {
            for (int i = 0; i < plan.outcomes().size(); i++) {
                if (plan.outcomes().get(i).refused() && !forced.outcomes().get(i).refused()) {
                    return true;
                }
            }
            return false;
        }

        /** What force would do to the {@code i}th target. */
        public TargetOutcome forcedOutcome(int i) {
            return forced.outcomes().get(i);
        }

        /** The plan that runs with or without force. */
        public ReclaimPlan plan(boolean force) {
            return force ? forced : plan;
        }
    }

    /**
     * What a delete did.
     *
     * @param changed    the endpoint changed since the preview: nothing ran, {@code preview} is the fresh one
     * @param preview    the preview it ran on (or the fresh one when {@code changed})
     * @param results    the engine's answer per target that ran, in order
     * @param unexpected lines the engine printed that the preview did not list (empty unless the
     *                   endpoint changed between the last check and the delete itself)
     */
    public record DeleteRun(boolean changed, DeletePreview preview, List<DeleteResult> results,
                            List<String> unexpected) {
        public DeleteRun {
            results = List.copyOf(results);
            unexpected = List.copyOf(unexpected);
        }

        /** Every Untagged:/Deleted: line, in order. */
        public List<DeleteLine> lines() {
            return results.stream().flatMap(r -> r.lines().stream()).toList();
        }
    }

    /**
     * What a prune did.
     *
     * @param changed the endpoint changed since the preview: nothing ran, {@code preview} is the fresh one
     * @param preview the dry run it ran on (or the fresh one)
     * @param result  the prune's answer; empty when nothing ran
     */
    public record PruneRun(boolean changed, PruneResult preview, Optional<PruneResult> result) {
    }

    /** Plans deleting {@code targets} on the endpoint as it is now. */
    public DeletePreview previewDelete(ImageStore store, List<DeleteTarget> targets) {
        List<io.gantry.engine.KeptImage> kept = store.keptImages();
        return previewDelete(ReclaimModels.of(store), targets.stream().map(t -> KeptImages.retarget(kept, t)).toList());
    }

    /** Plans deleting {@code targets} on a model already read. */
    public DeletePreview previewDelete(ReclaimModel model, List<DeleteTarget> targets) {
        return new DeletePreview(targets, planner.planDelete(model, targets, false),
                planner.planDelete(model, targets, true));
    }

    /**
     * Runs the delete the user confirmed: only the targets the plan lets through, each as the
     * engine's own delete, in order.
     */
    public DeleteRun delete(ImageStore store, DeletePreview shown, boolean force) {
        DeletePreview fresh = previewDelete(store, shown.targets());
        ReclaimPlan plan = fresh.plan(force);
        if (!plan.records().equals(shown.plan(force).records())
                || !plan.refusals().equals(shown.plan(force).refusals())) {
            return new DeleteRun(true, fresh, List.of(), List.of());
        }
        List<DeleteResult> results = new ArrayList<>();
        List<String> expected = new ArrayList<>(plan.records().stream().map(DeleteLine::toString).toList());
        List<String> unexpected = new ArrayList<>();
        for (TargetOutcome outcome : plan.outcomes()) {
            if (outcome.refused() || outcome.records().isEmpty()) {
                continue;
            }
            DeleteResult result = store.delete(ImageKey.parse(outcome.target().toString()), force);
            results.add(result);
            for (DeleteLine line : result.lines()) {
                if (!expected.remove(line.toString())) {
                    unexpected.add(line.toString());
                }
            }
        }
        return new DeleteRun(false, shown, results, unexpected);
    }

    /** The store's dry run of a prune: exactly what it would remove and the bytes it would free. */
    public PruneResult previewPrune(ImageStore store, PruneMode mode) {
        return store.prune(mode, true);
    }

    /** Runs the prune the user confirmed, unless the endpoint changed since the preview. */
    public PruneRun prune(ImageStore store, PruneResult shown) {
        PruneResult fresh = store.prune(shown.mode(), true);
        if (!fresh.lines().equals(shown.lines()) || fresh.spaceReclaimed() != shown.spaceReclaimed()) {
            return new PruneRun(true, fresh, Optional.empty());
        }
        if (fresh.lines().isEmpty()) {
            return new PruneRun(false, shown, Optional.of(fresh));
        }
        return new PruneRun(false, shown, Optional.of(store.prune(shown.mode(), false)));
    }
}
