package io.gantry.engine;

import java.util.Optional;

/**
 * Where an engine endpoint gets registry credentials for a pull. The composition root adapts the
 * Docker credential chain of {@code io.gantry.registry} to this; the engine layer only encodes
 * what it is given into {@code X-Registry-Auth}.
 */
@FunctionalInterface
public interface EngineCredentials {

    /**
     * The login for {@code registryHost} ("docker.io", "localhost:5000", "ghcr.io"), if the user has one.
     * Must not block for long: a credential helper gets a timeout.
     */
    Optional<RegistryLogin> loginFor(String registryHost);

    /**
     * The registries the user's credentials name ({@code docker.io}, {@code ghcr.io}, sorted), for a
     * choice among them; a login for one may still be missing (a helper that fails). None by default.
     */
    default java.util.List<String> registries() {
        return java.util.List.of();
    }

    /** No credentials: anonymous pulls only. */
    static EngineCredentials anonymous() {
        return host -> Optional.empty();
    }
}
