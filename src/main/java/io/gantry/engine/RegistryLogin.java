package io.gantry.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * Credentials an engine needs to pull from a registry: what the Engine API's
 * {@code X-Registry-Auth} header carries. {@link #toString()} never shows the secret.
 *
 * @param serverAddress the registry as the credential store keys it ("https://index.docker.io/v1/",
 *                      "registry.example.com")
 * @param username      the user name, empty with an identity token
 * @param password      the password or access token
 * @param identityToken an OAuth identity token (docker's {@code identitytoken}), instead of a password
 */
public record RegistryLogin(String serverAddress, String username, String password, Optional<String> identityToken) {

    public RegistryLogin {
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(identityToken, "identityToken");
    }

    @Override
    public String toString() {
        return "RegistryLogin[" + serverAddress + ", user=" + username + ", secret hidden]";
    }
}
