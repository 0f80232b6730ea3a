package io.gantry.ui;

import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import java.io.IOException;
import java.util.Objects;

/**
 * A message for the window's banner: what happened and what to do, never a stack trace.
 *
 * @param level   how serious it is
 * @param title   what happened, in a few words ("Could not delete app:1")
 * @param details why, and what to do
 */
public record Notice(Level level, String title, String details) {

    /** How the banner is coloured. */
    public enum Level { INFO, SUCCESS, WARNING, ERROR }

    public Notice {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(details, "details");
    }

    /** A failure of {@code what}, worded from a structured error where there is one. */
    public static Notice failure(String what, Throwable error) {
        return new Notice(Level.ERROR, "Could not " + what, describe(error));
    }

    /** One readable sentence for an error: the structured description and action, or the bare message. */
    public static String describe(Throwable error) {
        Throwable cause = error;
        while (!(cause instanceof GantryException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof GantryException ge) {
            return ge.describe() + ge.action().map(action -> ". " + action + ".").orElse("");
        }
        if (error instanceof IOException io) {
            return IoProblem.describe(io);
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? "it failed unexpectedly" : message;
    }
}
