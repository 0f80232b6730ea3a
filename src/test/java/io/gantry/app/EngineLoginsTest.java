package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.RegistryLogin;
import io.gantry.registry.Credential;
import io.gantry.registry.CredentialStore;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineLoginsTest {

    private final EngineLogins logins = new EngineLogins(CredentialStore.of(Map.of(
            "docker.io", Credential.basic("ana", "hub-secret"),
            "localhost:5000", Credential.identity("<token>", "id-token"))));

    @Test
    void dockerHubIsKeyedAsTheClassicIndexUrl() {
        RegistryLogin login = logins.loginFor("docker.io").orElseThrow();
        assertThat(login.serverAddress()).isEqualTo("https://index.docker.io/v1/");
        assertThat(login.username()).isEqualTo("ana");
        assertThat(login.password()).isEqualTo("hub-secret");
        assertThat(login.identityToken()).isEmpty();
        assertThat(logins.loginFor("index.docker.io")).contains(login);
        assertThat(login.toString()).doesNotContain("hub-secret");
    }

    @Test
    void identityTokensTravelAsIdentityTokens() {
        RegistryLogin login = logins.loginFor("localhost:5000").orElseThrow();
        assertThat(login.serverAddress()).isEqualTo("localhost:5000");
        assertThat(login.password()).isEmpty();
        assertThat(login.identityToken()).isEqualTo(Optional.of("id-token"));
    }

    @Test
    void unknownRegistriesAreAnonymous() {
        assertThat(logins.loginFor("ghcr.io")).isEmpty();
    }
}
