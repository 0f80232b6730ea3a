package io.gantry.registry;

import java.util.Map;
import java.util.Optional;

/**
 * Where the client finds credentials for a registry. The production implementation reads the
 * user's Docker configuration ({@link DockerConfigCredentials}); tests and the app can also pass
 * fixed ones ({@link #of(Map)}).
 */
@FunctionalInterface
public interface CredentialStore {

    /**
     * The credential for {@code registry} (as in references: {@code docker.io},
     * {@code localhost:5000}), or empty to go anonymous.
     */
    Optional<Credential> credentialFor(String registry);

    /** No credentials anywhere: every request is anonymous. */
    static CredentialStore anonymous() {
        return registry -> Optional.empty();
    }

    /** Fixed credentials by registry name. */
    static CredentialStore of(Map<String, Credential> byRegistry) {
        Map<String, Credential> copy = Map.copyOf(byRegistry);
        return registry -> Optional.ofNullable(copy.get(registry));
    }
}
