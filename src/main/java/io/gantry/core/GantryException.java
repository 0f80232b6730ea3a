package io.gantry.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The structured error every layer throws: what kind of failure it is, what Gantry was doing,
 * an optional protocol code (an OCI error code such as {@code MANIFEST_UNKNOWN}) and HTTP status,
 * and what the user can do about it.
 *
 * <p>Messages never contain secrets. Callers branch on {@link #kind()} and {@link #code()},
 * never on {@link #getMessage()}.
 */
public class GantryException extends RuntimeException {

    private final ErrorKind kind;
    private final String operation;
    private final String code;
    private final int httpStatus;
    private final String action;

    public GantryException(ErrorKind kind, String operation, String message) {
        this(kind, operation, message, null, 0, null, null);
    }

    public GantryException(ErrorKind kind, String operation, String message, Throwable cause) {
        this(kind, operation, message, null, 0, null, cause);
    }

    public GantryException(ErrorKind kind, String operation, String message, String code,
                           int httpStatus, String action, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.code = code;
        this.httpStatus = httpStatus;
        this.action = action;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** What Gantry was doing, e.g. "pull docker.io/library/alpine:3.20". */
    public String operation() {
        return operation;
    }

    /** The peer's error code, e.g. {@code MANIFEST_UNKNOWN}, when it sent one. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** What the user can do, e.g. "Log in with docker login registry.example.com". */
    public Optional<String> action() {
        return Optional.ofNullable(action);
    }

    /**
     * A failure Gantry did not expect (a bug, not the user's input or a peer's answer), as a user
     * reads it: the cause's message without its Java class name; the cause itself stays for the log.
     */
    public static GantryException unexpected(String operation, Throwable cause) {
        String detail = cause.getMessage() == null || cause.getMessage().isBlank() ? "it failed unexpectedly"
                : "it failed unexpectedly: " + cause.getMessage();
        return new GantryException(ErrorKind.INTERNAL, operation, detail, cause);
    }

    /** Whether this is a bug ({@link #unexpected}: INTERNAL, with a cause), whose stack trace belongs in the log file. */
    public boolean isBug() {
        return kind == ErrorKind.INTERNAL && getCause() != null;
    }

    /** One line for a status bar or a CLI: "operation: message". */
    public String describe() {
        return operation + ": " + getMessage();
    }
}
