package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.ImageCopy;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.LayerHistory;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.rules.TargetOutcome;
import io.gantry.store.LayoutContent.Resolution;
import io.gantry.store.LayoutContent.Resolved;
import io.gantry.store.LayoutContent.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker rmi} and {@code docker image prune} on the layout, decided by the one model of
 * Docker's rules ({@link ReclaimPlanner}, layers counted by blob): the store plans on its index
 * under the lock, applies the plan to {@code index.json}, collects the blobs nothing references,
 * and answers with the plan's lines — {@code Untagged: ref}, {@code Deleted: <image ID>}, then
 * {@code Deleted: <layer blob>} for each layer freed. A preview planned on the same state through
 * the port gives the same lines and bytes.
 */
final class LayoutRemovals {

    private final ReclaimPlanner planner = new ReclaimPlanner();
    private final StoreLocks locks;
    private final LayoutIndex index;
    private final LayoutContent content;
    private final LayoutGc gc;
    private final WorkFiles work;

    LayoutRemovals(StoreLocks locks, LayoutIndex index, LayoutContent content, LayoutGc gc, WorkFiles work) {
        this.locks = locks;
        this.index = index;
        this.content = content;
        this.gc = gc;
        this.work = work;
    }

    /**
     * The layout's images as the rules see them: names, no parents, no containers, layers by blob,
     * and an image kept under several manifests with the layers of all of them (each blob once) and
     * its copies (which names keep which blob set), as {@code LayoutImages.localImages} gives them to
     * a preview through the port.
     */
    static ReclaimModel model(List<Resolved> resolved) {
        Map<Digest, List<Resolved>> byId = new LinkedHashMap<>();
        resolved.forEach(r -> byId.computeIfAbsent(r.imageId(), k -> new ArrayList<>()).add(r));
        List<ReclaimModel.Image> modelled = new ArrayList<>();
        byId.forEach((id, same) -> {
            List<ImageName> names = IndexEntry.names(same.stream().map(Resolved::entry).toList());
            List<String> references = new ArrayList<>(LayoutImage.repoTags(names));
            references.addAll(LayoutImage.repoDigests(names));
            List<List<ImageLayer>> entryLayers = same.stream().map(r -> LayerHistory.layers(r.manifest(), r.config())).toList();
            List<ImageCopy> copies = LayoutImage.copies(same.stream().map(Resolved::entry).toList(), entryLayers);
            modelled.add(ReclaimModel.Image.of(id, references, ImageCopy.union(entryLayers.get(0), copies), copies));
        });
        return new ReclaimModel(modelled, List.of(), ReclaimModel.LayerKey.BLOB);
    }

    DeleteResult delete(String nameOrId, boolean force) {
        String op = "delete " + nameOrId;
        List<DeleteLine> records = new ArrayList<>();
        DeleteRefusal[] refusal = {null};
        Digest[] imageId = {null};
        List<String> names = new ArrayList<>();
        Set<Digest> candidates = new LinkedHashSet<>();
        List<IndexEntry> before = new ArrayList<>();
        try (StoreLocks.Held held = locks.shared(op)) {
            List<IndexEntry> after = index.update(op, entries -> {
                records.clear();
                before.clear();
                refusal[0] = null;
                Resolution resolution = content.resolve(entries);
                Target target = content.find(nameOrId, resolution, op);
                LayoutImage image = target.image();
                imageId[0] = image.id();
                names.clear();
                image.names().forEach(n -> names.add(n.display()));
                DeleteTarget asked = target.name().map(n -> DeleteTarget.reference(n.display()))
                        .orElse(DeleteTarget.id(image.id()));
                ReclaimPlan plan = planner.planDelete(model(resolution.resolved()), List.of(asked), force);
                TargetOutcome outcome = plan.outcomes().get(0);
                if (outcome.refused()) {
                    refusal[0] = outcome.refusal().get();
                    return entries;
                }
                records.addAll(outcome.records());
                before.clear();
                before.addAll(entries);
                return apply(entries, resolution, new HashSet<>(plan.deletedImages()), untagged(records));
            });
            // what the dropped entries reached: a deleted image's manifests, config and layers (of
            // every manifest it is kept under), and the blobs only an untagged name's manifest had
            candidates.addAll(gc.mark(IndexEdits.dropped(before, after)));
        }
        if (refusal[0] != null) {
            DeleteRefusal r = refusal[0];
            return DeleteResult.refused(nameOrId, force, new DeleteConflict(r.reason().conflictKind(), imageId[0], List.of(),
                    List.of(), names, r.message()));
        }
        Set<String> removed = new HashSet<>();
        if (!candidates.isEmpty()) {
            gc.collect(op, candidates, Duration.ofSeconds(2)).removed().forEach(d -> removed.add(d.digest().toString()));
        }
        List<DeleteLine> lines = new ArrayList<>();
        for (DeleteLine record : records) {
            // a layer the store was too busy to collect stays until the next prune, and is not claimed
            boolean layer = record.action() == DeleteLine.Action.DELETED && !record.value().equals(imageId[0].toString());
            if (!layer || removed.contains(record.value())) {
                lines.add(record);
            }
        }
        return DeleteResult.done(nameOrId, force, lines);
    }

    PruneResult prune(PruneMode mode, boolean dryRun) {
        String op = dryRun ? "plan prune" : "prune images";
        try (StoreLocks.Held held = dryRun ? locks.shared(op) : locks.exclusive(op)) {
            Resolution resolution = content.resolve(index.read(op).entries());
            ReclaimPlan plan = planner.planPrune(model(resolution.resolved()),
                    mode == PruneMode.ALL_UNUSED);
            List<DeleteLine> lines = plan.records();
            if (!dryRun) {
                Set<Digest> deleted = new HashSet<>(plan.deletedImages());
                Set<String> untagged = untagged(plan.records());
                if (!deleted.isEmpty() || !untagged.isEmpty()) {
                    index.update(op, entries -> apply(entries, content.resolve(entries), deleted, untagged));
                }
                gc.sweep(gc.mark(index.read(op).entries()), null);
                work.clean(false);
            }
            return new PruneResult(mode, dryRun, lines, plan.deletedImages(), plan.bytesFreed());
        }
    }

    /** The entries without those of deleted images and those carrying an untagged name; index.json order kept. */
    private static List<IndexEntry> apply(List<IndexEntry> entries, Resolution resolution, Set<Digest> deleted,
                                          Set<String> untagged) {
        Set<IndexEntry> drop = new HashSet<>();
        for (Resolved r : resolution.resolved()) {
            boolean named = r.entry().name().map(n -> untagged.contains(n.display())).orElse(false);
            if (deleted.contains(r.imageId()) || named) {
                drop.add(r.entry());
            }
        }
        List<IndexEntry> kept = new ArrayList<>();
        for (IndexEntry e : entries) {
            if (!drop.contains(e)) {
                kept.add(e);
            }
        }
        return kept;
    }

    private static Set<String> untagged(List<DeleteLine> records) {
        Set<String> names = new HashSet<>();
        records.stream().filter(r -> r.action() == DeleteLine.Action.UNTAGGED).forEach(r -> names.add(r.value()));
        return names;
    }
}
