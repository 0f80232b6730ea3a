package io.gantry.service.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * A mutable tree node. Children are kept by name in a hash map, not a sorted one: placing 100,000
     * files was a fifth of a replay in the sorted map's comparisons; the few places where order shows
     * (an opaque directory's deletions, the frozen tree) sort the names themselves.
     */
    private static final class MNode {
        final String name;
        MNode parent;
        HashMap<String, MNode> children;
        LayerEntry entry;
        int layer;
        ChangeKind change;
        int changeLayer = -1;
        int changeIndex = -1;

        MNode(String name, MNode parent, LayerEntry entry, int layer) {
            this.name = name;
            this.parent = parent;
            this.entry = entry;
            this.layer = layer;
        }

        boolean isDir() {
            return entry.type() == EntryType.DIRECTORY;
        }

        MNode child(String childName) {
            return children == null ? null : children.get(childName);
        }

        void attach(MNode child) {
            if (children == null) {
                children = new HashMap<>();
            }
            child.parent = this;
            children.put(child.name, child);
        }

        /** The children in name order ({@link String#compareTo}); empty for a leaf. */
        List<MNode> sortedChildren() {
            if (children == null) {
                return List.of();
            }
            List<MNode> sorted = new ArrayList<>(children.values());
            sorted.sort((a, b) -> a.name.compareTo(b.name));
            return sorted;
        }
    }

    /** History of a path whose file copies were superseded; created only when that first happens. */
    private static final class Copies {
        final List<Integer> layers = new ArrayList<>(3);
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

    // State of the layer being applied.
    private int current = -1;
    private List<FileChange> changes = new ArrayList<>();
    private Map<String, Integer> deletedAt = new HashMap<>();
    private String lastDirPath;
    private MNode lastDir;
    private long structure;
    private long lastDirStructure = -1;
    private long wastedBefore;
    private int placedInLayer;

    /** Applies one layer's entries (in archive order) as layer {@code index}. */
    LayerOutcome apply(int index, List<LayerEntry> entries) {
        begin(index, entries.size());
        for (LayerEntry entry : entries) {
            if (entry.flags().contains(EntryFlag.PATH_TOO_LONG)) {
                continue; // flagged and shown, never placed in the tree
            }
            if (entry.type() == EntryType.WHITEOUT) {
                whiteout(entry);
            } else if (entry.type() == EntryType.OPAQUE_WHITEOUT) {
                opaque(entry);
            }
        }
        for (LayerEntry entry : entries) {
            if (placed(entry)) {
                place(entry);
            }
        }
        return end();
    }

    /**
     * Starts layer {@code index} for {@link #accept}: its entries are then applied one by one as the
     * scanner reads them, and {@link #end} closes it.
     */
    void begin(int index, int expectedEntries) {
        current = index;
        removedByLast.clear();
        changes = new ArrayList<>(expectedEntries);
        deletedAt = new HashMap<>();
        wastedBefore = wastedBytes;
        placedInLayer = 0;
    }

    /**
     * Applies the next entry of the layer begun, as {@link #apply} would have: a layer's whiteouts
     * apply before its other entries, so archive order gives the same result as long as no whiteout
     * comes after an entry placed in this layer. Returns {@code false} for such a whiteout, which it
     * does not apply: the tree is then not what {@link #apply} would give, and the caller must replay
     * the layers again with {@link #apply}.
     */
    boolean accept(LayerEntry entry) {
        if (entry.flags().contains(EntryFlag.PATH_TOO_LONG)) {
            return true;
        }
        if (entry.type() == EntryType.WHITEOUT || entry.type() == EntryType.OPAQUE_WHITEOUT) {
            if (placedInLayer > 0) {
                return false;
            }
            if (entry.type() == EntryType.WHITEOUT) {
                whiteout(entry);
            } else {
                opaque(entry);
            }
        } else if (placed(entry)) {
            place(entry);
            placedInLayer++;
        }
        return true;
    }

    /** Ends the layer begun: what it changed. */
    LayerOutcome end() {
        List<FileChange> result = Collections.unmodifiableList(changes);
        changes = new ArrayList<>();
        return new LayerOutcome(result, wastedBytes - wastedBefore);
    }

    private static boolean placed(LayerEntry entry) {
        return entry.type().isContent() && !entry.flags().contains(EntryFlag.ESCAPES_ROOT)
                && !entry.flags().contains(EntryFlag.PATH_TOO_LONG);
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
        copies.forEach((path, c) -> list.add(new WastedFile(path, c.layers.size(), c.wasted, c.removed, c.layers)));
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

    private void whiteout(LayerEntry entry) {
        MNode node = lookup(entry.path());
        if (node == null) {
            addDeleted(entry.path(), entry, 0);
            return;
        }
        long bytes = remove(node, entry.path(), true);
        addDeleted(entry.path(), node.entry, bytes);
    }

    private void opaque(LayerEntry entry) {
        MNode dir = lookup(entry.path());
        if (dir == null || !dir.isDir() || dir.children == null) {
            return;
        }
        for (MNode child : dir.sortedChildren()) {
            String path = PathNames.join(entry.path(), child.name);
            long bytes = remove(child, path, true);
            addDeleted(path, child.entry, bytes);
        }
    }

    private void place(LayerEntry entry) {
        String path = entry.path();
        int slash = path.lastIndexOf('/');
        MNode parent = parentDirectory(path, Math.max(slash, 0));
        String name = slash < 0 ? path : path.substring(slash + 1);
        MNode existing = parent.child(name);
        if (entry.type() == EntryType.FILE) {
            totalFileBytes += entry.size();
        }
        if (existing != null && existing.isDir() && entry.type() == EntryType.DIRECTORY) {
            if (existing.layer != current && sameAttributes(existing.entry, entry)) {
                return; // a parent directory re-emitted unchanged: not a change
            }
            existing.entry = entry;
            existing.layer = current;
            record(existing, existing.changeLayer == current ? existing.change : ChangeKind.MODIFIED, path, entry);
            return;
        }
        ChangeKind kind = ChangeKind.ADDED;
        int inheritedIndex = -1;
        if (existing != null) {
            // Replacement: the old node (and anything below it) is superseded.
            remove(existing, path, false);
            kind = existing.changeLayer == current ? existing.change : ChangeKind.MODIFIED;
            inheritedIndex = existing.changeLayer == current ? existing.changeIndex : -1;
        }
        // (most layers delete nothing, and most paths were never superseded: no hashing of the path then)
        Integer deletedHere = deletedAt.isEmpty() ? null : deletedAt.remove(path);
        if (deletedHere != null) {
            kind = ChangeKind.MODIFIED; // deleted by this layer's whiteout/opaque dir, then written again
            inheritedIndex = deletedHere;
        }
        MNode node = new MNode(name, parent, entry, current);
        node.changeLayer = current;
        node.changeIndex = inheritedIndex;
        parent.attach(node);
        record(node, kind, path, entry);
        if (entry.type() == EntryType.FILE && !copies.isEmpty()) {
            Copies c = copies.get(path);
            if (c != null) {
                c.layers.add(current);
                c.removed = false;
            }
        }
    }

    /** Records (or, for a path already changed in this layer, replaces) the node's change. */
    private void record(MNode node, ChangeKind kind, String path, LayerEntry entry) {
        FileChange change = new FileChange(path, kind, entry, entry.type() == EntryType.FILE ? entry.size() : 0);
        node.change = kind;
        if (node.changeLayer == current && node.changeIndex >= 0) {
            changes.set(node.changeIndex, change);
        } else {
            node.changeLayer = current;
            node.changeIndex = changes.size();
            changes.add(change);
        }
    }

    private void addDeleted(String path, LayerEntry entry, long bytes) {
        Integer at = deletedAt.get(path);
        FileChange change = new FileChange(path, ChangeKind.DELETED, entry, bytes);
        if (at != null) {
            changes.set(at, change);
        } else {
            deletedAt.put(path, changes.size());
            changes.add(change);
        }
    }

    /**
     * The directory at the first {@code length} characters of {@code path} (its parent's path), as
     * {@link #ensureDirectory}; without cutting that path out when it is the previous entry's parent
     * too, as in an archive, which lists a directory's entries one after another.
     */
    private MNode parentDirectory(String path, int length) {
        if (lastDirStructure == structure && lastDirPath.length() == length && path.startsWith(lastDirPath)) {
            return lastDir;
        }
        return ensureDirectory(path.substring(0, length));
    }

    /** The directory at {@code path}, creating missing parents (and replacing non-directories). */
    private MNode ensureDirectory(String path) {
        if (path.equals(lastDirPath) && lastDirStructure == structure) {
            return lastDir;
        }
        MNode at = root;
        if (!path.isEmpty()) {
            int start = 0;
            while (start <= path.length()) {
                int slash = path.indexOf('/', start);
                int end = slash < 0 ? path.length() : slash;
                String part = path.substring(start, end);
                start = end + 1;
                MNode next = at.child(part);
                if (next == null || !next.isDir()) {
                    String dirPath = path.substring(0, end);
                    if (next != null) {
                        remove(next, dirPath, false);
                    }
                    next = new MNode(part, at, implicitDirectory(dirPath), current);
                    at.attach(next);
                    record(next, ChangeKind.ADDED, dirPath, next.entry);
                }
                at = next;
                if (slash < 0) {
                    break;
                }
            }
        }
        lastDirPath = path;
        lastDir = at;
        lastDirStructure = structure;
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
     * Detaches {@code node} found at {@code path}; every regular file under it becomes wasted.
     * Returns their bytes. {@code ghost}: keep it to show as deleted in the tree of this layer.
     */
    private long remove(MNode node, String path, boolean ghost) {
        node.parent.children.remove(node.name);
        structure++;
        if (ghost) {
            removedByLast.add(node);
        }
        long bytes = 0;
        Deque<Map.Entry<String, MNode>> stack = new ArrayDeque<>();
        stack.push(Map.entry(path, node));
        while (!stack.isEmpty()) {
            Map.Entry<String, MNode> item = stack.pop();
            MNode at = item.getValue();
            if (at.entry.type() == EntryType.FILE) {
                bytes += at.entry.size();
                Copies c = copies.computeIfAbsent(item.getKey(), p -> new Copies());
                if (c.layers.isEmpty()) {
                    c.layers.add(at.layer);
                }
                c.wasted += at.entry.size();
                c.removed = true;
            }
            if (at.children != null) {
                at.children.values().forEach(child ->
                        stack.push(Map.entry(PathNames.join(item.getKey(), child.name), child)));
            }
        }
        wastedBytes += bytes;
        return bytes;
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

    /** One directory being frozen: its children are frozen first (post-order, without recursion). */
    private static final class Frame {
        final MNode node;
        final String path;
        final Iterator<MNode> pending;
        final List<FileNode> children = new ArrayList<>();
        long total;

        Frame(MNode node, String path) {
            this.node = node;
            this.path = path;
            this.pending = node.sortedChildren().iterator();
            this.total = node.entry.type() == EntryType.FILE ? node.entry.size() : 0;
        }
    }

    /** Iterative, so a hostile archive nesting paths thousands of levels deep cannot overflow the stack. */
    private FileNode freezeIterative(int viewedLayer) {
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root, ""));
        while (true) {
            Frame top = stack.peek();
            if (top.pending.hasNext()) {
                MNode child = top.pending.next();
                stack.push(new Frame(child, PathNames.join(top.path, child.name)));
                continue;
            }
            stack.pop();
            ChangeKind change = top.node.changeLayer == viewedLayer ? top.node.change : null;
            FileNode frozen = new FileNode(top.node.name, top.path, top.node.entry, top.node.layer, change, top.total,
                    top.children);
            Frame parent = stack.peek();
            if (parent == null) {
                return frozen;
            }
            parent.children.add(frozen);
            if (!frozen.deleted()) {
                parent.total += frozen.totalSize();
            }
        }
    }
}
