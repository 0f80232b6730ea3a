package io.gantry.registry;

import java.util.Objects;

/**
 * A secret for one registry: a username and password (or access token used as a password), or an
 * identity token (an OAuth2 refresh token, as {@code docker login} stores for some registries).
 *
 * <p>{@link #toString()} never shows the secret, and nothing in this package puts it in a log or
 * an exception message.
 *
 * @param username      the user name; empty for an identity token
 * @param secret        the password, access token or identity token
 * @param identityToken whether {@code secret} is an identity (refresh) token
 */
public record Credential(String username, String secret, boolean identityToken) {

    public Credential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
    }

    /** A user name and password. */
    public static Credential basic(String username, String password) {
        return new Credential(username, password, false);
    }

    /** An identity (refresh) token. */
    public static Credential identity(String username, String token) {
        return new Credential(username, token, true);
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + ", secret=***" + (identityToken ? ", identityToken" : "") + "]";
    }
}
