package io.gantry.engine;

/** Which images a prune removes, as {@code docker image prune} and {@code docker image prune -a}. */
public enum PruneMode {
    /** Untagged images that no other image is built on. */
    DANGLING,
    /** Every image no container uses (running or stopped). */
    ALL_UNUSED
}
