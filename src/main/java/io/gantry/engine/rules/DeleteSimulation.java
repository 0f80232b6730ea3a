package io.gantry.engine.rules;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.ImageLayer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A copy of an endpoint's image state on which deletes are played exactly as moby's graph-driver
 * image service plays them ({@code ImageDelete}, {@code imageDeleteHelper},
 * {@code checkImageDeleteConflict}, {@code ImagesPrune}), so the plan shows what the engine will do.
 *
 * <p>Layers are reference-counted by chain ID: every image holds the chain IDs of its layer stack,
 * and every container holds its image's stack (so force-deleting an image a stopped container uses
 * deletes the image but frees none of its layers, as with Docker). A chain whose count drops to zero
 * is freed, top layer first, like moby's {@code layerStore.Release}. In a blob store
 * ({@link ReclaimModel.LayerKey#BLOB}, the embedded store) the same counting is done by blob digest,
 * which is what its garbage collection frees. Not thread-safe; one per plan.
 */
final class DeleteSimulation {

    private enum Conflict { DEPENDENT_CHILD, RUNNING_CONTAINER, ACTIVE_REFERENCE, STOPPED_CONTAINER }

    private static final int HARD = bit(Conflict.DEPENDENT_CHILD) | bit(Conflict.RUNNING_CONTAINER);
    private static final int SOFT = bit(Conflict.ACTIVE_REFERENCE) | bit(Conflict.STOPPED_CONTAINER);

    private final Map<Digest, ReclaimModel.Image> images = new LinkedHashMap<>();
    private final Map<Digest, List<RefName>> names = new HashMap<>();
    private final Map<Digest, List<Digest>> chains = new HashMap<>();
    private final Map<Digest, Long> chainSizes = new HashMap<>();
    private final Map<Digest, Integer> chainRefs = new HashMap<>();
    /** A blob store's images kept as several blob sets: which names still keep each ({@link ReclaimModel.Image#copies}). */
    private final Map<Digest, List<CopyState>> copies = new HashMap<>();
    private final List<ReclaimModel.Container> containers;

    private final List<Digest> deletedImages = new ArrayList<>();
    private final Map<String, Digest> removedNames = new LinkedHashMap<>();
    private final List<ReclaimPlan.FreedLayer> freedLayers = new ArrayList<>();
    private final boolean layerLines;
    private final boolean forceRemovesContainers;

    DeleteSimulation(ReclaimModel model) {
        this.layerLines = model.layerLines();
        this.forceRemovesContainers = model.forceRemovesContainers();
        for (ReclaimModel.Image image : model.images()) {
            if (images.putIfAbsent(image.id(), image) != null) {
                continue;
            }
            List<RefName> parsed = new ArrayList<>();
            image.references().forEach(ref -> parsed.add(RefName.parse(ref)));
            parsed.sort(Comparator.comparing(RefName::full)); // as moby's reference store sorts them
            names.put(image.id(), parsed);
            List<Digest> chain = keys(model.layerKey(), image.layers());
            chains.put(image.id(), chain);
            for (int i = 0; i < chain.size(); i++) {
                chainSizes.putIfAbsent(chain.get(i), image.layers().get(i).size());
                chainRefs.merge(chain.get(i), 1, Integer::sum);
            }
            if (model.layerKey() == ReclaimModel.LayerKey.BLOB && !image.copies().isEmpty()) {
                List<CopyState> states = new ArrayList<>();
                for (io.gantry.engine.ImageCopy copy : image.copies()) {
                    java.util.Set<String> keptBy = new java.util.HashSet<>();
                    copy.references().forEach(ref -> keptBy.add(RefName.parse(ref).familiar()));
                    states.add(new CopyState(keptBy, keptBy.isEmpty(), keys(ReclaimModel.LayerKey.BLOB, copy.layers())));
                }
                copies.put(image.id(), states);
            }
        }
        this.containers = List.copyOf(model.containers());
        for (ReclaimModel.Container container : containers) {
            // A container holds its image's layer stack, even after the image was force-deleted.
            List<Digest> chain = chains.containsKey(container.imageId()) ? chains.get(container.imageId())
                    : keys(model.layerKey(), container.imageLayers());
            chain.forEach(chainId -> chainRefs.merge(chainId, 1, Integer::sum));
        }
    }

    /** The layers' keys, base first: chain IDs, or blob digests. */
    private static List<Digest> keys(ReclaimModel.LayerKey key, List<ImageLayer> layers) {
        return key == ReclaimModel.LayerKey.BLOB ? layers.stream().map(ImageLayer::blobOrDiffId).toList()
                : ChainIds.of(layers.stream().map(ImageLayer::diffId).toList());
    }

    // ---- docker rmi ----

    /** {@code DELETE /images/{target}?force=…&noprune=…}: moby's {@code ImageDelete}. */
    TargetOutcome delete(DeleteTarget target, boolean force, boolean prune) {
        List<DeleteLine> records = new ArrayList<>();
        Optional<DeleteRefusal> refusal = force && forceRemovesContainers ? forcedOverHardConflict(target)
                : Optional.empty();
        if (refusal.isPresent()) {
            return new TargetOutcome(target, List.of(), refusal);
        }
        if (target instanceof DeleteTarget.ByReference byRef) {
            refusal = deleteByReference(byRef.reference(), force, prune, records);
        } else {
            refusal = deleteById(((DeleteTarget.ById) target).imageId(), force, prune, records);
        }
        return new TargetOutcome(target, refusal.isPresent() ? List.of() : records, refusal);
    }

    /**
     * Where a forced delete also removes the containers using the image (Podman), Gantry refuses
     * to force what is hard on Docker: an image a running container uses (the engine would stop and
     * remove the container) or one other images are built on.
     */
    private Optional<DeleteRefusal> forcedOverHardConflict(DeleteTarget target) {
        Optional<Digest> id = target instanceof DeleteTarget.ByReference byRef
                ? imageNamed(RefName.parse(byRef.reference()).familiar())
                : Optional.of(((DeleteTarget.ById) target).imageId()).filter(images::containsKey);
        return id.flatMap(image -> check(image, HARD)).map(conflict -> new DeleteRefusal(conflict.reason(),
                conflict.imageId(), conflict.reason() == DeleteRefusal.Reason.RUNNING_CONTAINER
                        ? "Podman would stop and remove the running container using the image; Gantry does not force that"
                        : "Podman would delete an image other images are built on; Gantry does not force that"));
    }

    private Optional<DeleteRefusal> deleteByReference(String reference, boolean force, boolean prune,
                                                      List<DeleteLine> records) {
        RefName name = RefName.parse(reference);
        Optional<Digest> found = imageNamed(name.familiar());
        if (found.isEmpty()) {
            return Optional.of(new DeleteRefusal(DeleteRefusal.Reason.NOT_FOUND, Optional.empty(),
                    "No such image: " + name.familiar()));
        }
        Digest id = found.get();
        if (!force && isSingleReference(names.get(id))) {
            Optional<ReclaimModel.Container> user = containers.stream().filter(c -> c.imageId().equals(id)).findFirst();
            if (user.isPresent()) {
                return Optional.of(new DeleteRefusal(DeleteRefusal.Reason.REFERENCE_IN_USE, Optional.of(id),
                        "conflict: unable to remove repository reference \"" + reference + "\" (must force) - container "
                                + user.get().shortId() + " is using its referenced image " + id.shortHex()));
            }
        }
        removeName(id, name.familiar(), records);
        if (!name.canonical()) {
            // Removing the last tag of a repository also drops that repository's digest references.
            boolean tagLeft = names.get(id).stream()
                    .anyMatch(n -> !n.canonical() && n.repository().equals(name.repository()));
            if (!tagLeft) {
                for (RefName other : List.copyOf(names.get(id))) {
                    if (other.canonical() && other.repository().equals(name.repository())) {
                        removeName(id, other.familiar(), records);
                    }
                }
            }
        }
        if (!names.get(id).isEmpty()) {
            dropCopiesNoNameKeeps(id, records);
            return Optional.empty(); // only untagged
        }
        return deleteHelper(id, records, force, prune, true);
    }

    private Optional<DeleteRefusal> deleteById(Digest id, boolean force, boolean prune, List<DeleteLine> records) {
        if (!images.containsKey(id)) {
            return Optional.of(new DeleteRefusal(DeleteRefusal.Reason.NOT_FOUND, Optional.empty(),
                    "No such image: " + id));
        }
        if (isSingleReference(names.get(id))) {
            int mask = HARD | (force ? 0 : SOFT & ~bit(Conflict.ACTIVE_REFERENCE));
            Optional<DeleteRefusal> conflict = check(id, mask);
            if (conflict.isPresent()) {
                return conflict;
            }
            for (RefName name : List.copyOf(names.get(id))) {
                removeName(id, name.familiar(), records);
            }
        }
        return deleteHelper(id, records, force, prune, false);
    }

    /** moby's {@code imageDeleteHelper}: delete the image, then (prune) its untagged parents, quietly. */
    private Optional<DeleteRefusal> deleteHelper(Digest id, List<DeleteLine> records, boolean force, boolean prune,
                                                 boolean quiet) {
        Optional<DeleteRefusal> conflict = check(id, HARD | (force ? 0 : SOFT));
        if (conflict.isPresent()) {
            boolean used = conflict.get().reason() == DeleteRefusal.Reason.RUNNING_CONTAINER
                    || conflict.get().reason() == DeleteRefusal.Reason.STOPPED_CONTAINER;
            if (quiet && (!isDangling(id) || used)) {
                return Optional.empty(); // the image stays, silently
            }
            return conflict;
        }
        Optional<Digest> parent = images.get(id).parent().filter(images::containsKey);
        for (RefName name : List.copyOf(names.get(id))) {
            removeName(id, name.familiar(), records);
        }
        deleteImage(id, records);
        if (!prune || parent.isEmpty()) {
            return Optional.empty();
        }
        return deleteHelper(parent.get(), records, false, true, true);
    }

    private Optional<DeleteRefusal> check(Digest id, int mask) {
        String shortId = id.shortHex();
        if ((mask & bit(Conflict.DEPENDENT_CHILD)) != 0 && hasChildren(id)) {
            return refusal(DeleteRefusal.Reason.DEPENDENT_CHILD, id, true, "image has dependent child images");
        }
        if ((mask & bit(Conflict.RUNNING_CONTAINER)) != 0) {
            Optional<ReclaimModel.Container> running = containers.stream()
                    .filter(c -> c.imageId().equals(id) && c.running()).findFirst();
            if (running.isPresent()) {
                return refusal(DeleteRefusal.Reason.RUNNING_CONTAINER, id, true,
                        "image is being used by running container " + running.get().shortId());
            }
        }
        if ((mask & bit(Conflict.ACTIVE_REFERENCE)) != 0 && !names.get(id).isEmpty()) {
            return refusal(DeleteRefusal.Reason.MULTIPLE_REFERENCES, id, false,
                    "image is referenced in multiple repositories");
        }
        if ((mask & bit(Conflict.STOPPED_CONTAINER)) != 0) {
            Optional<ReclaimModel.Container> stopped = containers.stream()
                    .filter(c -> c.imageId().equals(id) && !c.running()).findFirst();
            if (stopped.isPresent()) {
                return refusal(DeleteRefusal.Reason.STOPPED_CONTAINER, id, false,
                        "image is being used by stopped container " + stopped.get().shortId());
            }
        }
        return Optional.empty();
    }

    private static Optional<DeleteRefusal> refusal(DeleteRefusal.Reason reason, Digest id, boolean hard, String what) {
        return Optional.of(new DeleteRefusal(reason, Optional.of(id), "conflict: unable to delete " + id.shortHex()
                + " (" + (hard ? "cannot be forced" : "must be forced") + ") - " + what));
    }

    // ---- docker image prune ----

    /**
     * {@code POST /images/prune}: moby's graph-driver {@code ImagesPrune}. Dangling mode considers
     * images without children; {@code all} every image. Untagged images with children (build
     * intermediates) are skipped; the rest are deleted by name (or by ID when nameless), without
     * force, conflicts skipped.
     */
    List<TargetOutcome> prune(boolean all) {
        List<Digest> top = new ArrayList<>();
        for (Digest id : images.keySet()) {
            boolean head = !hasChildren(id);
            if (!all && !head) {
                continue;
            }
            if (names.get(id).isEmpty() && !head) {
                continue;
            }
            top.add(id);
        }
        top.sort(Comparator.naturalOrder()); // the engine walks a map; a fixed order keeps plans stable
        List<TargetOutcome> outcomes = new ArrayList<>();
        for (Digest id : top) {
            if (!images.containsKey(id)) {
                continue;
            }
            List<RefName> refs = List.copyOf(names.get(id));
            if (refs.isEmpty()) {
                outcomes.add(delete(DeleteTarget.id(id), false, true));
                continue;
            }
            boolean hasTag = refs.stream().anyMatch(n -> !n.canonical());
            if (!all && hasTag) {
                continue;
            }
            for (RefName ref : refs) {
                TargetOutcome outcome = delete(DeleteTarget.reference(ref.familiar()), false, true);
                if (!(outcome.refused() && outcome.refusal().get().reason() == DeleteRefusal.Reason.NOT_FOUND)) {
                    outcomes.add(outcome);
                }
            }
        }
        return outcomes;
    }

    // ---- state ----

    List<Digest> deletedImages() {
        return List.copyOf(deletedImages);
    }

    List<ReclaimPlan.FreedLayer> freedLayers() {
        return List.copyOf(freedLayers);
    }

    /** Names removed from images that are still there: those images were only untagged. */
    List<String> untaggedOnly() {
        List<String> untagged = new ArrayList<>();
        removedNames.forEach((name, id) -> {
            if (images.containsKey(id)) {
                untagged.add(name);
            }
        });
        return untagged;
    }

    private Optional<Digest> imageNamed(String familiar) {
        return names.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(n -> n.familiar().equals(familiar)))
                .map(Map.Entry::getKey).findFirst();
    }

    private void removeName(Digest id, String familiar, List<DeleteLine> records) {
        names.get(id).removeIf(n -> n.familiar().equals(familiar));
        copies.getOrDefault(id, List.of()).forEach(copy -> copy.keptBy().remove(familiar));
        removedNames.put(familiar, id);
        records.add(DeleteLine.untagged(familiar));
    }

    private void deleteImage(Digest id, List<DeleteLine> records) {
        images.remove(id);
        deletedImages.add(id);
        records.add(DeleteLine.deleted(id.toString()));
        List<Digest> chain = chains.get(id);
        for (int i = chain.size() - 1; i >= 0; i--) {
            release(chain.get(i), records);
        }
    }

    /** One holder fewer for a layer (chain ID or blob); at none it is freed, and named where deletes name layers. */
    private void release(Digest layer, List<DeleteLine> records) {
        if (chainRefs.merge(layer, -1, Integer::sum) == 0) {
            if (layerLines) {
                records.add(DeleteLine.deleted(layer.toString()));
            }
            freedLayers.add(new ReclaimPlan.FreedLayer(layer, chainSizes.get(layer)));
        }
    }

    /**
     * An untag in a blob store: a copy of the image whose last name went is dropped with it (the
     * store removes the entries that held those names), and its blobs that no other copy and no
     * other image uses are freed, top layer first, as a delete frees them. Docker's rules never
     * free anything on an untag; an engine keeps each image once, so there nothing is dropped.
     */
    private void dropCopiesNoNameKeeps(Digest id, List<DeleteLine> records) {
        List<CopyState> states = copies.get(id);
        if (states == null) {
            return;
        }
        List<CopyState> dropped = states.stream().filter(c -> !c.keptOtherwise() && c.keptBy().isEmpty()).toList();
        if (dropped.isEmpty()) {
            return;
        }
        states.removeAll(dropped);
        java.util.Set<Digest> stillKept = new java.util.HashSet<>();
        states.forEach(c -> stillKept.addAll(c.blobs()));
        List<Digest> remaining = new ArrayList<>(chains.get(id));
        for (CopyState copy : dropped) {
            for (int i = copy.blobs().size() - 1; i >= 0; i--) {
                Digest blob = copy.blobs().get(i);
                // not when another copy keeps it, or an earlier dropped copy freed it
                if (!stillKept.contains(blob) && remaining.remove(blob)) {
                    release(blob, records);
                }
            }
        }
        chains.put(id, List.copyOf(remaining));
    }

    /**
     * One blob set of an image in a blob store.
     *
     * @param keptBy        the names (familiar form) that still keep it
     * @param keptOtherwise whether something without a name keeps it (then no untag drops it)
     * @param blobs         its layer blobs, base first
     */
    private record CopyState(java.util.Set<String> keptBy, boolean keptOtherwise, List<Digest> blobs) {
    }

    private boolean hasChildren(Digest id) {
        return images.values().stream().anyMatch(image -> image.parent().filter(id::equals).isPresent());
    }

    private boolean isDangling(Digest id) {
        return names.get(id).isEmpty() && !hasChildren(id);
    }

    /**
     * moby's {@code isSingleReference}: at most one tag, and every reference in that tag's repository.
     * False for no references at all.
     */
    private static boolean isSingleReference(List<RefName> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        RefName single = null;
        java.util.Set<String> canonicalRepos = new java.util.HashSet<>();
        for (RefName ref : refs) {
            if (ref.canonical()) {
                canonicalRepos.add(ref.repository());
            } else if (single == null) {
                single = ref;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = refs.get(0);
        }
        return canonicalRepos.size() == 1 && canonicalRepos.contains(single.repository());
    }

    private static int bit(Conflict conflict) {
        return 1 << conflict.ordinal();
    }

    /**
     * The full form of a listed reference ({@code docker.io/library/app:1}), what moby's reference
     * store keys and sorts by; the text itself when it is no reference (a bare tag another tool wrote).
     */
    static String full(String reference) {
        try {
            return ImageReference.parse(reference).toString();
        } catch (GantryException e) {
            return reference;
        }
    }

    /**
     * A reference as the image lists give it, split just enough for the delete rules: its
     * repository and whether it is a digest reference ({@code repo@sha256:…}) or a tag. Lenient on
     * purpose: the embedded store lists a bare tag another tool wrote as {@code <none>:TAG}, which
     * is no reference.
     *
     * @param familiar   the reference with a tag filled in ({@code ubuntu} becomes {@code ubuntu:latest})
     * @param repository the repository part ({@code localhost:5000/app})
     * @param canonical  whether it is a digest reference
     * @param full       its full form, see {@link #full(String)}
     */
    private record RefName(String familiar, String repository, boolean canonical, String full) {

        static RefName parse(String reference) {
            int at = reference.indexOf('@');
            if (at >= 0) {
                String name = reference.substring(0, at);
                int colon = name.lastIndexOf(':');
                String repository = colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
                return new RefName(reference, repository, true, DeleteSimulation.full(reference));
            }
            int colon = reference.lastIndexOf(':');
            if (colon > reference.lastIndexOf('/')) {
                return new RefName(reference, reference.substring(0, colon), false, DeleteSimulation.full(reference));
            }
            return new RefName(reference + ":latest", reference, false, DeleteSimulation.full(reference + ":latest"));
        }
    }
}
