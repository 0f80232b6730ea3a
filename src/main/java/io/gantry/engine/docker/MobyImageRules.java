package io.gantry.engine.docker;

import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.PruneMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moby's image delete and prune rules ({@code daemon/images/image_delete.go} and
 * {@code image_prune.go}, Docker 20.10 and later), played on a copy of an {@link ImageGraph}.
 *
 * <p>Two uses: a prune dry run (play the prune, report what went and the bytes of the layers
 * released, each counted once), and naming the rule behind an engine's HTTP 409 (replay the delete
 * against the state read after the refusal, and report the first conflict the rules hit). The
 * engine's answer, not this model, decides whether a delete happened.
 *
 * <p>Layers are reference-counted as moby's layer store does: an image holds its whole chain, a
 * container holds its image's chain; a layer is released when nothing holds it any more.
 */
final class MobyImageRules {

    /** A delete refused by a conflict rule (moby's {@code imageDeleteConflict}). */
    static final class Conflict extends Exception {
        private final DeleteConflict.Kind kind;
        private final Digest imageId;
        private final boolean used;

        Conflict(DeleteConflict.Kind kind, Digest imageId, boolean used) {
            super(kind + " on " + imageId, null, false, false);
            this.kind = kind;
            this.imageId = imageId;
            this.used = used;
        }

        DeleteConflict.Kind kind() {
            return kind;
        }

        Digest imageId() {
            return imageId;
        }
    }

    /** No image matches the reference or ID. */
    static final class NotFound extends Exception {
        NotFound(String image) {
            super("no such image: " + image, null, false, false);
        }
    }

    private final Map<Digest, ImageGraph.Node> images;
    /** The reference store: normalized reference → image ID. */
    private final Map<String, Digest> references = new TreeMap<>();
    private final List<ContainerRef> containers;
    private final Map<String, Long> layerSizes;
    /** How many images and containers hold each chain ID. */
    private final Map<String, Integer> layerHolds = new HashMap<>();
    private final Map<Digest, List<String>> chains = new HashMap<>();
    private final Set<Digest> deletedImageIds = new HashSet<>();

    MobyImageRules(ImageGraph graph) {
        this.images = new LinkedHashMap<>(graph.images());
        this.containers = graph.containers();
        this.layerSizes = graph.layerSizes();
        for (ImageGraph.Node node : graph.images().values()) {
            chains.put(node.id(), node.chain());
            node.chain().forEach(chainId -> layerHolds.merge(chainId, 1, Integer::sum));
            for (String reference : node.references()) {
                references.put(ImageReference.parse(reference).toString(), node.id());
            }
        }
        for (ContainerRef container : containers) {
            ImageGraph.Node node = graph.images().get(container.imageId());
            if (node != null) {
                node.chain().forEach(chainId -> layerHolds.merge(chainId, 1, Integer::sum));
            }
        }
    }

    // ---- the reference store and image store, as the rules query them

    /** {@code referenceStore.References(id)}: normalized, sorted as moby sorts them. */
    private List<String> referencesTo(Digest id) {
        return references.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).toList();
    }

    private List<Digest> childrenOf(Digest id) {
        return images.values().stream().filter(n -> n.parent().filter(id::equals).isPresent())
                .map(ImageGraph.Node::id).sorted().toList();
    }

    private boolean dangling(Digest id) {
        return referencesTo(id).isEmpty() && childrenOf(id).isEmpty();
    }

    private Optional<ContainerRef> firstContainer(Digest id, boolean running) {
        return containers.stream().filter(c -> c.imageId().equals(id) && c.running() == running).findFirst();
    }

    /** moby's {@code GetImage}: an ID, a reference in the store, else a unique ID prefix. */
    Digest resolve(String image) throws NotFound {
        String hex = image.startsWith("sha256:") ? image.substring("sha256:".length()) : image;
        if (hex.length() == 64 && Digest.isDigest("sha256:" + hex)) {
            Digest id = Digest.of("sha256:" + hex);
            if (images.containsKey(id)) {
                return id;
            }
            throw new NotFound(image);
        }
        if (!image.startsWith("sha256:")) {
            Digest byReference = references.get(ImageReference.parse(image).toString());
            if (byReference != null) {
                return byReference;
            }
        }
        List<Digest> matches = images.keySet().stream().filter(id -> id.hex().startsWith(hex)).toList();
        if (matches.size() == 1 && !hex.isEmpty()) {
            return matches.get(0);
        }
        throw new NotFound(image);
    }

    private static boolean isImageIdPrefix(Digest id, String possiblePrefix) {
        return id.toString().startsWith(possiblePrefix) || id.hex().startsWith(possiblePrefix);
    }

    /** A digest reference ({@code repo@sha256:…}), which moby calls canonical. */
    private static boolean canonical(ImageReference reference) {
        return reference.digest().isPresent();
    }

    /** moby's {@code isSingleReference}: all references in one repository, at most one of them a tag. */
    private static boolean isSingleReference(List<String> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        ImageReference single = null;
        Set<String> canonicalNames = new HashSet<>();
        for (String ref : refs) {
            ImageReference parts = ImageReference.parse(ref);
            if (canonical(parts)) {
                canonicalNames.add(parts.name());
            } else if (single == null) {
                single = parts;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = ImageReference.parse(refs.get(0));
        }
        return canonicalNames.size() == 1 && canonicalNames.contains(single.name());
    }

    // ---- the rules

    /** moby's {@code ImageDelete(imageRef, force, prune)}. */
    List<DeleteLine> delete(String imageRef, boolean force, boolean prune) throws Conflict, NotFound {
        Digest id = resolve(imageRef);
        List<DeleteLine> records = new ArrayList<>();
        List<String> repoRefs = referencesTo(id);
        boolean removedRepositoryRef = false;
        if (!isImageIdPrefix(id, imageRef)) {
            if (!force && isSingleReference(repoRefs) && containers.stream().anyMatch(c -> c.imageId().equals(id))) {
                throw new Conflict(DeleteConflict.Kind.REFERENCE_IN_USE, id, true);
            }
            ImageReference removed = ImageReference.parse(imageRef);
            references.remove(removed.toString());
            records.add(DeleteLine.untagged(removed.familiar()));
            repoRefs = referencesTo(id);
            if (!canonical(removed)) {
                boolean tagInSameRepository = repoRefs.stream().map(ImageReference::parse)
                        .anyMatch(p -> !canonical(p) && p.name().equals(removed.name()));
                if (!tagInSameRepository) {
                    List<String> remaining = new ArrayList<>();
                    for (String ref : repoRefs) {
                        ImageReference parts = ImageReference.parse(ref);
                        if (canonical(parts) && parts.name().equals(removed.name())) {
                            references.remove(ref);
                            records.add(DeleteLine.untagged(parts.familiar()));
                        } else {
                            remaining.add(ref);
                        }
                    }
                    repoRefs = remaining;
                }
            }
            if (!repoRefs.isEmpty()) {
                return records;
            }
            removedRepositoryRef = true;
        } else if (isSingleReference(repoRefs)) {
            checkConflicts(id, true, !force, false, !force);
            for (String ref : repoRefs) {
                references.remove(ref);
                records.add(DeleteLine.untagged(ImageReference.parse(ref).familiar()));
            }
        }
        deleteHelper(id, records, force, prune, removedRepositoryRef);
        return records;
    }

    /** moby's {@code imageDeleteHelper}. */
    private void deleteHelper(Digest id, List<DeleteLine> records, boolean force, boolean prune, boolean quiet)
            throws Conflict {
        try {
            checkConflicts(id, true, true, !force, !force);
        } catch (Conflict conflict) {
            if (quiet && (!dangling(id) || conflict.used)) {
                return;
            }
            throw conflict;
        }
        Optional<Digest> parent = images.get(id).parent();
        for (String ref : referencesTo(id)) {
            references.remove(ref);
            records.add(DeleteLine.untagged(ImageReference.parse(ref).familiar()));
        }
        images.remove(id);
        records.add(DeleteLine.deleted(id.toString()));
        List<String> chain = chains.get(id);
        for (int i = chain.size() - 1; i >= 0; i--) {
            String chainId = chain.get(i);
            if (layerHolds.merge(chainId, -1, Integer::sum) == 0) {
                layerHolds.remove(chainId);
                records.add(DeleteLine.deleted(chainId));
            }
        }
        if (prune && parent.isPresent() && images.containsKey(parent.get())) {
            deleteHelper(parent.get(), records, false, true, true);
        }
    }

    /** moby's {@code checkImageDeleteConflict}, in its order: children, running, references, stopped. */
    private void checkConflicts(Digest id, boolean children, boolean running, boolean activeReference,
                                boolean stopped) throws Conflict {
        if (children && !childrenOf(id).isEmpty()) {
            throw new Conflict(DeleteConflict.Kind.DEPENDENT_CHILDREN, id, false);
        }
        if (running && firstContainer(id, true).isPresent()) {
            throw new Conflict(DeleteConflict.Kind.RUNNING_CONTAINER, id, true);
        }
        if (activeReference && !referencesTo(id).isEmpty()) {
            throw new Conflict(DeleteConflict.Kind.MULTIPLE_REFERENCES, id, false);
        }
        if (stopped && firstContainer(id, false).isPresent()) {
            throw new Conflict(DeleteConflict.Kind.STOPPED_CONTAINER, id, true);
        }
    }

    /** What a prune did: its lines and the bytes of the layers it released. */
    record PruneOutcome(List<DeleteLine> lines, List<Digest> imagesDeleted, long spaceReclaimed) {
    }

    /**
     * moby's {@code ImagePrune} with a {@code dangling} filter only. Moby walks the candidates in
     * map order (random); this walks them by ID. Which images and layers go does not depend on it.
     */
    PruneOutcome prune(PruneMode mode) {
        boolean danglingOnly = mode == PruneMode.DANGLING;
        Map<String, Long> allLayers = layerSizes;
        List<Digest> candidates = images.keySet().stream()
                .filter(id -> !danglingOnly || childrenOf(id).isEmpty())
                .filter(id -> !(referencesTo(id).isEmpty() && !childrenOf(id).isEmpty()))
                .sorted().toList();
        List<DeleteLine> lines = new ArrayList<>();
        deletedImageIds.clear();
        for (Digest id : candidates) {
            if (!images.containsKey(id)) {
                continue; // already pruned as some image's parent; moby's delete fails "not found" and moves on
            }
            List<String> refs = referencesTo(id);
            if (!refs.isEmpty()) {
                boolean shouldDelete = !danglingOnly
                        || refs.stream().map(ImageReference::parse).allMatch(p -> p.tag().isEmpty());
                if (shouldDelete) {
                    for (String ref : refs) {
                        tryDelete(ref, lines);
                    }
                }
            } else {
                tryDelete(id.hex(), lines);
            }
        }
        long reclaimed = lines.stream().filter(l -> l.action() == DeleteLine.Action.DELETED)
                .mapToLong(l -> allLayers.getOrDefault(l.value(), 0L)).sum();
        return new PruneOutcome(lines, deletedImageIds.stream().sorted().toList(), reclaimed);
    }

    private void tryDelete(String ref, List<DeleteLine> lines) {
        Set<Digest> before = new HashSet<>(images.keySet());
        try {
            lines.addAll(delete(ref, false, true));
        } catch (Conflict | NotFound e) {
            return; // moby's imageDeleteFailed: skip it
        }
        before.removeAll(images.keySet());
        deletedImageIds.addAll(before);
    }

    /** Every container using {@code id}, running ones first. */
    List<ContainerRef> containersUsing(Digest id) {
        return containers.stream().filter(c -> c.imageId().equals(id))
                .sorted(Comparator.comparing((ContainerRef c) -> !c.running())).toList();
    }

    /** The child images of {@code id} in the current state. */
    List<Digest> children(Digest id) {
        return childrenOf(id);
    }

    /** The references to {@code id} in the current state, in the familiar form. */
    List<String> familiarReferences(Digest id) {
        return referencesTo(id).stream().map(ref -> ImageReference.parse(ref).familiar()).toList();
    }
}
