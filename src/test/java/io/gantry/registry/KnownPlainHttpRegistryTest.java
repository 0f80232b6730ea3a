package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageReference;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that answered over plain HTTP is noted, and the next client reaches it over plain HTTP
 * without setting up TLS; a noted registry that now speaks TLS is reached over HTTPS and forgotten.
 * Real registries started by the harness (loopback, so plain HTTP is allowed as Docker allows it).
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class KnownPlainHttpRegistryTest {

    private final FixtureImages images = new FixtureImages();
    @TempDir
    Path dir;

    private FixtureImage pushed(RegistryPeer registry) {
        FixtureImage image = images.image(FixtureImages.unique("plain/app")).layer(l -> l.file("etc/hello", "hello\n"));
        registry.pusher().push(image);
        return image;
    }

    @Test
    void theNextClientReachesANotedPlainRegistryWithoutSettingUpTls(RegistryPeer registry) throws IOException {
        FixtureImage image = pushed(registry);
        ImageReference reference = ImageReference.parse(image.reference(registry.hostPort()));
        Path file = dir.resolve("plain-http-registries");

        RegistryClient racing = RegistryClient.builder().knownPlainHttp(file).build();
        assertThat(racing.pullManifest(reference, NONE).digest().toString()).isEqualTo(image.manifestDigest());
        assertThat(racing.tlsSetUp()).as("the first client raced an HTTPS ping against the plain one").isTrue();
        assertThat(Files.readAllLines(file)).containsExactly(registry.hostPort());

        RegistryClient next = RegistryClient.builder().knownPlainHttp(file).build();
        assertThat(next.pullManifest(reference, NONE).digest().toString()).isEqualTo(image.manifestDigest());
        assertThat(next.tlsSetUp()).isFalse();
        assertThat(Files.readAllLines(file)).containsExactly(registry.hostPort());
    }

    @Test
    void aNotedRegistryThatNowSpeaksTlsIsReachedOverHttpsAndForgotten(RegistryPeer plain, RegistryPeers registries)
            throws IOException {
        TestPki.KeyAndCert ca = TestPki.certificateAuthority(dir);
        TestPki.KeyAndCert server = TestPki.serverCertificate(dir, ca, "127.0.0.1");
        RegistryPeer tls = registries.start(RegistryConfig.anonymous().tls(server.cert(), server.key()));
        Path dockerConfig = dir.resolve("docker-config");
        Path certsD = Files.createDirectories(dockerConfig.resolve("certs.d").resolve(tls.hostPort()));
        Files.copy(ca.cert(), certsD.resolve("ca.crt"));
        Path file = Files.writeString(dir.resolve("plain-http-registries"), tls.hostPort() + "\n" + plain.hostPort() + "\n");
        FixtureImage image = pushed(plain);
        ImageReference source = ImageReference.parse(image.reference(plain.hostPort()));
        ImageReference target = ImageReference.parse(tls.hostPort() + "/plain/copied:1");

        RegistryClient client = RegistryClient.builder()
                .fromDockerConfig(Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", "/usr/bin:/bin"), dir.resolve("home"))
                .knownPlainHttp(file).build();
        client.copy(source, target, NONE);

        assertThat(client.pullManifest(target, NONE).digest().toString()).isEqualTo(image.manifestDigest());
        assertThat(Files.readAllLines(file)).containsExactly(plain.hostPort());
    }
}
