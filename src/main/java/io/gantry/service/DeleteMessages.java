package io.gantry.service;

import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import java.util.List;

/**
 * A delete refusal in the words {@code docker rmi} uses (moby's {@code imageDeleteConflict}), with
 * the container's name added in parentheses: "conflict: unable to delete 43fe4e0719d8 (must be
 * forced) - image is being used by stopped container 81028b9c7614 (web-1)". Built from the typed
 * conflict, so it reads the same on every endpoint.
 */
public final class DeleteMessages {

    private DeleteMessages() {
    }

    /** The one-line reason, as docker prints it after "Error response from daemon: ". */
    public static String describe(DeleteConflict conflict, String asked) {
        String id = conflict.imageId().shortHex();
        return switch (conflict.kind()) {
            case DEPENDENT_CHILDREN -> unable(id, true, "image has dependent child images");
            case RUNNING_CONTAINER -> unable(id, true, "image is being used by running container "
                    + container(conflict.containers()));
            case STOPPED_CONTAINER -> unable(id, false, "image is being used by stopped container "
                    + container(conflict.containers()));
            case MULTIPLE_REFERENCES -> unable(id, false, "image is referenced in multiple repositories");
            case REFERENCE_IN_USE -> "conflict: unable to remove repository reference \"" + asked
                    + "\" (must force) - container " + container(conflict.containers()) + " is using its referenced image " + id;
            case UNKNOWN -> conflict.engineMessage().isBlank() ? unable(id, true, "the engine refused it")
                    : conflict.engineMessage();
        };
    }

    private static String unable(String id, boolean hard, String what) {
        return "conflict: unable to delete " + id + " (" + (hard ? "cannot be forced" : "must be forced") + ") - " + what;
    }

    private static String container(List<ContainerRef> containers) {
        if (containers.isEmpty()) {
            return "(unknown)";
        }
        ContainerRef first = containers.get(0);
        return first.shortId() + (first.name().isBlank() ? "" : " (" + first.name() + ")");
    }
}
