package io.gantry.service.analysis;

/** How a layer changes a path of the filesystem below it. */
public enum ChangeKind {
    /** The path did not exist below. */
    ADDED,
    /** The path existed below and this layer replaces it (new content, type or attributes). */
    MODIFIED,
    /** A whiteout or an opaque directory removes the path (and everything under it). */
    DELETED
}
