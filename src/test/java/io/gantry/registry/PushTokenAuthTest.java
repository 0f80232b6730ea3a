package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushResult;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry push} from the embedded store to a registry with token auth (issue 17, item 6):
 * the harness registry with {@code auth.token} and {@link TestTokenServer}, as in
 * {@code RegistryAuthTest}. The push gets a token scoped {@code pull,push} for the target
 * repository with the user's credentials and keeps the digest; a second repository is filled by
 * a mount; without credentials, or with a wrong password, the push is refused as unauthorized and
 * the password is never echoed.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class PushTokenAuthTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OciLayoutStore store(String name, RegistryClient client) {
        return OciLayoutStore.open(dir.resolve(name), StoreOptions.defaults().withPulls(new StorePulls(client, executor, 3)));
    }

    @Test
    void aPushGetsAPushScopedTokenKeepsTheDigestAndMountsAndIsRefusedWithoutTheRightLogin(RegistryPeer source,
                                                                                        RegistryPeers registries) {
        FixtureImage app = new FixtureImages().image(FixtureImages.unique("tokpush")).tag("1")
                .layer("ADD a", l -> l.randomFile("a", 300_000, 1)).layer("ADD b", l -> l.file("b", "b"));
        source.pusher().push(app);
        TestPki.KeyAndCert signer = TestPki.selfSigned(dir, "token-signer", "Gantry test token issuer");
        try (TestTokenServer tokens = new TestTokenServer(signer, "gantry-test-issuer", "gantry-test-registry",
                Map.of(USER, PASSWORD))) {
            RegistryPeer secured = registries.start(RegistryConfig.anonymous()
                    .tokenAuth(tokens.realm(), "gantry-test-registry", "gantry-test-issuer", signer.cert()));
            String repository = FixtureImages.unique("team/tok");
            ImageReference target = ImageReference.parse(secured.hostPort() + "/" + repository + ":1");
            RegistryClient alice = RegistryClient.builder()
                    .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic(USER, PASSWORD)))).build();
            try (OciLayoutStore store = store("alice", alice)) {
                store.pull(PullRequest.of(app.reference(source.hostPort())), e -> { }, Cancellation.none());
                store.tag(ImageKey.parse(app.reference(source.hostPort())), target);

                List<PushProgress> events = new ArrayList<>();
                PushResult pushed = store.push(target, events::add, Cancellation.none());
                assertThat(pushed.digest().toString()).isEqualTo(app.manifestDigest());
                assertThat(events).filteredOn(e -> e.phase() == PushProgress.Phase.PUSHED).hasSize(app.layerBlobs().size());
                assertThat(tokens.issued()).contains(new TestTokenServer.Issued(USER, List.of("repository:" + repository + ":pull,push")));
                assertThat(alice.pullManifest(target, Cancellation.none()).digest()).isEqualTo(pushed.digest());

                // another repository of the same registry: the layers come by a mount, authorized by the token
                String other = FixtureImages.unique("team/tok-copy");
                ImageReference second = ImageReference.parse(secured.hostPort() + "/" + other + ":1");
                store.tag(ImageKey.parse(target.toString()), second);
                List<PushProgress> mounted = new ArrayList<>();
                assertThat(store.push(second, mounted::add, Cancellation.none()).digest()).isEqualTo(pushed.digest());
                assertThat(mounted).filteredOn(e -> e.phase() == PushProgress.Phase.MOUNTED).extracting(PushProgress::text)
                        .hasSize(app.layerBlobs().size()).containsOnly("Mounted from " + repository);
            }

            ImageReference refused = ImageReference.parse(secured.hostPort() + "/" + repository + ":2");
            try (OciLayoutStore anonymous = store("anonymous", RegistryClient.builder().build())) {
                anonymous.pull(PullRequest.of(app.reference(source.hostPort())), e -> { }, Cancellation.none());
                anonymous.tag(ImageKey.parse(app.reference(source.hostPort())), refused);
                assertThatThrownBy(() -> anonymous.push(refused, e -> { }, Cancellation.none()))
                        .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED));
            }
            RegistryClient wrong = RegistryClient.builder()
                    .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic(USER, "nope-wrong")))).build();
            try (OciLayoutStore mistyped = store("wrong", wrong)) {
                mistyped.pull(PullRequest.of(app.reference(source.hostPort())), e -> { }, Cancellation.none());
                mistyped.tag(ImageKey.parse(app.reference(source.hostPort())), refused);
                assertThatThrownBy(() -> mistyped.push(refused, e -> { }, Cancellation.none()))
                        .isInstanceOfSatisfying(GantryException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                            assertThat(e.getMessage()).doesNotContain("nope-wrong");
                        });
            }
            assertThat(alice.pullManifest(refused.repo().tag("1"), Cancellation.none()).digest().toString())
                    .isEqualTo(app.manifestDigest());
        }
    }
}
