package io.gantry.engine.rules;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans deletes and prunes before they happen, for the preview the user confirms: which names are
 * only removed, which images go, how many bytes come back (each layer once, and only layers no
 * remaining image or container uses), and what is refused and why. Pure: works on a
 * {@link ReclaimModel}, never touches an engine or store.
 *
 * <p>The rules are moby's ({@code daemon/images/image_delete.go}, {@code image_prune.go}):
 * <ul>
 *   <li>Deleting by name removes that name. If the image has other names it stays ("untag only");
 *       otherwise it is deleted too, unless something holds it, in which case it stays dangling.
 *       Removing the last name of an image a container uses is refused unless forced.</li>
 *   <li>Deleting by ID deletes the image and all its names. Hard conflicts, never forceable:
 *       dependent child images, a running container. Soft conflicts, forceable: a stopped container,
 *       names in several repositories (or several tags).</li>
 *   <li>After a delete, untagged parent images without other children or containers go too
 *       ({@code --no-prune} turns that off).</li>
 *   <li>Targets are played in order on one state, as {@code docker rmi a b c} does; a refused target
 *       changes nothing and the next one still runs.</li>
 * </ul>
 *
 * <p>The plan's records are the engine's response lines, so "the executed delete frees what the
 * plan said" can be checked line by line and byte by byte. Stateless and thread-safe.
 */
public final class ReclaimPlanner {

    /** {@code docker rmi [--force] targets…}, parents pruned (the engine's default). */
    public ReclaimPlan planDelete(ReclaimModel model, List<DeleteTarget> targets, boolean force) {
        return planDelete(model, targets, force, true);
    }

    /** {@code docker rmi [--force] [--no-prune] targets…}. */
    public ReclaimPlan planDelete(ReclaimModel model, List<DeleteTarget> targets, boolean force,
                                  boolean pruneParents) {
        DeleteSimulation simulation = new DeleteSimulation(model);
        List<TargetOutcome> outcomes = new ArrayList<>();
        for (DeleteTarget target : targets) {
            outcomes.add(simulation.delete(target, force, pruneParents));
        }
        return summarize(simulation, outcomes);
    }

    /**
     * {@code docker image prune} ({@code all = false}: dangling images, i.e. untagged and not a
     * parent of another image) or {@code docker image prune -a} ({@code all = true}: every image no
     * container uses). Images a container holds are not deleted; they appear in the refusals, which
     * the engine itself skips silently.
     */
    public ReclaimPlan planPrune(ReclaimModel model, boolean all) {
        DeleteSimulation simulation = new DeleteSimulation(model);
        return summarize(simulation, simulation.prune(all));
    }

    /**
     * What {@code key} names in the model, as moby's {@code GetImage} resolves it: a full image ID;
     * else a reference one of the images has (compared in full form, so {@code app} finds
     * {@code app:latest}), given as that image lists it; else a unique image ID prefix. Empty when
     * nothing (or more than one image, for a prefix) matches.
     */
    public Optional<DeleteTarget> target(ReclaimModel model, ImageKey key) {
        if (key.id().isPresent()) {
            Digest id = key.id().get();
            return model.images().stream().anyMatch(i -> i.id().equals(id)) ? Optional.of(DeleteTarget.id(id))
                    : Optional.empty();
        }
        if (key.reference().isPresent()) {
            String wanted = key.reference().get().toString();
            for (ReclaimModel.Image image : model.images()) {
                for (String reference : image.references()) {
                    if (DeleteSimulation.full(reference).equals(wanted)) {
                        return Optional.of(DeleteTarget.reference(reference));
                    }
                }
            }
        }
        if (key.idPrefix().isPresent()) {
            String prefix = key.idPrefix().get();
            List<Digest> matches = model.images().stream().map(ReclaimModel.Image::id)
                    .filter(id -> id.hex().startsWith(prefix)).distinct().toList();
            if (matches.size() == 1) {
                return Optional.of(DeleteTarget.id(matches.get(0)));
            }
        }
        return Optional.empty();
    }

    private static ReclaimPlan summarize(DeleteSimulation simulation, List<TargetOutcome> outcomes) {
        List<DeleteRefusal> refusals = new ArrayList<>();
        for (TargetOutcome outcome : outcomes) {
            outcome.refusal().ifPresent(refusals::add);
        }
        List<ReclaimPlan.FreedLayer> freed = simulation.freedLayers();
        long bytes = freed.stream().mapToLong(ReclaimPlan.FreedLayer::size).sum();
        List<Digest> deleted = simulation.deletedImages();
        return new ReclaimPlan(outcomes, simulation.untaggedOnly(), deleted, freed, bytes, refusals);
    }
}
