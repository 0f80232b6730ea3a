package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.engine.PullRequest;
import io.gantry.registry.RegistryClient;
import io.gantry.service.LocalLayers;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.RemoteImage;
import io.gantry.testing.Blob;
import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Before you pull" on an engine promises what the engine's pull then downloads, checked against the
 * registry's own access log (which layer blobs the engine fetched), on both harness engines
 * ({@link BothEngines}: dockerd 20.10 and Podman 4.3).
 *
 * <p>An engine holding a layer is not enough for it to skip the registry's blob of that layer: a
 * base loaded from a {@code docker save} archive has the same diff IDs but the engine has no record of
 * the registry's blob digests, so both engines download it again. Once the engine has pulled an image
 * with that blob, its next pull of another image on the same base skips it.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class EngineLocalLayersTest {

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

    @BothEngines.Test
    void theLayersMarkedLocalAreTheOnesThePullDoesNotDownload() throws IOException {
        String prefix = FixtureImages.unique("engine-before-pull");
        // the content names the test's own repository: no earlier run or other test has these blobs
        FixtureImage base = images.image(prefix + "/base").tag("1")
                .layer("ADD base", l -> l.file("etc/hostname", prefix + "\n").randomFile("usr/lib/base.so", 60_000, 31));
        FixtureImage web = base.child(prefix + "/web").tag("1")
                .layer("ADD web", l -> l.file("srv/name", prefix).randomFile("srv/web", 20_000, 32));
        FixtureImage api = base.child(prefix + "/api").tag("1")
                .layer("ADD api", l -> l.file("opt/name", prefix).randomFile("opt/api", 20_000, 33));
        registry.pusher().push(web);
        registry.pusher().push(api);
        engine.load(base); // the base's layer, with no record of the registry's blob of it

        int webLocal = promised(web);
        assertThat(webLocal).as("layers of %s marked already on %s", web.reference(), engine.kind().label())
                .isEqualTo(web.layerBlobs().size() - pullAndCountDownloads(web)).isZero();

        int apiLocal = promised(api);
        assertThat(apiLocal).as("layers of %s marked already on %s", api.reference(), engine.kind().label())
                .isEqualTo(api.layerBlobs().size() - pullAndCountDownloads(api));
        // web's pull taught the engine the base's blob: api's pull skips it, and the summary says so
        assertThat(apiLocal).isEqualTo(1);
    }

    /** How many of {@code image}'s layers "Before you pull" marks as already on the engine now. */
    private int promised(FixtureImage image) {
        ImageReference reference = ImageReference.parse(image.reference(registry.hostPort()));
        RegistryBrowser browser = new RegistryBrowser(RegistryClient.builder().build());
        RemoteImage remote = browser.inspect(reference, new Cancellation());
        LocalLayers local = LocalLayers.of(store, reference, browser, new Cancellation());
        assertThat(local.known()).isTrue();
        return (int) local.mark(remote.images().get(0)).stream().filter(RemoteImage.RemoteLayer::local).count();
    }

    /** Pulls {@code image} into the engine; how many of its layer blobs the engine fetched from the registry. */
    private int pullAndCountDownloads(FixtureImage image) throws IOException {
        store.pull(PullRequest.of(image.reference(registry.hostPort())), event -> { }, new Cancellation());
        // the registry logs a request once it has answered it, before the engine finishes the pull
        List<String> log = Files.readAllLines(registry.logFile(), StandardCharsets.UTF_8);
        int fetched = 0;
        for (Blob layer : image.layerBlobs()) {
            String get = "\"GET /v2/" + image.repository() + "/blobs/" + layer.digest() + " HTTP/1.1\" 200 ";
            fetched += log.stream().anyMatch(line -> line.contains(get)) ? 1 : 0;
        }
        return fetched;
    }
}
