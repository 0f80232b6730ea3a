package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.core.Repository;
import io.gantry.testing.Blob;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and TLS against real registries started by the harness: htpasswd Basic auth
 * (right and wrong password, and a credential helper script found on an injected {@code PATH}),
 * token auth ({@code auth.token} with {@link TestTokenServer} issuing JWTs signed by a key
 * generated with openssl at test time), and HTTPS with a test CA placed in a temporary
 * {@code certs.d/127.0.0.1:PORT/ca.crt}.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryAuthTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";

    private final FixtureImages images = new FixtureImages();
    @TempDir
    Path dir;

    private FixtureImage sampleImage() {
        return images.image(FixtureImages.unique("auth/app"))
                .layer(l -> l.file("etc/hello", "hello\n"))
                .cmd("/bin/true");
    }

    private static RegistryClient clientWith(Credential credential, String registry) {
        return RegistryClient.builder().credentials(CredentialStore.of(Map.of(registry, credential))).build();
    }

    @Test
    void basicAuthWithTheRightPasswordPullsAndTheWrongOneIsRefused(RegistryPeers registries) {
        RegistryPeer registry = registries.start(RegistryConfig.anonymous().htpasswd(USER, PASSWORD));
        FixtureImage image = sampleImage();
        registry.pusher().push(image);
        ImageReference reference = ImageReference.parse(image.reference(registry.hostPort()));

        FetchedManifest pulled = clientWith(Credential.basic(USER, PASSWORD), registry.hostPort())
                .pullImageManifest(reference, Platform.parse("linux/amd64"), NONE);
        assertThat(pulled.digest().toString()).isEqualTo(image.manifestDigest());

        for (RegistryClient refused : List.of(clientWith(Credential.basic(USER, "wrong password"), registry.hostPort()),
                RegistryClient.builder().build())) {
            assertThatThrownBy(() -> refused.pullManifest(reference, NONE))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                        assertThat(e.code()).contains("UNAUTHORIZED");
                        assertThat(e.httpStatus()).hasValue(401);
                        assertThat(e.action()).contains("Log in with: docker login " + registry.hostPort());
                        assertThat(e.getMessage()).doesNotContain("wrong password");
                    });
        }
    }

    @Test
    void aCredentialHelperOnThePathSuppliesTheLogin(RegistryPeers registries) throws IOException {
        RegistryPeer registry = registries.start(RegistryConfig.anonymous().htpasswd(USER, PASSWORD));
        FixtureImage image = sampleImage();
        registry.pusher().push(image);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("helper.log");
        Path helper = bin.resolve("docker-credential-gantrytest");
        Files.writeString(helper, """
                #!/bin/sh
                [ "$1" = get ] || exit 2
                read server
                echo "$server" >> '%s'
                if [ "$server" = '%s' ]; then
                  printf '{"ServerURL":"%%s","Username":"%s","Secret":"%s"}\\n' "$server"
                else
                  echo "credentials not found in native keychain"; exit 1
                fi
                """.formatted(log, registry.hostPort(), USER, PASSWORD));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"credHelpers\":{\"" + registry.hostPort() + "\":\"gantrytest\"},\"auths\":{}}");
        Map<String, String> environment = Map.of("DOCKER_CONFIG", dockerConfig.toString(),
                "PATH", bin + ":/usr/bin:/bin");

        RegistryClient client = RegistryClient.builder().fromDockerConfig(environment, dir.resolve("home")).build();
        FetchedManifest pulled = client.pullManifest(ImageReference.parse(image.reference(registry.hostPort())), NONE);

        assertThat(pulled.digest().toString()).isEqualTo(image.manifestDigest());
        assertThat(Files.readAllLines(log)).containsExactly(registry.hostPort());
    }

    @Test
    void tokenAuthGetsScopedTokensAnonymousForPullAndWithCredentialsForPush(RegistryPeers registries) {
        TestPki.KeyAndCert signer = TestPki.selfSigned(dir, "token-signer", "Gantry test token issuer");
        try (TestTokenServer tokens = new TestTokenServer(signer, "gantry-test-issuer", "gantry-test-registry",
                Map.of(USER, PASSWORD))) {
            RegistryPeer registry = registries.start(RegistryConfig.anonymous()
                    .tokenAuth(tokens.realm(), "gantry-test-registry", "gantry-test-issuer", signer.cert()));
            FixtureImage image = sampleImage().oci();
            Repository repository = Repository.parse(registry.hostPort() + "/" + image.repository());
            RegistryClient alice = clientWith(Credential.basic(USER, PASSWORD), registry.hostPort());
            RegistryClient anonymous = RegistryClient.builder().build();

            for (Blob blob : concat(image.layerBlobs(), image.configBlob())) {
                alice.pushBlob(repository, Digest.of(blob.digest()), BlobSource.of(blob.bytes()), Optional.empty(),
                        ProgressListener.NONE, NONE);
            }
            alice.pushManifest(repository.tag("1"), MediaTypes.OCI_MANIFEST, image.manifest().bytes(), NONE);
            FetchedManifest pulled = anonymous.pullManifest(repository.tag("1"), NONE);
            anonymous.pullManifest(repository.tag("1"), NONE);

            assertThat(pulled.digest().toString()).isEqualTo(image.manifestDigest());
            assertThat(tokens.issued()).contains(
                    new TestTokenServer.Issued(USER, List.of("repository:" + image.repository() + ":pull,push")),
                    new TestTokenServer.Issued("", List.of("repository:" + image.repository() + ":pull")));
            assertThat(tokens.issued().stream().filter(i -> i.account().isEmpty())).as("anonymous token cached")
                    .hasSize(1);
            assertThatThrownBy(() -> anonymous.pushManifest(repository.tag("2"), MediaTypes.OCI_MANIFEST,
                    image.manifest().bytes(), NONE))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                        assertThat(e.httpStatus()).hasValue(401);
                    });
            RegistryClient wrong = clientWith(Credential.basic(USER, "nope"), registry.hostPort());
            assertThatThrownBy(() -> wrong.pullManifest(repository.tag("1"), NONE))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                        assertThat(e.getMessage()).contains(USER).doesNotContain("nope");
                        assertThat(e.action()).contains("Log in with: docker login " + registry.hostPort());
                    });
        }
    }

    @Test
    void httpsWithATestCaInCertsD(RegistryPeer plain, RegistryPeers registries) throws IOException {
        TestPki.KeyAndCert ca = TestPki.certificateAuthority(dir);
        TestPki.KeyAndCert server = TestPki.serverCertificate(dir, ca, "127.0.0.1");
        RegistryPeer registry = registries.start(RegistryConfig.anonymous().tls(server.cert(), server.key()));
        Path dockerConfig = dir.resolve("docker-config");
        Path certsD = Files.createDirectories(dockerConfig.resolve("certs.d").resolve(registry.hostPort()));
        Files.copy(ca.cert(), certsD.resolve("ca.crt"));
        Map<String, String> environment = Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", "/usr/bin:/bin");
        FixtureImage image = sampleImage();
        plain.pusher().push(image);
        ImageReference source = ImageReference.parse(image.reference(plain.hostPort()));
        ImageReference target = ImageReference.parse(registry.hostPort() + "/tls/app:1");

        RegistryClient trusting = RegistryClient.builder().fromDockerConfig(environment, dir.resolve("home")).build();
        Digest copied = trusting.copy(source, target, NONE);
        FetchedManifest pulled = trusting.pullManifest(target, NONE);

        assertThat(copied.toString()).isEqualTo(image.manifestDigest());
        assertThat(pulled.bytes()).isEqualTo(image.manifest().bytes());
        assertThatThrownBy(() -> RegistryClient.builder().fromDockerConfig(Map.of("DOCKER_CONFIG",
                dir.resolve("empty").toString()), dir.resolve("home")).build().pullManifest(target, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.code()).contains("TLS_UNTRUSTED");
                    assertThat(e.action().orElseThrow()).contains("certs.d/" + registry.hostPort() + "/ca.crt");
                });
    }

    private static List<Blob> concat(List<Blob> layers, Blob config) {
        List<Blob> all = new java.util.ArrayList<>(layers);
        all.add(config);
        return all;
    }
}
