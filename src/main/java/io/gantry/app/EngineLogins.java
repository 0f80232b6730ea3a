package io.gantry.app;

import io.gantry.core.ImageReference;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.RegistryLogin;
import io.gantry.registry.Credential;
import io.gantry.registry.CredentialStore;
import java.util.Optional;

/**
 * Hands engines the same credentials the registry client uses: the user's Docker credential
 * chain ({@code credHelpers}, {@code credsStore}, {@code auths}), encoded as the Engine API's
 * {@code X-Registry-Auth} expects, with Docker Hub keyed as {@code https://index.docker.io/v1/}.
 */
final class EngineLogins implements EngineCredentials {

    private final CredentialStore credentials;

    EngineLogins(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<RegistryLogin> loginFor(String registryHost) {
        String registry = registryHost.equals("index.docker.io") ? ImageReference.DOCKER_HUB : registryHost;
        String serverAddress = registry.equals(ImageReference.DOCKER_HUB)
                ? ImageReference.DOCKER_HUB_CREDENTIALS_KEY : registry;
        return credentials.credentialFor(registry).map(credential -> toLogin(serverAddress, credential));
    }

    @Override
    public java.util.List<String> registries() {
        return credentials.registries();
    }

    private static RegistryLogin toLogin(String serverAddress, Credential credential) {
        return credential.identityToken()
                ? new RegistryLogin(serverAddress, credential.username(), "", Optional.of(credential.secret()))
                : new RegistryLogin(serverAddress, credential.username(), credential.secret(), Optional.empty());
    }
}
