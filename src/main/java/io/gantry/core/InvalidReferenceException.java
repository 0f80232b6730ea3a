package io.gantry.core;

import java.util.Objects;

/**
 * An image reference that does not follow the Docker reference grammar. {@link #reason()} says
 * which rule was broken, so callers can react without reading the message; the message quotes the
 * input and names the rule, and {@link #action()} suggests a fix.
 */
public final class InvalidReferenceException extends GantryException {

    /** Which rule of the reference grammar the input broke. */
    public enum Reason {
        /** Nothing to parse: an empty or blank string. */
        EMPTY,
        /** The repository contains upper-case letters, which the grammar forbids. */
        UPPERCASE_REPOSITORY,
        /** A path component of the repository has characters or separators the grammar forbids. */
        INVALID_REPOSITORY,
        /** The registry part is not a valid host name, IP address or port. */
        INVALID_REGISTRY,
        /** The tag contains characters other than letters, digits, '_', '.', '-' or starts with '.' or '-'. */
        INVALID_TAG,
        /** The tag is longer than 128 characters. */
        TAG_TOO_LONG,
        /** The part after '@' is not a well-formed digest. */
        INVALID_DIGEST,
        /** The full name (registry and repository) is longer than 255 characters. */
        NAME_TOO_LONG,
        /** The input is a bare 64-character hex string, which looks like an image ID, not a name. */
        LOOKS_LIKE_ID,
        /** The input starts with a URL scheme ({@code https://}, {@code docker://}), which a name never has. */
        HAS_SCHEME
    }

    private final Reason reason;
    private final String input;

    InvalidReferenceException(Reason reason, String input, String message, String action) {
        super(ErrorKind.INVALID_INPUT, "parse image reference", message, null, 0, action, null);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.input = Objects.requireNonNull(input, "input");
    }

    public Reason reason() {
        return reason;
    }

    /** The text that failed to parse. */
    public String input() {
        return input;
    }
}
