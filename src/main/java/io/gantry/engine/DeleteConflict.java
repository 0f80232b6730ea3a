package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;

/**
 * Why an endpoint refused to delete an image, typed as moby's {@code image_delete.go} decides it.
 *
 * @param kind          which rule refused it
 * @param imageId       the image that could not be deleted
 * @param containers    the containers in the way (for the container kinds), running ones first
 * @param children      the dependent child images (for {@link Kind#DEPENDENT_CHILDREN})
 * @param references    the references naming the image (for {@link Kind#MULTIPLE_REFERENCES})
 * @param engineMessage what the engine said, verbatim, for display only; never parsed
 */
public record DeleteConflict(Kind kind, Digest imageId, List<ContainerRef> containers, List<Digest> children,
                             List<String> references, String engineMessage) {

    /** The delete conflict rules. Hard conflicts cannot be forced; soft ones can. */
    public enum Kind {
        /** Other images were built on this one (hard: cannot be forced). */
        DEPENDENT_CHILDREN(true),
        /** A running (or paused, or restarting) container uses the image (hard: cannot be forced). */
        RUNNING_CONTAINER(true),
        /** A stopped container uses the image (soft: must be forced). */
        STOPPED_CONTAINER(false),
        /** Deleting by ID an image that several repositories reference (soft: must be forced). */
        MULTIPLE_REFERENCES(false),
        /**
         * Removing the last reference of an image a container uses would leave it dangling (soft:
         * must be forced; forcing only untags while a container still runs it).
         */
        REFERENCE_IN_USE(false),
        /**
         * The engine answered 409 but its state, read afterwards, matches no rule (it changed in
         * between, or the engine has rules of its own). {@link #engineMessage()} says what it said.
         */
        UNKNOWN(true);

        private final boolean hard;

        Kind(boolean hard) {
            this.hard = hard;
        }

        /** Whether forcing cannot overcome it. */
        public boolean hard() {
            return hard;
        }
    }

    public DeleteConflict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(imageId, "imageId");
        containers = List.copyOf(containers);
        children = List.copyOf(children);
        references = List.copyOf(references);
        Objects.requireNonNull(engineMessage, "engineMessage");
    }

    /** Whether retrying with force would get past this conflict. */
    public boolean forcible() {
        return !kind.hard();
    }
}
