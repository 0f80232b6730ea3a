package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushProgress.Phase;
import io.gantry.engine.PushResult;
import io.gantry.registry.FetchedManifest;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pushes through the private dockerd and the private Podman service ({@link io.gantry.testing.BothEngines})
 * to the private registry: the engine's {@code /images/{name}/push} with {@code X-Registry-Auth},
 * progress in docker's words, the digest the registry stores.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class DockerEnginePushTest {

    private final FixtureImages images = new FixtureImages();
    private EnginePeer engine;
    private RegistryPeer registry;
    private DockerEngineStore store;

    @BeforeEach
    void open(EnginePeer engine, RegistryPeer registry) {
        this.engine = engine;
        this.registry = registry;
        this.store = EngineStores.on(engine);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @io.gantry.testing.BothEngines.Test
    void pushesThroughTheEngineAndSkipsWhatTheRepositoryHasTheSecondTime() {
        String repository = FixtureImages.unique("engine-push");
        FixtureImage image = images.image(repository)
                .layer("ADD one", l -> l.file("etc/one", repository).randomFile("one", 80_000, 1))
                .layer("ADD two", l -> l.file("etc/two", repository));
        engine.load(image);
        ImageReference target = ImageReference.parse(registry.hostPort() + "/" + repository + ":pushed");
        engine.dockerOk("tag", engine.loadedName(image), target.toString());
        assertThat(store.capabilities().push()).isTrue();

        List<PushProgress> events = new ArrayList<>();
        PushResult result = store.push(target, events::add, Cancellation.none());

        RegistryClient client = RegistryClient.builder().build();
        FetchedManifest stored = client.pullManifest(target, Cancellation.none());
        assertThat(result.digest()).isEqualTo(stored.digest());
        assertThat(stored.manifest().orElseThrow().config().digest().toString()).as("same image ID").isEqualTo(image.imageId());
        assertThat(events).last().satisfies(e -> assertThat(e.phase()).isEqualTo(Phase.DIGEST))
                .satisfies(e -> assertThat(e.text()).contains("pushed: digest: " + result.digest()));
        if (engine.kind() != EnginePeer.Kind.PODMAN) {
            assertThat(events).anyMatch(e -> e.phase() == Phase.PUSHED);
            assertThat(events.stream().filter(PushProgress::isLayerEvent).map(PushProgress::layer).distinct()).hasSize(2);
        } else {
            // Podman 4.3's compatible push streams no layer rows, only the lines about the whole push
            assertThat(events).noneMatch(PushProgress::isLayerEvent);
        }

        List<PushProgress> again = new ArrayList<>();
        PushResult second = store.push(target, again::add, Cancellation.none());
        assertThat(second.digest()).isEqualTo(result.digest());
        assertThat(again).filteredOn(PushProgress::isLayerEvent).noneMatch(e -> e.phase() == Phase.PUSHED);

        ImageReference missing = ImageReference.parse(registry.hostPort() + "/" + repository + "-none:1");
        assertThatThrownBy(() -> store.push(missing, e -> { }, Cancellation.none()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(Digest.of(result.digest().toString())).isEqualTo(result.digest());
    }

    @io.gantry.testing.BothEngines.Test
    void pushingByDigestIsRefusedInDockersWordsAndNothingReachesTheRegistry() {
        String repository = FixtureImages.unique("engine-push-digest");
        FixtureImage image = images.image(repository).layer("ADD one", l -> l.file("etc/one", repository));
        engine.load(image);
        ImageReference tagged = ImageReference.parse(registry.hostPort() + "/" + repository + ":1");
        engine.dockerOk("tag", engine.loadedName(image), tagged.toString());
        RegistryClient client = RegistryClient.builder().build();

        for (String byDigest : List.of(tagged.familiarName() + "@" + image.manifestDigest(),
                tagged.familiar() + "@" + image.manifestDigest())) {
            assertThatThrownBy(() -> store.push(ImageReference.parse(byDigest), e -> { }, Cancellation.none()))
                    .as(byDigest).isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                        assertThat(e.getMessage()).contains("cannot push a digest reference");
                    });
            // the docker CLI says the same, whichever engine it talks to
            assertThat(engine.docker("push", byDigest).stderr()).as(byDigest).contains("cannot push a digest reference");
        }
        assertThat(client.headManifest(tagged, Cancellation.none())).as("nothing was pushed").isEmpty();
    }
}
