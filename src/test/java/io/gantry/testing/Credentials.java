package io.gantry.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for a test registry. {@link #toString()} hides the password, like
 * production code must.
 */
public record Credentials(String username, String password) {

    public Credentials {
        if (username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("a user name must be non-empty and contain no ':'");
        }
    }

    /** The value of an {@code Authorization} header for HTTP basic authentication. */
    public String basicAuthorization() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
