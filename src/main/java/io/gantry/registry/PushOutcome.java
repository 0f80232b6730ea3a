package io.gantry.registry;

/** How a pushed blob got into the target repository. */
public enum PushOutcome {
    /** The repository already had it; nothing was sent. */
    EXISTED,
    /** Mounted from another repository of the same registry; nothing was sent. */
    MOUNTED,
    /** Its bytes were uploaded. */
    UPLOADED
}
