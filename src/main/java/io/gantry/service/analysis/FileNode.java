package io.gantry.service.analysis;

import java.util.List;
import java.util.Optional;

/**
 * A node of the merged filesystem at some layer: what a container started from the layers up to
 * that point would see, plus the paths that layer deleted (marked {@link ChangeKind#DELETED}).
 * Immutable; children sorted by name.
 */
public final class FileNode {

    private final String name;
    private final String path;
    private final LayerEntry entry;
    private final int layerIndex;
    private final ChangeKind change;
    private final long totalSize;
    private final List<FileNode> children;

    FileNode(String name, String path, LayerEntry entry, int layerIndex, ChangeKind change, long totalSize,
             List<FileNode> children) {
        this.name = name;
        this.path = path;
        this.entry = entry;
        this.layerIndex = layerIndex;
        this.change = change;
        this.totalSize = totalSize;
        this.children = List.copyOf(children);
    }

    /** The last path component; empty for the root. */
    public String name() {
        return name;
    }

    /** The full path below the image root; empty for the root. */
    public String path() {
        return path;
    }

    /** The entry that put this path here (a synthesized directory for parents the tar never listed). */
    public LayerEntry entry() {
        return entry;
    }

    /**
     * The layer that last wrote this path; for a parent directory the tar never listed, the layer
     * that first needed it; -1 for the root.
     */
    public int layerIndex() {
        return layerIndex;
    }

    /** How the layer being viewed changed this path; empty when it did not touch it. */
    public Optional<ChangeKind> change() {
        return Optional.ofNullable(change);
    }

    /** A path deleted by the viewed layer: shown struck through; it is not part of the filesystem. */
    public boolean deleted() {
        return change == ChangeKind.DELETED;
    }

    /** Bytes of the regular files at or below this node (deleted children not counted). */
    public long totalSize() {
        return totalSize;
    }

    public List<FileNode> children() {
        return children;
    }

    public boolean isDirectory() {
        return entry.type() == EntryType.DIRECTORY;
    }

    /** The node at a relative path below this one ({@code usr/bin/env}). */
    public Optional<FileNode> find(String relativePath) {
        FileNode at = this;
        for (String part : relativePath.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            FileNode next = null;
            for (FileNode child : at.children) {
                if (child.name.equals(part)) {
                    next = child;
                    break;
                }
            }
            if (next == null) {
                return Optional.empty();
            }
            at = next;
        }
        return Optional.of(at);
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "/" : path) + (change == null ? "" : " [" + change + "]");
    }
}
