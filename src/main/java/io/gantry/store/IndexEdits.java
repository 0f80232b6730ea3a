package io.gantry.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.store.LayoutContent.Resolved;
import io.gantry.store.LayoutContent.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Pure edits of the list of {@code index.json} entries: naming, unnaming, moving a name. */
final class IndexEdits {

    private IndexEdits() {
    }

    /** The entry to copy for a new name: the one the user named, else the image's first. */
    static IndexEntry baseEntry(Target found, List<Resolved> resolved) {
        for (Resolved r : resolved) {
            if (r.imageId().equals(found.image().id())
                    && (found.name().isEmpty() || r.entry().name().equals(found.name()))) {
                return r.entry();
            }
        }
        throw new IllegalStateException("found image has no entry");
    }

    /** A copy of {@code base} carrying {@code name} (and no other name). */
    static IndexEntry named(IndexEntry base, ImageName name) {
        Map<String, String> annotations = new LinkedHashMap<>(base.descriptor().annotations());
        annotations.put(IndexEntry.REF_NAME, name.raw());
        annotations.put(IndexEntry.CONTAINERD_NAME, name.raw());
        Descriptor d = base.descriptor();
        Descriptor copy = new Descriptor(d.mediaType(), d.digest(), d.size(), d.platform(), annotations, d.urls());
        ObjectNode json = base.json().deepCopy();
        ObjectNode annotationsJson = json.putObject("annotations");
        new TreeMap<>(annotations).forEach(annotationsJson::put);
        return new IndexEntry(copy, json);
    }

    /** A copy of {@code base} without names: a dangling image's entry. */
    static IndexEntry unnamed(IndexEntry base) {
        Map<String, String> annotations = new LinkedHashMap<>(base.descriptor().annotations());
        annotations.remove(IndexEntry.REF_NAME);
        annotations.remove(IndexEntry.CONTAINERD_NAME);
        Descriptor d = base.descriptor();
        ObjectNode json = base.json().deepCopy();
        if (annotations.isEmpty()) {
            json.remove("annotations");
        } else {
            ObjectNode annotationsJson = json.putObject("annotations");
            new TreeMap<>(annotations).forEach(annotationsJson::put);
        }
        return new IndexEntry(new Descriptor(d.mediaType(), d.digest(), d.size(), d.platform(), annotations, d.urls()), json);
    }

    /**
     * Removes every entry carrying {@code name}; an image (other than {@code keepId}) that thereby
     * loses its last name stays as a dangling entry, as a moved Docker tag leaves {@code <none>}.
     */
    static List<IndexEntry> removeName(List<IndexEntry> entries, ImageName name, Digest keepId, List<Resolved> resolved) {
        Map<IndexEntry, Digest> idOf = new HashMap<>();
        resolved.forEach(r -> idOf.put(r.entry(), r.imageId()));
        List<IndexEntry> updated = new ArrayList<>();
        List<IndexEntry> removed = new ArrayList<>();
        for (IndexEntry e : entries) {
            if (e.name().map(n -> sameName(n, name)).orElse(false)) {
                removed.add(e);
            } else {
                updated.add(e);
            }
        }
        for (IndexEntry gone : removed) {
            Digest id = idOf.get(gone);
            if (id == null || id.equals(keepId)) {
                continue;
            }
            boolean stillThere = updated.stream().anyMatch(e -> id.equals(idOf.get(e)));
            if (!stillThere) {
                updated.add(unnamed(gone));
            }
        }
        return updated;
    }

    /** The entries of {@code before} that {@code after} no longer has. */
    static List<IndexEntry> dropped(List<IndexEntry> before, List<IndexEntry> after) {
        Set<IndexEntry> kept = new HashSet<>(after);
        return before.stream().filter(e -> !kept.contains(e)).toList();
    }

    static boolean sameName(ImageName a, ImageName b) {
        return a.raw().equals(b.raw()) || (a.reference().isPresent() && a.reference().equals(b.reference()));
    }

    /** Drops unnamed entries of manifests that also have named entries, and duplicate unnamed ones. */
    static List<IndexEntry> dropRedundantDangling(List<IndexEntry> entries) {
        Set<Digest> named = new HashSet<>();
        entries.stream().filter(e -> e.name().isPresent()).forEach(e -> named.add(e.descriptor().digest()));
        Set<Digest> seenUnnamed = new HashSet<>();
        List<IndexEntry> result = new ArrayList<>();
        for (IndexEntry e : entries) {
            if (e.name().isEmpty() && (named.contains(e.descriptor().digest()) || !seenUnnamed.add(e.descriptor().digest()))) {
                continue;
            }
            result.add(e);
        }
        return result;
    }
}
