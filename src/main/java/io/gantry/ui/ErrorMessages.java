package io.gantry.ui;

import io.gantry.core.GantryException;
import java.util.Optional;

/**
 * Turns a failure into words for a notification: a title saying what happened, the detail, and
 * what to do. Chosen by {@link io.gantry.core.ErrorKind}, never by message text; no stack traces.
 */
public final class ErrorMessages {

    /**
     * A failure as the user reads it.
     *
     * @param title  what happened ("Repository or tag not found")
     * @param detail the operation and the peer's words
     * @param action what to do about it
     */
    public record Message(String title, String detail, String action) {

        /** Peers' words are data: no control characters or escapes, no credential Gantry sent. */
        public Message {
            detail = io.gantry.core.PeerText.clean(detail);
            action = io.gantry.core.PeerText.clean(action);
        }

        /** "title: detail — action", for a status line or a row. */
        public String oneLine() {
            return title + ": " + detail + (action.isEmpty() ? "" : " — " + action);
        }
    }

    private ErrorMessages() {
    }

    /** Java class names ({@code org.apache.http.conn.HttpHostConnectException: }, {@code SocketException: }) out of a peer's words. */
    static String withoutClassNames(String text) {
        return CLASS_NAME.matcher(text).replaceAll("").replaceAll("\\(\\s*\\)", "").replaceAll("  +", " ").trim();
    }

    private static final java.util.regex.Pattern CLASS_NAME = java.util.regex.Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_$]*[a-z0-9](?:Exception|Error)\\b:?\\s*");

    private static volatile Optional<java.nio.file.Path> logFile = Optional.empty();

    /** The log file an unexpected failure's message names (set by the composition root). */
    public static void logFile(java.nio.file.Path file) {
        logFile = Optional.of(file);
    }

    public static Message of(Throwable error) {
        if (unexpected(error)) {
            // the window says it in words; the stack trace goes to the log file the message names
            org.slf4j.LoggerFactory.getLogger(ErrorMessages.class).error(io.gantry.core.LogMarkers.TOLD,
                    "unexpected failure: {}", error.getMessage(), error);
        }
        Message raw = raw(error);
        return new Message(raw.title(), withoutClassNames(raw.detail()), raw.action());
    }

    private static boolean unexpected(Throwable error) {
        return !(error instanceof GantryException e) || e.isBug();
    }

    private static String report() {
        return logFile.map(file -> "Please report this with the log file " + file + ".")
                .orElse("Please report this; start Gantry with GANTRY_LOG=debug to see the details.");
    }

    private static Message raw(Throwable error) {
        if (!(error instanceof GantryException e)) {
            return new Message("Unexpected error", error.getMessage() == null ? "no details" : error.getMessage(),
                    report());
        }
        Optional<String> own = e.action();
        return switch (e.kind()) {
            case NOT_FOUND -> new Message("Not found", e.describe(),
                    own.orElse("Check the repository name and tag; the registry does not have it."));
            case UNAUTHORIZED -> new Message("Not authorized", e.describe(),
                    own.orElse("Log in to the registry with docker login, then try again."));
            case DENIED -> new Message("Access denied", e.describe(),
                    own.orElse("Your account may not pull this repository; ask its owner for access."));
            case UNAVAILABLE -> new Message("Registry or engine unreachable", e.describe(),
                    own.orElse("Check the address and your network; a plain-HTTP registry must be marked insecure in Settings."));
            case RATE_LIMITED -> new Message("Rate limited", e.describe(),
                    own.orElse("Wait a few minutes, or log in to get a higher limit."));
            case INVALID_INPUT -> new Message("Invalid input", e.describe(), own.orElse("Correct it and try again."));
            case BAD_CONTENT -> new Message("Unusable content", e.describe(), own.orElse(""));
            case STORAGE -> new Message("Storage problem", e.describe(), own.orElse("Check free disk space and permissions."));
            case CONFLICT -> new Message("Refused", e.describe(), own.orElse(""));
            case CANCELLED -> new Message("Cancelled", e.describe(), "");
            case INTERNAL -> new Message("Unexpected error", e.describe(), own.orElse(report()));
        };
    }
}
