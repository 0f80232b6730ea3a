package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.store.LayoutContent.Resolution;
import io.gantry.store.LayoutContent.Resolved;
import io.gantry.store.LayoutContent.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code docker rmi} and {@code docker image prune} on the layout. */
final class LayoutRemovals {

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

    DeleteResult delete(String nameOrId, boolean force) {
        String op = "delete " + nameOrId;
        List<DeleteLine> items = new ArrayList<>();
        DeleteConflict[] conflict = {null};
        Set<Digest> candidates = new LinkedHashSet<>();
        try (StoreLocks.Held held = locks.shared(op)) {
            index.update(op, entries -> {
                items.clear();
                candidates.clear();
                Resolution resolution = content.resolve(entries);
                List<Resolved> resolved = resolution.resolved();
                Target target = content.find(nameOrId, resolution, op);
                LayoutImage image = target.image();
                Set<ImageName> untag = new LinkedHashSet<>();
                boolean deleteImage;
                if (target.name().isPresent()) {
                    ImageName name = target.name().get();
                    untag.add(name);
                    List<ImageName> rest = image.names().stream().filter(n -> !IndexEdits.sameName(n, name)).toList();
                    if (name.isTag() && rest.stream().noneMatch(ImageName::isTag)) {
                        rest.stream().filter(n -> n.repository().equals(name.repository())).forEach(untag::add);
                    }
                    deleteImage = image.names().stream().allMatch(n -> untag.stream().anyMatch(u -> IndexEdits.sameName(u, n)));
                } else {
                    Set<String> repositories = new LinkedHashSet<>();
                    image.names().forEach(n -> repositories.add(n.repository()));
                    if (repositories.size() > 1 && !force) {
                        conflict[0] = new DeleteConflict(DeleteConflict.Kind.MULTIPLE_REFERENCES, image.id(), List.of(),
                                List.of(), image.names().stream().map(ImageName::display).toList(),
                                "conflict: unable to delete " + image.id().shortHex()
                                        + " (must be forced) - image is referenced in multiple repositories");
                        return entries;
                    }
                    untag.addAll(image.names());
                    deleteImage = true;
                }
                untag.forEach(n -> items.add(DeleteLine.untagged(n.display())));
                List<IndexEntry> updated = new ArrayList<>();
                for (Resolved r : resolved) {
                    boolean ofImage = r.imageId().equals(image.id());
                    boolean drop = ofImage && (deleteImage
                            || r.entry().name().map(n -> untag.stream().anyMatch(u -> IndexEdits.sameName(u, n))).orElse(false));
                    if (!drop) {
                        updated.add(r.entry());
                    }
                }
                List<IndexEntry> unresolved = new ArrayList<>(entries);
                resolved.forEach(r -> unresolved.remove(r.entry()));
                updated.addAll(unresolved);
                if (deleteImage) {
                    items.add(DeleteLine.deleted(image.id().toString()));
                    candidates.add(image.manifest().digest());
                    candidates.add(image.content().config().digest());
                    image.content().layers().forEach(l -> candidates.add(l.digest()));
                    image.sourceIndex().ifPresent(i -> candidates.add(i.digest()));
                    image.sourceManifest().ifPresent(m -> candidates.add(m.digest()));
                    resolved.stream().filter(r -> r.imageId().equals(image.id()))
                            .forEach(r -> candidates.add(r.entry().descriptor().digest()));
                }
                // keep index.json order: rebuild from the original list
                List<IndexEntry> ordered = new ArrayList<>();
                for (IndexEntry e : entries) {
                    if (updated.contains(e)) {
                        ordered.add(e);
                    }
                }
                return ordered;
            });
        }
        if (conflict[0] != null) {
            return DeleteResult.refused(nameOrId, force, conflict[0]);
        }
        if (!candidates.isEmpty()) {
            LayoutGc.SweepResult sweep = gc.collect(op, candidates, Duration.ofSeconds(2));
            sweep.removed().forEach(d -> items.add(DeleteLine.deleted(d.digest().toString())));
        }
        return DeleteResult.done(nameOrId, force, items);
    }

    PruneResult prune(PruneMode mode, boolean dryRun) {
        String op = dryRun ? "plan prune" : "prune images";
        boolean all = mode == PruneMode.ALL_UNUSED;
        try (StoreLocks.Held held = dryRun ? locks.shared(op) : locks.exclusive(op)) {
            List<DeleteLine> items = new ArrayList<>();
            LayoutIndex.Doc doc = index.read(op);
            Resolution resolution = content.resolve(doc.entries());
            List<LayoutImage> images = LayoutContent.group(resolution.resolved());
            Set<Digest> goner = new LinkedHashSet<>();
            for (LayoutImage image : images) {
                if (all || image.dangling()) {
                    image.names().forEach(n -> items.add(DeleteLine.untagged(n.display())));
                    items.add(DeleteLine.deleted(image.id().toString()));
                    goner.add(image.id());
                }
            }
            List<IndexEntry> remaining = new ArrayList<>(doc.entries());
            resolution.resolved().stream().filter(r -> goner.contains(r.imageId()))
                    .forEach(r -> remaining.remove(r.entry()));
            Set<Digest> live = gc.mark(remaining);
            List<Descriptor> garbage = gc.unmarked(live);
            long bytes = garbage.stream().mapToLong(Descriptor::size).sum();
            garbage.forEach(d -> items.add(DeleteLine.deleted(d.digest().toString())));
            if (!dryRun) {
                if (!goner.isEmpty()) {
                    index.update(op, entries -> {
                        List<IndexEntry> kept = new ArrayList<>(entries);
                        kept.removeIf(e -> resolution.resolved().stream()
                                .anyMatch(r -> r.entry().equals(e) && goner.contains(r.imageId())));
                        return kept;
                    });
                }
                bytes = gc.sweep(gc.mark(index.read(op).entries()), null).bytes();
                work.clean(false);
            }
            return new PruneResult(mode, dryRun, items, List.copyOf(goner), bytes);
        }
    }
}
