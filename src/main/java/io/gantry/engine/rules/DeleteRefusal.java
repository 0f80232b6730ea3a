package io.gantry.engine.rules;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.DeleteConflict;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a target cannot be deleted, with moby's conflict classes ({@code daemon/images/image_delete.go}).
 *
 * @param reason  the conflict (or {@link Reason#NOT_FOUND})
 * @param imageId the image in question; empty when the target named no image
 * @param message the engine's wording, e.g. {@code conflict: unable to delete 1a2b3c4d5e6f (must be
 *                forced) - image is being used by stopped container 0a1b2c3d4e5f}
 */
public record DeleteRefusal(Reason reason, Optional<Digest> imageId, String message) {

    /** The conflict classes; hard ones cannot be forced, soft ones need force. */
    public enum Reason {
        /** Another image names this one as its parent. Hard. */
        DEPENDENT_CHILD(true),
        /** A running container uses the image. Hard. */
        RUNNING_CONTAINER(true),
        /** A stopped (or created) container uses the image. Soft. */
        STOPPED_CONTAINER(false),
        /** Deleting by ID an image that several tags or repositories name. Soft. */
        MULTIPLE_REFERENCES(false),
        /** Removing the last name of an image a container uses would leave it dangling. Soft. */
        REFERENCE_IN_USE(false),
        /** No image has that name or ID. */
        NOT_FOUND(false);

        private final boolean hard;

        Reason(boolean hard) {
            this.hard = hard;
        }

        public boolean hard() {
            return hard;
        }

        /** The port's conflict kind for this reason ({@code UNKNOWN} for {@link #NOT_FOUND}, which is no conflict). */
        public DeleteConflict.Kind conflictKind() {
            return switch (this) {
                case DEPENDENT_CHILD -> DeleteConflict.Kind.DEPENDENT_CHILDREN;
                case RUNNING_CONTAINER -> DeleteConflict.Kind.RUNNING_CONTAINER;
                case STOPPED_CONTAINER -> DeleteConflict.Kind.STOPPED_CONTAINER;
                case MULTIPLE_REFERENCES -> DeleteConflict.Kind.MULTIPLE_REFERENCES;
                case REFERENCE_IN_USE -> DeleteConflict.Kind.REFERENCE_IN_USE;
                case NOT_FOUND -> DeleteConflict.Kind.UNKNOWN;
            };
        }
    }

    public DeleteRefusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(message, "message");
    }

    /** Whether deleting with force would get past this. */
    public boolean forceable() {
        return reason != Reason.NOT_FOUND && !reason.hard();
    }

    /** As the structured error a store throws: {@code CONFLICT} (or {@code NOT_FOUND}), code = reason. */
    public GantryException toException(String operation) {
        ErrorKind kind = reason == Reason.NOT_FOUND ? ErrorKind.NOT_FOUND : ErrorKind.CONFLICT;
        String action = forceable() ? "Delete with force" : reason.hard()
                ? "Remove the dependent containers or images first" : null;
        return new GantryException(kind, operation, message, reason.name(), reason == Reason.NOT_FOUND ? 404 : 409,
                action, null);
    }
}
