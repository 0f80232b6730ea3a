package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageReference;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.containerd.api.cri.AuthConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The user's login as the CRI's {@code AuthConfig}, with {@code server_address} in the form containerd 1.6 matches. */
class CriAuthTest {

    private static AuthConfig auth(String reference, RegistryLogin login) {
        return CriPulls.authFor(ImageReference.parse(reference), Optional.of(login));
    }

    @Test
    void aHostAndPortGetsASchemeSoContainerdCanParseIt() {
        AuthConfig auth = auth("127.0.0.1:5000/team/app:1",
                new RegistryLogin("127.0.0.1:5000", "alice", "secret", Optional.empty()));
        assertThat(auth.getServerAddress()).isEqualTo("https://127.0.0.1:5000");
        assertThat(auth.getUsername()).isEqualTo("alice");
        assertThat(auth.getPassword()).isEqualTo("secret");
        assertThat(auth.getIdentityToken()).isEmpty();
    }

    @Test
    void dockerHubsLoginIsForTheApiHostTheNodeTalksTo() {
        AuthConfig auth = auth("nginx:1.27",
                new RegistryLogin("https://index.docker.io/v1/", "bob", "pw", Optional.empty()));
        assertThat(auth.getServerAddress()).isEqualTo("https://registry-1.docker.io");
    }

    @Test
    void anIdentityTokenGoesAsOne() {
        AuthConfig auth = auth("ghcr.io/o/r:1", new RegistryLogin("ghcr.io", "", "", Optional.of("refresh")));
        assertThat(auth.getIdentityToken()).isEqualTo("refresh");
        assertThat(auth.getUsername()).isEmpty();
        assertThat(auth.getPassword()).isEmpty();
        assertThat(auth.getServerAddress()).isEqualTo("https://ghcr.io");
    }

    @Test
    void noLoginIsAnEmptyConfigThatIsAnonymous() {
        assertThat(CriPulls.authFor(ImageReference.parse("ghcr.io/o/r:1"), Optional.empty()))
                .isEqualTo(AuthConfig.getDefaultInstance());
    }

    @Test
    void theSandboxImageComesFromTheCriPluginsConfiguration() {
        assertThat(CriRuntime.sandboxImage("{\"sandboxImage\":\"registry.k8s.io/pause:3.6\",\"other\":1}"))
                .contains("registry.k8s.io/pause:3.6");
        assertThat(CriRuntime.sandboxImage("")).isEmpty();
        assertThat(CriRuntime.sandboxImage("{not json")).isEmpty();
        assertThat(CriRuntime.sandboxImage("{\"sandboxImage\":42}")).isEmpty();
    }
}
