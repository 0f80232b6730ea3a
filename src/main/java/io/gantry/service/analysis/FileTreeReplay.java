package io.gantry.service.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies layers one after another to an in-memory tree of paths, as an engine would unpack them,
 * and records what each layer changes and which bytes become invisible (wasted). Only headers are
 * involved, so memory grows with the number of paths.
 *
 * <p>Rules (OCI image-spec "Applying Changesets"): whiteouts and opaque directories of a layer apply
 * to the layers below it only, so they are applied before the layer's other entries; a later entry
 * for the same path replaces an earlier one; a directory entry over an existing directory merges
 * with it. Entries that escape the root are listed by the scanner but never placed in the tree.
 *
 * <p>Not thread-safe: one replay per analysis.
 */
final class FileTreeReplay {

    /** A mutable tree node. */
    static final class MNode {
        final String name;
        MNode parent;
        TreeMap<String, MNode> children;
        LayerEntry entry;
        int layer;
        ChangeKind change;
        int changeLayer = -1;

        MNode(String name, MNode parent, LayerEntry entry, int layer) {
            this.name = name;
            this.parent = parent;
            this.entry = entry;
            this.layer = layer;
        }

        boolean isDir() {
            return entry.type() == EntryType.DIRECTORY;
        }

        String path() {
            Deque<String> parts = new ArrayDeque<>();
            for (MNode at = this; at.parent != null; at = at.parent) {
                parts.addFirst(at.name);
            }
            return String.join("/", parts);
        }

        MNode child(String childName) {
            return children == null ? null : children.get(childName);
        }

        void attach(MNode child) {
            if (children == null) {
                children = new TreeMap<>();
            }
            child.parent = this;
            children.put(child.name, child);
        }
    }

    /** Per-path history of regular-file copies, for the wasted-space list. */
    private static final class Copies {
        final List<Integer> layers = new ArrayList<>(2);
        long wasted;
        boolean removed;
    }

    /** The outcome of applying one layer. */
    record LayerOutcome(List<FileChange> changes, long wastedBytes) {
    }

    private static final LayerEntry ROOT = implicitDirectory("");

    private final MNode root = new MNode("", null, ROOT, -1);
    private final Map<String, Copies> copies = new HashMap<>();
    private final List<MNode> removedByLast = new ArrayList<>();
    private long totalFileBytes;
    private long wastedBytes;

    /** Applies one layer's entries (in archive order) as layer {@code index}. */
    LayerOutcome apply(int index, List<LayerEntry> entries) {
        removedByLast.clear();
        Map<String, FileChange> changes = new LinkedHashMap<>(Math.max(16, entries.size() * 4 / 3 + 1));
        long wastedBefore = wastedBytes;
        for (LayerEntry entry : entries) {
            if (entry.type() == EntryType.WHITEOUT) {
                whiteout(index, entry, changes);
            } else if (entry.type() == EntryType.OPAQUE_WHITEOUT) {
                opaque(index, entry, changes);
            }
        }
        for (LayerEntry entry : entries) {
            if (entry.type().isContent() && !entry.flags().contains(EntryFlag.ESCAPES_ROOT)) {
                place(index, entry, changes);
            }
        }
        return new LayerOutcome(List.copyOf(changes.values()), wastedBytes - wastedBefore);
    }

    long totalFileBytes() {
        return totalFileBytes;
    }

    long wastedBytes() {
        return wastedBytes;
    }

    /** Paths with superseded copies, most bytes wasted first. */
    List<WastedFile> wastedFiles() {
        List<WastedFile> list = new ArrayList<>();
        copies.forEach((path, c) -> {
            if (c.wasted > 0 || c.layers.size() > 1) {
                list.add(new WastedFile(path, c.layers.size(), c.wasted, c.removed, c.layers));
            }
        });
        list.sort((a, b) -> a.wastedBytes() != b.wastedBytes() ? Long.compare(b.wastedBytes(), a.wastedBytes())
                : a.path().compareTo(b.path()));
        return list;
    }

    /**
     * The merged tree after the last applied layer, with that layer's changes marked and the paths
     * it deleted put back as {@link ChangeKind#DELETED} nodes where nothing new took their place.
     */
    FileNode freeze(int viewedLayer) {
        for (MNode ghost : removedByLast) {
            MNode parent = ghost.parent;
            if (parent != null && attachedToRoot(parent) && parent.child(ghost.name) == null) {
                markDeleted(ghost, viewedLayer);
                parent.attach(ghost);
            }
        }
        return freezeIterative(viewedLayer);
    }

    // ---- applying entries ----

    private void whiteout(int index, LayerEntry entry, Map<String, FileChange> changes) {
        MNode node = lookup(entry.path());
        if (node == null) {
            changes.put(entry.path(), new FileChange(entry.path(), ChangeKind.DELETED, entry, 0));
            return;
        }
        long bytes = remove(node, true);
        changes.put(entry.path(), new FileChange(entry.path(), ChangeKind.DELETED, node.entry, bytes));
    }

    private void opaque(int index, LayerEntry entry, Map<String, FileChange> changes) {
        MNode dir = lookup(entry.path());
        if (dir == null || !dir.isDir() || dir.children == null) {
            return;
        }
        for (MNode child : new ArrayList<>(dir.children.values())) {
            String path = PathNames.join(entry.path(), child.name);
            long bytes = remove(child, true);
            changes.put(path, new FileChange(path, ChangeKind.DELETED, child.entry, bytes));
        }
    }

    private void place(int index, LayerEntry entry, Map<String, FileChange> changes) {
        String path = entry.path();
        MNode parent = ensureDirectory(index, PathNames.parent(path));
        String name = PathNames.base(path);
        MNode existing = parent.child(name);
        if (entry.type() == EntryType.FILE) {
            totalFileBytes += entry.size();
            copies.computeIfAbsent(path, p -> new Copies()).layers.add(index);
        }
        if (existing == null) {
            MNode node = new MNode(name, parent, entry, index);
            FileChange deletedHere = changes.get(path);
            ChangeKind kind = deletedHere != null && deletedHere.kind() == ChangeKind.DELETED
                    ? ChangeKind.MODIFIED : ChangeKind.ADDED;
            mark(node, kind, index, path);
            parent.attach(node);
            changes.put(path, new FileChange(path, kind, entry, entry.size()));
            return;
        }
        if (existing.isDir() && entry.type() == EntryType.DIRECTORY) {
            if (existing.layer != index && sameAttributes(existing.entry, entry)) {
                return; // a parent directory re-emitted unchanged: not a change
            }
            existing.entry = entry;
            existing.layer = index;
            if (existing.changeLayer != index) {
                mark(existing, ChangeKind.MODIFIED, index, path);
            }
            changes.put(path, new FileChange(path, existing.change, entry, 0));
            return;
        }
        // Replacement: the old node (and anything below it) is superseded.
        remove(existing, false);
        MNode node = new MNode(name, parent, entry, index);
        ChangeKind kind = existing.changeLayer == index ? existing.change : ChangeKind.MODIFIED;
        if (changes.get(path) != null && changes.get(path).kind() == ChangeKind.DELETED) {
            kind = ChangeKind.MODIFIED;
        }
        mark(node, kind, index, path);
        parent.attach(node);
        changes.put(path, new FileChange(path, kind, entry, entry.size()));
    }

    /** The directory at {@code path}, creating missing parents (and replacing non-directories). */
    private MNode ensureDirectory(int index, String path) {
        MNode at = root;
        if (path.isEmpty()) {
            return at;
        }
        for (String part : path.split("/")) {
            MNode next = at.child(part);
            if (next == null || !next.isDir()) {
                if (next != null) {
                    remove(next, false);
                }
                String dirPath = PathNames.join(at.path(), part);
                next = new MNode(part, at, implicitDirectory(dirPath), index);
                mark(next, ChangeKind.ADDED, index, dirPath);
                at.attach(next);
            }
            at = next;
        }
        return at;
    }

    private MNode lookup(String path) {
        MNode at = root;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            at = at.child(part);
            if (at == null) {
                return null;
            }
        }
        return at == root ? null : at;
    }

    /**
     * Detaches {@code node}; every regular file under it becomes wasted. Returns their bytes.
     * {@code ghost}: keep it to show as deleted in the tree of this layer (whiteouts, opaque dirs).
     */
    private long remove(MNode node, boolean ghost) {
        String base = node.path();
        node.parent.children.remove(node.name);
        if (ghost) {
            removedByLast.add(node);
        }
        long bytes = 0;
        Deque<Map.Entry<String, MNode>> stack = new ArrayDeque<>();
        stack.push(Map.entry(base, node));
        while (!stack.isEmpty()) {
            Map.Entry<String, MNode> item = stack.pop();
            MNode at = item.getValue();
            if (at.entry.type() == EntryType.FILE) {
                bytes += at.entry.size();
                Copies c = copies.get(item.getKey());
                if (c != null) {
                    c.wasted += at.entry.size();
                    c.removed = true;
                }
            }
            if (at.children != null) {
                at.children.values().forEach(child ->
                        stack.push(Map.entry(PathNames.join(item.getKey(), child.name), child)));
            }
        }
        wastedBytes += bytes;
        // A path written again later is visible again: "removed" is reset when the copy is placed.
        return bytes;
    }

    private void mark(MNode node, ChangeKind kind, int index, String path) {
        node.change = kind;
        node.changeLayer = index;
        if (node.entry.type() == EntryType.FILE) {
            Copies c = copies.get(path);
            if (c != null) {
                c.removed = false;
            }
        }
    }

    private boolean attachedToRoot(MNode node) {
        MNode at = node;
        while (at.parent != null) {
            if (at.parent.child(at.name) != at) {
                return false;
            }
            at = at.parent;
        }
        return at == root;
    }

    private static boolean sameAttributes(LayerEntry a, LayerEntry b) {
        return a.mode() == b.mode() && a.uid() == b.uid() && a.gid() == b.gid();
    }

    static LayerEntry implicitDirectory(String path) {
        return new LayerEntry(path, "", EntryType.DIRECTORY, 0, 0755, 0, 0, "", Set.of());
    }

    // ---- freezing ----

    private static void markDeleted(MNode ghost, int viewedLayer) {
        Deque<MNode> stack = new ArrayDeque<>();
        stack.push(ghost);
        while (!stack.isEmpty()) {
            MNode at = stack.pop();
            at.change = ChangeKind.DELETED;
            at.changeLayer = viewedLayer;
            if (at.children != null) {
                at.children.values().forEach(stack::push);
            }
        }
    }

    /** Post-order without recursion: a hostile archive can nest paths thousands of levels deep. */
    private FileNode freezeIterative(int viewedLayer) {
        Map<MNode, FileNode> done = new HashMap<>();
        Deque<MNode> stack = new ArrayDeque<>();
        stack.push(root);
        Map<MNode, String> pathOf = new HashMap<>();
        pathOf.put(root, "");
        Deque<MNode> order = new ArrayDeque<>();
        while (!stack.isEmpty()) {
            MNode at = stack.pop();
            order.push(at);
            if (at.children != null) {
                for (MNode child : at.children.values()) {
                    pathOf.put(child, PathNames.join(pathOf.get(at), child.name));
                    stack.push(child);
                }
            }
        }
        while (!order.isEmpty()) {
            MNode at = order.pop();
            List<FileNode> children = new ArrayList<>();
            long total = at.entry.type() == EntryType.FILE ? at.entry.size() : 0;
            if (at.children != null) {
                for (MNode child : at.children.values()) {
                    FileNode frozen = done.remove(child);
                    children.add(frozen);
                    if (!frozen.deleted()) {
                        total += frozen.totalSize();
                    }
                }
            }
            ChangeKind change = at.changeLayer == viewedLayer ? at.change : null;
            done.put(at, new FileNode(at.name, pathOf.get(at), at.entry, at.layer, change, total, children));
        }
        return done.get(root);
    }
}
