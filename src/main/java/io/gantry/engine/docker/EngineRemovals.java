package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.rules.TargetOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes and prunes on an engine, and what Docker's rules ({@code engine.rules}) say about them:
 * the engine's own delete, its refusals named by the rules on a fresh {@link EngineSnapshot}, the
 * engine's prune and its dry run planned by the rules, and on Podman the hard conflicts Gantry
 * applies first and the prune Gantry carries out itself.
 */
final class EngineRemovals {

    private final DockerEngineStore store;
    private final EngineApi api;
    private final EngineImages images;
    /** Docker's image rules, which name a refusal, preview a prune and guard Podman's deletes. */
    private final ReclaimPlanner planner = new ReclaimPlanner();

    EngineRemovals(DockerEngineStore store, EngineApi api, EngineImages images) {
        this.store = store;
        this.api = api;
        this.images = images;
    }

    DeleteResult delete(ImageKey key, boolean force) {
        String image = key.text();
        String op = (force ? "force-delete " : "delete ") + image + " on " + store.name();
        String path = "/images/" + EngineApi.imagePath(op, image) + "?force=" + (force ? "1" : "0") + "&noprune=0";
        boolean onPodman = store.podman(op);
        if (onPodman) {
            Optional<DeleteConflict> hard = podmanHardConflict(op, key, force);
            if (hard.isPresent()) {
                return DeleteResult.refused(image, true, hard.get());
            }
        }
        try (EngineApi.Response response = api.send(op, "DELETE", path, Map.of(), null, EngineApi.Speed.SLOW)) {
            return DeleteResult.done(image, force, lines(response.json()));
        } catch (GantryException e) {
            int status = e.httpStatus().orElse(0);
            // Podman answers a delete by ID of an image with several names with 500, not 409.
            if (status != 409 && !(onPodman && status == 500)) {
                throw e;
            }
            DeleteConflict conflict = nameConflict(op, key, force, e);
            if (status != 409 && conflict.kind() == DeleteConflict.Kind.UNKNOWN) {
                throw e;
            }
            return DeleteResult.refused(image, force, conflict);
        }
    }

    /**
     * Podman's forced delete removes the containers that use the image, running ones too (its
     * compat API does what {@code podman rmi -f} does), and a delete by ID of an image other images
     * are built on only untags it. Docker does neither, so on Podman Gantry plays the delete on the
     * rules first (a model that knows force removes containers: {@link ReclaimModel#forceRemovesContainers})
     * and refuses what they refuse hard: child images refuse a delete by ID or a forced one, a
     * running container a forced one. Stopped containers are removed with a forced delete (the
     * preview says so). The window's preview plans on the same rules, so it shows the same refusal.
     */
    private Optional<DeleteConflict> podmanHardConflict(String op, ImageKey key, boolean force) {
        EngineSnapshot state = snapshot(op, false);
        Optional<DeleteTarget> target = state.target(key, true);
        if (target.isEmpty()) {
            return Optional.empty(); // the engine answers for what it cannot find
        }
        TargetOutcome outcome = planner.planDelete(state.model(), List.of(target.get()), force).outcomes().get(0);
        return outcome.refusal().filter(r -> r.reason().hard())
                .map(r -> state.conflict(r.reason().conflictKind(),
                        r.imageId().orElseGet(() -> state.imageId(target.get())), r.message()));
    }

    /**
     * The engine refused: read its state again and play the delete on Docker's rules to say which
     * rule it was and what is in the way. The engine's message is kept for display, never parsed.
     * When the rules find no conflict (the state changed in between) the kind is {@code UNKNOWN}.
     */
    private DeleteConflict nameConflict(String op, ImageKey key, boolean force, GantryException refusal) {
        EngineSnapshot state = snapshot(op, false);
        Optional<DeleteTarget> target = state.target(key, store.podman(op));
        if (target.isEmpty()) {
            Digest id;
            try {
                id = store.inspect(key.text()).id();
            } catch (GantryException e) {
                throw refusal;
            }
            return state.conflict(DeleteConflict.Kind.UNKNOWN, id, refusal.getMessage());
        }
        TargetOutcome outcome = planner.planDelete(state.model(), List.of(target.get()), force).outcomes().get(0);
        Digest id = outcome.refusal().flatMap(DeleteRefusal::imageId).orElseGet(() -> state.imageId(target.get()));
        DeleteConflict.Kind kind = outcome.refusal().map(r -> r.reason().conflictKind())
                .orElse(DeleteConflict.Kind.UNKNOWN);
        return state.conflict(kind, id, refusal.getMessage());
    }

    /**
     * The {@code Untagged:} and {@code Deleted:} lines of a delete or prune report, the untagged
     * ones first as Docker writes them (Podman writes its {@code Deleted:} first, with a bare-hex ID
     * and full names).
     */
    private static List<DeleteLine> lines(JsonNode items) {
        List<DeleteLine> untagged = new ArrayList<>();
        List<DeleteLine> deleted = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.hasNonNull("Untagged") && !item.get("Untagged").asText().isEmpty()) {
                untagged.add(DeleteLine.untagged(EngineJson.familiar(item.get("Untagged").asText())));
            }
            if (item.hasNonNull("Deleted") && !item.get("Deleted").asText().isEmpty()) {
                deleted.add(DeleteLine.deleted(EngineJson.normalizeId(item.get("Deleted").asText())));
            }
        }
        untagged.addAll(deleted);
        return untagged;
    }

    /**
     * The engine's own prune ({@code POST /images/prune}); its dry run is the prune played on
     * Docker's rules over a snapshot of the engine's images, containers and layers.
     */
    PruneResult prune(PruneMode mode, boolean dryRun) {
        String op = (dryRun ? "preview pruning " : "prune ") + (mode == PruneMode.DANGLING ? "dangling" : "unused")
                + " images on " + store.name();
        if (store.podman(op)) {
            return prunePodman(op, mode, dryRun);
        }
        if (dryRun) {
            ReclaimPlan plan = planner.planPrune(snapshot(op, true).model(), mode == PruneMode.ALL_UNUSED);
            return new PruneResult(mode, true, plan.records(), plan.deletedImages(), plan.bytesFreed());
        }
        Set<Digest> imagesBefore = new HashSet<>();
        for (JsonNode node : api.get(op, "/images/json?all=1")) {
            imagesBefore.add(EngineJson.digest(node.path("Id").asText()));
        }
        String filters = "{\"dangling\":[\"" + (mode == PruneMode.DANGLING) + "\"]}";
        JsonNode report;
        try (EngineApi.Response response = api.send(op, "POST", "/images/prune?filters=" + EngineApi.query(filters),
                Map.of(), null, EngineApi.Speed.SLOW)) {
            report = response.json();
        }
        List<DeleteLine> lines = lines(report.path("ImagesDeleted"));
        List<Digest> deleted = lines.stream()
                .filter(l -> l.action() == DeleteLine.Action.DELETED && Digest.isDigest(l.value()))
                .map(l -> EngineJson.digest(l.value())).filter(imagesBefore::contains).toList();
        return new PruneResult(mode, false, lines, deleted, report.path("SpaceReclaimed").asLong());
    }

    /**
     * Prune on Podman, carried out by Gantry. Podman's {@code POST /images/prune} refuses
     * {@code dangling=false} ("specifying "dangling" filter more than once with different values is
     * not supported", so {@code prune -a} cannot be asked for), reports one {@code Deleted:} line per
     * image and no layers, and counts every image's full size as reclaimed, shared layers too. So
     * Gantry plans the prune with Docker's rules on a snapshot (the preview, without layer lines,
     * which Podman does not print) and carries it out as plain, unforced deletes in the plan's order:
     * each {@code Untagged:} of the plan removes that name, each image the plan deletes and Podman
     * has not yet removed with its last name is deleted by ID. A delete the engine now refuses (a
     * container created meanwhile) is skipped. The lines are Podman's answers; the bytes are the
     * layers (by chain ID) that images and containers held before and no longer hold after, each
     * counted once.
     */
    private PruneResult prunePodman(String op, PruneMode mode, boolean dryRun) {
        EngineSnapshot before = snapshot(op, true);
        ReclaimPlan plan = planner.planPrune(before.model(), mode == PruneMode.ALL_UNUSED);
        Set<String> planned = new HashSet<>();
        plan.deletedImages().forEach(id -> planned.add(id.toString()));
        if (dryRun) {
            List<DeleteLine> lines = plan.records().stream()
                    .filter(l -> l.action() == DeleteLine.Action.UNTAGGED || planned.contains(l.value())).toList();
            return new PruneResult(mode, true, lines, plan.deletedImages(), plan.bytesFreed());
        }
        List<DeleteLine> lines = new ArrayList<>();
        Set<String> gone = new HashSet<>();
        for (DeleteLine step : plan.records()) {
            boolean untag = step.action() == DeleteLine.Action.UNTAGGED;
            if (!untag && (!planned.contains(step.value()) || gone.contains(step.value()))) {
                continue; // a layer line, or an image Podman removed with its last name
            }
            String target = step.value(); // a name, or sha256:<hex> (Podman reads a bare 64-hex it cannot find as a name: 500)
            String path = "/images/" + EngineApi.imagePath(op, target) + "?force=0&noprune=0";
            try (EngineApi.Response response = api.send(op, "DELETE", path, Map.of(), null, EngineApi.Speed.SLOW)) {
                List<DeleteLine> answer = lines(response.json());
                answer.stream().filter(l -> l.action() == DeleteLine.Action.DELETED).forEach(l -> gone.add(l.value()));
                lines.addAll(answer);
            } catch (GantryException e) {
                int status = e.httpStatus().orElse(0);
                if (status != 404 && status != 409 && status != 500) {
                    throw e;
                }
                if (status == 404 && !untag) {
                    // Podman removed it already, with the child deleted before it, without saying so.
                    lines.add(DeleteLine.deleted(step.value()));
                    gone.add(step.value());
                }
                // otherwise skipped, as moby's prune skips an image whose delete fails
            }
        }
        EngineSnapshot after = snapshot(op, true);
        Set<Digest> held = after.heldLayers();
        Map<Digest, Long> sizes = before.layerSizes();
        long reclaimed = before.heldLayers().stream().filter(chain -> !held.contains(chain))
                .mapToLong(chain -> sizes.getOrDefault(chain, 0L)).sum();
        Set<Digest> remaining = new HashSet<>();
        after.model().images().forEach(i -> remaining.add(i.id()));
        List<Digest> deleted = before.model().images().stream().map(ReclaimModel.Image::id)
                .filter(id -> !remaining.contains(id)).sorted().toList();
        return new PruneResult(mode, false, lines, deleted, reclaimed);
    }

    /**
     * The engine's state for Docker's rules: every image (with {@code all=1}, so intermediate ones
     * too) with parent and references, every container, and with {@code withLayers} each image's
     * layers (for the bytes a plan frees). Podman's RepoDigests are derived from the image's names
     * and manifest digest, not entries of a reference store that a delete removes one by one, so on
     * Podman they are not references.
     */
    private EngineSnapshot snapshot(String op, boolean withLayers) {
        JsonNode all = api.get(op, "/images/json?all=1");
        List<ContainerRef> containers = store.containers();
        boolean digestsAreReferences = !store.podman(op);
        List<ReclaimModel.Image> modelled = new ArrayList<>();
        for (JsonNode node : all) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            List<String> refs = new ArrayList<>(EngineJson.repoTags(node));
            if (digestsAreReferences) {
                refs.addAll(EngineJson.repoDigests(node));
            }
            modelled.add(new ReclaimModel.Image(id, refs, EngineJson.parent(node, "ParentId"),
                    withLayers ? images.layers(op, id) : List.of()));
        }
        List<ReclaimModel.Container> users = containers.stream()
                .map(c -> new ReclaimModel.Container(c.id(), c.imageId(), c.running())).toList();
        boolean podman = !digestsAreReferences;
        return new EngineSnapshot(new ReclaimModel(modelled, users, ReclaimModel.LayerKey.CHAIN_ID, true, podman),
                containers);
    }
}
