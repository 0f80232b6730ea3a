package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.service.EndpointCatalog;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import io.gantry.testing.RegistryPusher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root hands engines the user's Docker credentials: with a login for an htpasswd
 * registry in {@code $DOCKER_CONFIG/config.json}, a pull through the engine endpoint Gantry found
 * from {@code DOCKER_HOST} succeeds (the private dockerd, never the user's).
 */
@Tag("peer")
@ExtendWith({DockerdExtension.class, RegistryExtension.class})
class EngineCredentialsWiringTest {

    @TempDir
    Path home;

    @Test
    void enginePullsUseTheDockerConfigLogin(DockerdPeer dockerd, RegistryPeers registries) throws Exception {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("bob", "wired-secret"));
        FixtureImage image = new FixtureImages().image(FixtureImages.unique("wired"))
                .layer("ADD w", l -> l.file("w", "wired"));
        RegistryPusher.Pushed pushed = secured.pusher().push(image);
        Path dockerConfig = Files.createDirectories(home.resolve("docker-config"));
        String auth = Base64.getEncoder().encodeToString("bob:wired-secret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{\"" + secured.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
        Map<String, String> env = Map.of("DOCKER_HOST", dockerd.host(), "DOCKER_CONFIG", dockerConfig.toString(),
                "PATH", "/usr/bin:/bin");

        Gantry gantry = new Gantry(new AppPaths(home.resolve("gantry")), env);
        try (EndpointCatalog catalog = gantry.openCatalog(home.resolve("gantry").resolve("store"))) {
            ImageStore engine = catalog.endpoints().stream()
                    .filter(endpoint -> endpoint.address().equals(dockerd.host()))
                    .map(endpoint -> catalog.store(endpoint.id()))
                    .findFirst().orElseThrow();
            PullResult pulled = engine.pull(PullRequest.of(pushed.reference()), progress -> { }, Cancellation.none());
            assertThat(pulled.imageId()).isEqualTo(Digest.of(image.imageId()));
        }
    }
}
