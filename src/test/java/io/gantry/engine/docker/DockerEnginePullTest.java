package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.RegistryLogin;
import io.gantry.testing.Blob;
import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import io.gantry.testing.RegistryPusher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pulls through the private dockerd and the private Podman service ({@link BothEngines}) from the
 * private registry (plain HTTP on loopback).
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class DockerEnginePullTest {

    private final FixtureImages images = new FixtureImages();
    private EnginePeer dockerd;
    private RegistryPeer registry;
    private DockerEngineStore store;

    @BeforeEach
    void open(EnginePeer dockerd, RegistryPeer registry) {
        this.dockerd = dockerd;
        this.registry = registry;
        this.store = EngineStores.on(dockerd);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private FixtureImage base(String name) {
        String repository = FixtureImages.unique(name);
        return images.image(repository)
                .layer("ADD one", l -> l.file("etc/hostname", repository + "\n").randomFile("one", 50_000, 1))
                .layer("ADD two", l -> l.file("etc/two", repository).randomFile("two", 30_000, 2));
    }

    /** The short IDs the engine shows for an image's layers: the first 12 hex of each blob digest. */
    private static List<String> shortLayerIds(FixtureImage image) {
        return image.layerBlobs().stream().map(Blob::digest).map(d -> Digest.of(d).shortHex()).toList();
    }

    private static Map<String, Set<Phase>> phasesByLayer(List<PullProgress> events) {
        return events.stream().filter(PullProgress::isLayerEvent).collect(Collectors.groupingBy(
                PullProgress::layer, Collectors.mapping(PullProgress::phase, Collectors.toSet())));
    }

    @BothEngines.Test
    void pullReportsEachLayerAndSharedLayersAlreadyExist() {
        FixtureImage base = base("pull-base");
        FixtureImage app = base.child(FixtureImages.unique("pull-app")).layer("COPY app", l -> l.randomFile("app", 40_000, 3));
        RegistryPusher.Pushed pushedBase = registry.pusher().push(base);
        RegistryPusher.Pushed pushedApp = registry.pusher().push(app);

        List<PullProgress> baseEvents = new ArrayList<>();
        PullResult pulledBase = store.pull(PullRequest.of(pushedBase.reference()), baseEvents::add, Cancellation.none());

        assertThat(pulledBase.imageId()).isEqualTo(Digest.of(base.imageId()));
        assertThat(pulledBase.digest()).contains(Digest.of(pushedBase.digest()));
        assertThat(pulledBase.upToDate()).isFalse();
        Map<String, Set<Phase>> basePhases = phasesByLayer(baseEvents);
        if (dockerd.kind() == EnginePeer.Kind.PODMAN) {
            // Podman's stream: the layers and the config blob, each "Pulling fs layer" then
            // "Download complete"; no Extracting, no Pull complete, no Already exists, no Digest line.
            assertThat(basePhases).containsKeys(shortLayerIds(base).toArray(String[]::new));
            assertThat(basePhases.values()).allSatisfy(phases -> assertThat(phases)
                    .contains(Phase.PULLING_FS_LAYER, Phase.DOWNLOAD_COMPLETE));
            PullResult again = store.pull(PullRequest.of(pushedBase.reference()), e -> { }, Cancellation.none());
            assertThat(again.upToDate()).isTrue();
            assertThat(again.imageId()).isEqualTo(pulledBase.imageId());
            PullResult pulledApp = store.pull(PullRequest.of(pushedApp.reference()), e -> { }, Cancellation.none());
            assertThat(pulledApp.imageId()).isEqualTo(Digest.of(app.imageId()));
            return;
        }
        assertThat(basePhases).containsOnlyKeys(shortLayerIds(base));
        // dockerd hands each watcher only the latest progress of a layer's transfer, so a
        // fast layer may skip "Download complete" or "Extracting" (seen in CI: Verifying
        // Checksum followed directly by Extracting). The first and the final states always come.
        assertThat(basePhases.values()).allSatisfy(phases -> assertThat(phases)
                .contains(Phase.PULLING_FS_LAYER, Phase.PULL_COMPLETE));
        assertThat(baseEvents).anySatisfy(e -> {
            assertThat(e.phase()).isEqualTo(Phase.DIGEST);
            assertThat(e.text()).isEqualTo("Digest: " + pushedBase.digest());
        });
        assertThat(baseEvents).filteredOn(e -> e.phase() == Phase.EXTRACTING)
                .allSatisfy(e -> assertThat(e.total()).isPositive());

        List<PullProgress> appEvents = new ArrayList<>();
        PullResult pulledApp = store.pull(PullRequest.of(pushedApp.reference()), appEvents::add, Cancellation.none());

        assertThat(pulledApp.imageId()).isEqualTo(Digest.of(app.imageId()));
        Map<String, Set<Phase>> appPhases = phasesByLayer(appEvents);
        List<String> appLayers = shortLayerIds(app);
        for (String shared : shortLayerIds(base)) {
            assertThat(appPhases.get(shared)).as("shared layer %s", shared).containsExactly(Phase.ALREADY_EXISTS);
        }
        assertThat(appPhases.get(appLayers.get(2))).contains(Phase.PULL_COMPLETE).doesNotContain(Phase.ALREADY_EXISTS);

        PullResult again = store.pull(PullRequest.of(pushedBase.reference()), e -> { }, Cancellation.none());
        assertThat(again.upToDate()).isTrue();
        assertThat(again.imageId()).isEqualTo(pulledBase.imageId());
    }

    @BothEngines.Test
    void pullByDigestAndForAnotherPlatform() {
        String repository = FixtureImages.unique("pull-multi");
        FixtureImage amd64 = images.image(repository).layer("ADD amd64", l -> l.file("arch", repository + " amd64"));
        FixtureImage arm64 = images.image(repository).platform("linux/arm64")
                .layer("ADD arm64", l -> l.file("arch", repository + " arm64"));
        RegistryPusher.Pushed index = registry.pusher().push(images.index(repository, amd64, arm64));

        PullResult arm = store.pull(new PullRequest(ImageReference.parse(index.reference()),
                Optional.of(Platform.parse("linux/arm64"))), e -> { }, Cancellation.none());

        assertThat(arm.imageId()).isEqualTo(Digest.of(arm64.imageId()));
        assertThat(store.inspect(ImageKey.parse(index.reference())).platform()).contains(Platform.of("linux", "arm64"));

        String byDigest = registry.hostPort() + "/" + repository + "@" + amd64.manifestDigest();
        PullResult amd = store.pull(PullRequest.of(byDigest), e -> { }, Cancellation.none());

        assertThat(amd.imageId()).isEqualTo(Digest.of(amd64.imageId()));
        assertThat(amd.digest()).contains(Digest.of(amd64.manifestDigest()));
        assertThat(store.inspect(ImageKey.parse(byDigest)).platform()).contains(Platform.of("linux", "amd64"));
    }

    @BothEngines.Test
    void aPlatformTheIndexLacksIsNotFoundAsOnTheEmbeddedStore() {
        String repository = FixtureImages.unique("pull-noplat");
        FixtureImage amd64 = images.image(repository).layer("ADD amd64", l -> l.file("arch", repository + " amd64"));
        FixtureImage arm64 = images.image(repository).platform("linux/arm64")
                .layer("ADD arm64", l -> l.file("arch", repository + " arm64"));
        RegistryPusher.Pushed index = registry.pusher().push(images.index(repository, amd64, arm64));

        assertThatThrownBy(() -> store.pull(new PullRequest(ImageReference.parse(index.reference()),
                Optional.of(Platform.parse("linux/s390x"))), e -> { }, Cancellation.none()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    if (dockerd.kind() == EnginePeer.Kind.PODMAN) {
                        // Podman's pull stream says so in text only, without a code.
                        System.out.println("Podman, platform missing from the index: " + e.describe());
                        assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
                        assertThat(e.describe()).contains("s390x");
                    } else {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.describe()).contains("linux/s390x");
                    }
                });
    }

    @BothEngines.Test
    void pullingWhatTheRegistryDoesNotHaveIsNotFound() {
        String missing = registry.hostPort() + "/" + FixtureImages.unique("absent") + ":1";

        // Podman's pull stream carries the registry's error as text only, without a code.
        ErrorKind expected = dockerd.kind() == EnginePeer.Kind.PODMAN ? ErrorKind.INTERNAL : ErrorKind.NOT_FOUND;
        assertThatThrownBy(() -> store.pull(PullRequest.of(missing), e -> { }, Cancellation.none()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(expected));
    }

    @BothEngines.Test
    void cancellingAPullStopsIt() {
        FixtureImage big = images.image(FixtureImages.unique("pull-big"))
                .bigLayer(24_000_000, 11).bigLayer(24_000_000, 12);
        RegistryPusher.Pushed pushed = registry.pusher().push(big);
        Cancellation cancellation = new Cancellation();
        List<PullProgress> seen = new ArrayList<>();

        assertThatThrownBy(() -> store.pull(PullRequest.of(pushed.reference()), event -> {
            seen.add(event);
            if (event.phase() == Phase.PULLING_FS_LAYER) {
                cancellation.cancel();
            }
        }, cancellation)).isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));

        assertThat(seen).noneMatch(e -> e.phase() == Phase.PULL_COMPLETE);
        assertThatThrownBy(() -> store.inspect(ImageKey.parse(pushed.reference()))).isInstanceOf(GantryException.class);
        assertThat(dockerd.docker("image", "inspect", pushed.reference()).succeeded()).isFalse();
    }

    @BothEngines.Test
    void credentialsReachTheEngineAsXRegistryAuth(RegistryPeers registries) {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("alice", "s3cret-pass"));
        FixtureImage image = images.image(FixtureImages.unique("pull-auth")).layer("ADD a", l -> l.file("a", "auth"));
        RegistryPusher.Pushed pushed = secured.pusher().push(image);
        List<String> asked = new CopyOnWriteArrayList<>();
        EngineCredentials credentials = host -> {
            asked.add(host);
            return host.equals(secured.hostPort())
                    ? Optional.of(new RegistryLogin(host, "alice", "s3cret-pass", Optional.empty()))
                    : Optional.empty();
        };

        assertThatThrownBy(() -> store.pull(PullRequest.of(pushed.reference()), e -> { }, Cancellation.none()))
                .as("anonymous pull from a registry that needs a login")
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    System.out.println("anonymous pull from an htpasswd registry: " + e.kind() + " "
                            + e.httpStatus() + ": " + e.getMessage());
                    assertThat(e.kind()).isIn(ErrorKind.UNAUTHORIZED, ErrorKind.DENIED, ErrorKind.INTERNAL);
                });

        try (DockerEngineStore withLogin = EngineStores.on(dockerd.host(), credentials)) {
            PullResult pulled = withLogin.pull(PullRequest.of(pushed.reference()), e -> { }, Cancellation.none());

            assertThat(pulled.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(asked).containsExactly(secured.hostPort());
        }
        assertThat(new RegistryLogin("r", "alice", "s3cret-pass", Optional.empty()).toString())
                .doesNotContain("s3cret-pass");
    }
}
