package io.gantry.store;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushProgress.Phase;
import io.gantry.engine.PushResult;
import io.gantry.registry.Credential;
import io.gantry.registry.CredentialStore;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.Commands;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import io.gantry.testing.RequiredTool;
import io.gantry.testing.ToolFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes from the embedded store to the harness's registries (anonymous and htpasswd; token auth
 * is in {@code registry.PushTokenAuthTest}): the digest kept, mounts within a registry, what the
 * repository has skipped, a cancelled push resumed, and what skopeo reads back.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class PushTest {

    private static final RequiredTool SKOPEO = new RequiredTool("skopeo", "skopeo");
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FixtureImages images = new FixtureImages();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OciLayoutStore store(RegistryClient client) {
        return OciLayoutStore.open(dir.resolve("store"), StoreOptions.defaults().withPulls(new StorePulls(client, executor, 3)));
    }

    private FixtureImage app(String name) {
        return images.image(FixtureImages.unique(name)).tag("1")
                .layer("ADD a", l -> l.file("a", name).randomFile("one", 200_000, 1))
                .layer("ADD b", l -> l.file("b", name).randomFile("two", 700_000, 2))
                .layer("ADD c", l -> l.file("c", name));
    }

    private static Map<String, Set<Phase>> phases(List<PushProgress> events) {
        return events.stream().filter(PushProgress::isLayerEvent).collect(Collectors.groupingBy(PushProgress::layer,
                Collectors.mapping(PushProgress::phase, Collectors.toSet())));
    }

    private static List<String> shortIds(FixtureImage image) {
        return image.layerBlobs().stream().map(b -> Digest.of(b.digest()).shortHex()).toList();
    }

    @Test
    void pushKeepsTheDigestMountsWithinARegistryAndSkipsWhatTheRepositoryHas(RegistryPeer registry, RegistryPeers registries) {
        RegistryClient client = RegistryClient.builder().build();
        FixtureImage app = app("push-src"); // a Docker v2 manifest: the layout keeps its OCI form and the original
        registry.pusher().push(app);
        try (OciLayoutStore store = store(client)) {
            store.pull(PullRequest.of(app.reference(registry.hostPort())), e -> { }, Cancellation.none());
            assertThat(store.capabilities().push()).isTrue();

            ImageReference sameRegistry = ImageReference.parse(registry.hostPort() + "/" + FixtureImages.unique("push-dst") + ":2");
            store.tag(ImageKey.parse(app.reference(registry.hostPort())), sameRegistry);
            List<PushProgress> mounted = new ArrayList<>();
            PushResult result = store.push(sameRegistry, mounted::add, Cancellation.none());

            assertThat(result.digest().toString()).isEqualTo(app.manifestDigest());
            assertThat(result.size()).isEqualTo(app.manifest().bytes().length);
            assertThat(client.pullManifest(sameRegistry, Cancellation.none()).bytes()).isEqualTo(app.manifest().bytes());
            assertThat(mounted.get(0).text()).isEqualTo("The push refers to repository [" + sameRegistry.repo() + "]");
            assertThat(phases(mounted)).containsOnlyKeys(shortIds(app));
            assertThat(phases(mounted).values()).allSatisfy(p -> assertThat(p).containsExactlyInAnyOrder(Phase.PREPARING, Phase.MOUNTED));
            assertThat(mounted).filteredOn(e -> e.phase() == Phase.MOUNTED).extracting(PushProgress::text)
                    .containsOnly("Mounted from " + app.repository());
            assertThat(mounted.get(mounted.size() - 1).text())
                    .isEqualTo("2: digest: " + app.manifestDigest() + " size: " + app.manifest().bytes().length);
            // as docker's reference store: the pushed repository@digest is recorded (what "outdated" compares)
            assertThat(store.inspect(ImageKey.parse(sameRegistry.toString())).repoDigests())
                    .contains(sameRegistry.repo().digest(result.digest()).familiar());

            List<PushProgress> again = new ArrayList<>();
            store.push(sameRegistry, again::add, Cancellation.none());
            assertThat(phases(again).values()).allSatisfy(p -> assertThat(p).containsExactlyInAnyOrder(Phase.PREPARING,
                    Phase.ALREADY_EXISTS));

            RegistryPeer other = registries.start();
            ImageReference elsewhere = ImageReference.parse(other.hostPort() + "/team/" + FixtureImages.unique("push-far") + ":3");
            store.tag(ImageKey.parse(sameRegistry.toString()), elsewhere);
            List<PushProgress> uploaded = new ArrayList<>();
            PushResult far = store.push(elsewhere, uploaded::add, Cancellation.none());
            assertThat(far.digest()).isEqualTo(result.digest());
            assertThat(phases(uploaded).values()).allSatisfy(p -> assertThat(p).contains(Phase.PUSHING, Phase.PUSHED));
            String biggest = Digest.of(app.layerBlobs().get(1).digest()).shortHex();
            assertThat(uploaded).filteredOn(e -> e.layer().equals(biggest) && e.phase() == Phase.PUSHING)
                    .last().satisfies(e -> assertThat(e.current()).isEqualTo(e.total()).isEqualTo(app.layerBlobs().get(1).bytes().length));

            String raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + elsewhere);
            assertThat(raw).isEqualTo(new String(app.manifest().bytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void anOciImageKeepsItsDigestAndAMissingNameSaysSoAsDockerDoes(RegistryPeer registry) {
        RegistryClient client = RegistryClient.builder().build();
        FixtureImage app = app("push-oci").oci();
        registry.pusher().push(app);
        try (OciLayoutStore store = store(client)) {
            store.pull(PullRequest.of(app.reference(registry.hostPort())), e -> { }, Cancellation.none());
            ImageReference target = ImageReference.parse(registry.hostPort() + "/" + FixtureImages.unique("push-oci-dst") + ":1");
            store.tag(ImageKey.parse(app.reference(registry.hostPort())), target);
            assertThat(store.push(target, e -> { }, Cancellation.none()).digest().toString()).isEqualTo(app.manifestDigest());

            ImageReference missing = ImageReference.parse(registry.hostPort() + "/nothing-here:1");
            assertThatThrownBy(() -> store.push(missing, e -> { }, Cancellation.none())).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                assertThat(e.getMessage()).contains("an image does not exist locally with the tag: " + missing.familiar());
            });
        }
    }

    @Test
    void aCancelledPushIsResumedWithoutSendingFinishedLayersAgain(RegistryPeer registry, RegistryPeers registries) {
        RegistryClient client = RegistryClient.builder().build();
        FixtureImage app = app("push-cancel");
        registry.pusher().push(app);
        RegistryPeer target = registries.start();
        try (OciLayoutStore store = store(client)) {
            store.pull(PullRequest.of(app.reference(registry.hostPort())), e -> { }, Cancellation.none());
            ImageReference ref = ImageReference.parse(target.hostPort() + "/" + FixtureImages.unique("push-resume") + ":1");
            store.tag(ImageKey.parse(app.reference(registry.hostPort())), ref);
            Cancellation cancel = new Cancellation();
            assertThatThrownBy(() -> store.push(ref, e -> {
                if (e.phase() == Phase.PUSHED) {
                    cancel.cancel(); // after the first layer has arrived
                }
            }, cancel)).isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
            assertThat(client.headManifest(ref, Cancellation.none())).as("no manifest after a cancel").isEmpty();

            List<PushProgress> resumed = new ArrayList<>();
            PushResult result = store.push(ref, resumed::add, Cancellation.none());
            assertThat(result.digest().toString()).isEqualTo(app.manifestDigest());
            assertThat(resumed).anyMatch(e -> e.phase() == Phase.ALREADY_EXISTS);
        }
    }

    @Test
    void htpasswdLoginPushesAndAWrongPasswordIsRefusedWithoutEchoingIt(RegistryPeer registry, RegistryPeers registries) {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("alice", "s3cret-pass"));
        FixtureImage app = app("push-auth");
        registry.pusher().push(app);
        RegistryClient alice = RegistryClient.builder()
                .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic("alice", "s3cret-pass")))).build();
        RegistryClient wrong = RegistryClient.builder()
                .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic("alice", "wrong-pass-123")))).build();
        ImageReference ref = ImageReference.parse(secured.hostPort() + "/" + FixtureImages.unique("push-auth") + ":1");
        try (OciLayoutStore store = store(wrong)) {
            store.pull(PullRequest.of(app.reference(registry.hostPort())), e -> { }, Cancellation.none());
            store.tag(ImageKey.parse(app.reference(registry.hostPort())), ref);
            assertThatThrownBy(() -> store.push(ref, e -> { }, Cancellation.none())).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                assertThat(e.describe() + e.action().orElse("")).doesNotContain("wrong-pass-123");
            });
        }
        try (OciLayoutStore store = store(alice)) {
            assertThat(store.push(ref, e -> { }, Cancellation.none()).digest().toString()).isEqualTo(app.manifestDigest());
        }
    }

    private String skopeo(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ToolFinder.fromEnvironment().require(SKOPEO).toString());
        command.addAll(List.of(args));
        return Commands.run(command, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "HOME", dir.toString()),
                Duration.ofMinutes(2)).orFail().stdout();
    }
}
