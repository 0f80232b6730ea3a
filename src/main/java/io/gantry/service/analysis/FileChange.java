package io.gantry.service.analysis;

import java.util.Objects;

/**
 * One path a layer adds, modifies or deletes.
 *
 * @param path  the path below the image root
 * @param kind  added, modified or deleted
 * @param entry for an added or modified path the new entry; for a deleted path the entry that is
 *              removed (or the whiteout itself when it deletes nothing)
 * @param bytes file bytes the change brings: the new file's size when added or modified; when
 *              deleted, the bytes of every file removed (a whole directory's worth for a directory)
 */
public record FileChange(String path, ChangeKind kind, LayerEntry entry, long bytes) {

    public FileChange {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(entry, "entry");
    }
}
