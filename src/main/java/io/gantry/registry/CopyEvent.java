package io.gantry.registry;

import io.gantry.core.Descriptor;
import java.util.Objects;

/**
 * How one blob of a registry-to-registry copy ({@link RegistryClient#copy}) advances: each blob is
 * {@link Step#PREPARING prepared}, may be {@link Step#PUSHING pushed} with bytes, and ends as
 * {@link Step#EXISTED}, {@link Step#MOUNTED} or {@link Step#PUSHED}. A blob shared by several
 * images of an index is reported (and sent) once.
 *
 * @param blob  the blob
 * @param layer whether it is a layer (else an image's config)
 * @param step  what happens to it
 * @param sent  bytes sent so far ({@link Step#PUSHING}, {@link Step#PUSHED}; else 0)
 */
public record CopyEvent(Descriptor blob, boolean layer, Step step, long sent) {

    /** The steps of one blob, in {@code docker push}'s terms. */
    public enum Step {
        /** The blob is looked at. */
        PREPARING,
        /** Its bytes stream from the source registry to the target. */
        PUSHING,
        /** The target repository had it: nothing was sent. */
        EXISTED,
        /** Mounted from the source repository (same registry): nothing was sent. */
        MOUNTED,
        /** Its bytes were sent. */
        PUSHED;

        /** Whether nothing more will happen to the blob. */
        public boolean finished() {
            return this == EXISTED || this == MOUNTED || this == PUSHED;
        }
    }

    public CopyEvent {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(step, "step");
    }
}
