package io.gantry.registry;

import java.util.List;
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

    /**
     * The registries this store names a login for ({@code docker.io}, {@code localhost:5000}),
     * sorted; for choosing among them. A name listed may still give no credential (a helper that
     * fails). None by default.
     */
    default List<String> registries() {
        return List.of();
    }

    /** No credentials anywhere: every request is anonymous. */
    static CredentialStore anonymous() {
        return registry -> Optional.empty();
    }

    /** Fixed credentials by registry name. */
    static CredentialStore of(Map<String, Credential> byRegistry) {
        Map<String, Credential> copy = Map.copyOf(byRegistry);
        return new CredentialStore() {
            @Override
            public Optional<Credential> credentialFor(String registry) {
                return Optional.ofNullable(copy.get(registry));
            }

            @Override
            public List<String> registries() {
                return copy.keySet().stream().sorted().toList();
            }
        };
    }
}
