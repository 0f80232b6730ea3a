package io.gantry.core;

/**
 * What went wrong, in terms a user can act on. The UI and CLI choose their wording and exit code
 * from this, never from a message text.
 */
public enum ErrorKind {
    /** The user's input is malformed: a reference, a digest, a path, an option. */
    INVALID_INPUT,
    /** The thing asked for does not exist (image, tag, repository, manifest, blob). */
    NOT_FOUND,
    /** Credentials are missing or wrong. */
    UNAUTHORIZED,
    /** Credentials are valid but do not allow this. */
    DENIED,
    /** The peer asked us to slow down (HTTP 429). */
    RATE_LIMITED,
    /** An operation is refused because of the state of other things (e.g. an image in use). */
    CONFLICT,
    /** A peer (registry, engine) could not be reached or stopped answering. */
    UNAVAILABLE,
    /** A peer sent something malformed or unsupported (bad manifest, digest mismatch). */
    BAD_CONTENT,
    /** The local disk or store failed (full disk, corrupt store, permission denied). */
    STORAGE,
    /** The user cancelled. */
    CANCELLED,
    /** Anything else; a bug in Gantry or a peer. */
    INTERNAL
}
