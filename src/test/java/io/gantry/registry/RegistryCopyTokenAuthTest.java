package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry-to-registry copy ({@link RegistryClient#copy}) into the harness registry with token
 * auth ({@link TestTokenServer}, as {@code PushTokenAuthTest}): streamed from the anonymous
 * registry with a {@code pull,push} token for the target, the digest kept; refused as
 * unauthorized without a login, the password never in the message.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryCopyTokenAuthTest {

    private static final String USER = "dave";
    private static final String PASSWORD = "copy token pw 5";

    @TempDir
    Path dir;

    @Test
    void aCopyIntoATokenRegistryGetsAPushTokenAndKeepsTheDigest(RegistryPeer source, RegistryPeers registries) {
        FixtureImage app = new FixtureImages().image(FixtureImages.unique("tokcopy")).tag("1")
                .layer("ADD a", l -> l.randomFile("a", 300_000, 9)).layer("ADD b", l -> l.file("b", "b"));
        source.pusher().push(app);
        TestPki.KeyAndCert signer = TestPki.selfSigned(dir, "token-signer", "Gantry test token issuer");
        try (TestTokenServer tokens = new TestTokenServer(signer, "gantry-test-issuer", "gantry-test-registry",
                Map.of(USER, PASSWORD))) {
            RegistryPeer secured = registries.start(RegistryConfig.anonymous()
                    .tokenAuth(tokens.realm(), "gantry-test-registry", "gantry-test-issuer", signer.cert()));
            String repository = FixtureImages.unique("team/tokcopy");
            ImageReference from = ImageReference.parse(app.reference(source.hostPort()));
            ImageReference target = ImageReference.parse(secured.hostPort() + "/" + repository + ":1");
            RegistryClient dave = RegistryClient.builder()
                    .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic(USER, PASSWORD)))).build();

            List<CopyEvent> events = new ArrayList<>();
            Descriptor copied = dave.copy(from, target, Optional.empty(), events::add, Cancellation.none());

            assertThat(copied.digest().toString()).isEqualTo(app.manifestDigest());
            assertThat(events).filteredOn(e -> e.step() == CopyEvent.Step.PUSHED).hasSize(app.layerBlobs().size() + 1);
            assertThat(tokens.issued()).contains(new TestTokenServer.Issued(USER, List.of("repository:" + repository + ":pull,push")));
            assertThat(dave.pullManifest(target, Cancellation.none()).bytes())
                    .isEqualTo(RegistryClient.builder().build().pullManifest(from, Cancellation.none()).bytes());

            ImageReference refused = ImageReference.parse(secured.hostPort() + "/" + repository + ":2");
            RegistryClient wrong = RegistryClient.builder()
                    .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic(USER, "wrong-pw-77")))).build();
            assertThatThrownBy(() -> wrong.copy(from, refused, Optional.empty(), e -> { }, Cancellation.none()))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                        assertThat(e.getMessage()).doesNotContain("wrong-pw-77");
                    });
            assertThat(dave.headManifest(refused, Cancellation.none())).as("nothing tagged by the refused copy").isEmpty();
        }
    }
}
