package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.registry.RegistryClient;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Before you pull" promises what the pull then does: the layers {@link LocalLayers} marks as
 * already on the embedded store are exactly the ones its pull reports as "Already exists" (it skips a
 * layer only when it holds the very blob, by digest). A store that got a base image from a {@code
 * docker save} archive holds that base's layers uncompressed, so the registry's gzipped blobs of the
 * same layers (the same diff IDs) are downloaded again; the summary must not count them.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class LocalLayersPullTest {

    @TempDir
    Path dir;

    private ExecutorService executor;
    private OciLayoutStore store;

    @BeforeEach
    void open() throws Exception {
        executor = Executors.newCachedThreadPool();
        store = OciLayoutStore.open(dir.resolve("store"), new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(60),
                Platform.parse("linux/amd64")).withPulls(new StorePulls(RegistryClient.builder().build(), executor, 3)));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        executor.shutdownNow();
    }

    @Test
    void theLayersMarkedLocalAreTheOnesThePullFindsAlreadyThere(RegistryPeer registry) throws Exception {
        FixtureImages images = new FixtureImages();
        String prefix = FixtureImages.unique("before-pull");
        FixtureImage base = images.image(prefix + "/base").tag("1")
                .layer("ADD base", l -> l.randomFile("usr/lib/base.so", 200_000, 21));
        FixtureImage web = base.child(prefix + "/web").tag("1").layer("ADD web", l -> l.randomFile("srv/web", 50_000, 22));
        FixtureImage api = base.child(prefix + "/api").tag("1").layer("ADD api", l -> l.randomFile("opt/api", 50_000, 23));
        registry.pusher().push(web);
        registry.pusher().push(api);
        // the base comes from a docker save archive: the same diff IDs, other (uncompressed) blobs
        store.load(new DockerArchive().add(base, base.reference()).writeTo(dir.resolve("base.tar")));

        Promise web1 = promised(registry, web);
        assertThat(web1.total).isEqualTo(2);
        assertThat(web1.local).as("layers marked local for " + web.reference()).isEqualTo(pull(registry, web).size());
        assertThat(web1.local).as("the base's layer is another blob here").isZero();

        // now the store holds the registry's blob of the base layer: api's pull skips it, and the summary says so
        Promise api1 = promised(registry, api);
        Set<String> already = pull(registry, api);
        assertThat(api1.local).as("layers marked local for " + api.reference()).isEqualTo(already.size()).isEqualTo(1);
    }

    private record Promise(long local, long total) {
    }

    /** What "Before you pull" says of {@code image} on the store now: how many of its layers are already there. */
    private Promise promised(RegistryPeer registry, FixtureImage image) {
        ImageReference reference = ImageReference.parse(image.reference(registry.hostPort()));
        RegistryBrowser browser = new RegistryBrowser(RegistryClient.builder().build());
        RemoteImage remote = browser.inspect(reference, new Cancellation());
        LocalLayers local = LocalLayers.of(store, reference, browser, new Cancellation());
        assertThat(local.known()).isTrue();
        List<RemoteImage.RemoteLayer> layers = local.mark(remote.images().get(0));
        return new Promise(layers.stream().filter(RemoteImage.RemoteLayer::local).count(), layers.size());
    }

    /** Pulls {@code image} into the store; the layers it reported as "Already exists". */
    private Set<String> pull(RegistryPeer registry, FixtureImage image) {
        Set<String> already = ConcurrentHashMap.newKeySet();
        store.pull(new PullRequest(ImageReference.parse(image.reference(registry.hostPort())), Optional.empty()),
                (PullProgress event) -> {
                    if (event.phase() == PullProgress.Phase.ALREADY_EXISTS) {
                        already.add(event.layer());
                    }
                }, new Cancellation());
        return already;
    }
}
