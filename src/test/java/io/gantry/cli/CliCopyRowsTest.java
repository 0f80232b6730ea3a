package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-layer lines of {@code gantry cp} (issue 17, item 4): from the embedded store into the
 * harness dockerd, each layer says Waiting, Copying and Copied once, and dockerd has the same image
 * ID; to a registry ({@code docker://REF}) each layer says {@code docker push}'s words once per
 * phase (mounted from the repository the image was pulled from, or Preparing, Pushing, Pushed into
 * another registry), then the digest line with the manifest's own digest. No line per chunk of bytes.
 */
@Tag("peer")
@ExtendWith({RegistryExtension.class, DockerdExtension.class})
class CliCopyRowsTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static ImageStore engine(DockerdPeer dockerd) {
        return DockerEngineStore.of(new EngineAddress("test dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true), EngineCredentials.anonymous());
    }

    /** The lines about {@code layer}, without the layer's ID. */
    private static List<String> linesOf(GantryCliTest.Run run, String layer) {
        return run.out().lines().filter(l -> l.startsWith(layer + ": ")).map(l -> l.substring(layer.length() + 2)).toList();
    }

    @Test
    void eachLayerGetsOneLinePerPhaseIntoAnEngineAndIntoARegistry(RegistryPeer registry, RegistryPeers registries,
                                                                  DockerdPeer dockerd) {
        String u = FixtureImages.unique("cp-rows");
        FixtureImage image = new FixtureImages().image(u).tag("1").layer("ADD a", l -> l.randomFile("a", 900_000, 41))
                .layer("ADD b", l -> l.randomFile("b", 700_000, 42));
        registry.pusher().push(image);
        String reference = image.reference(registry.hostPort());
        List<String> layers = image.layerBlobs().stream().map(b -> Digest.of(b.digest()).shortHex()).toList();
        RegistryClient client = RegistryClient.builder().build();
        RegistryCli cli = new RegistryCli(dir, executor).withEngine(() -> engine(dockerd));
        GantryCliTest.Run pull = cli.run(client, "pull", reference);
        assertThat(pull.code()).as(pull.err()).isZero();
        String engineId;
        try (ImageStore store = engine(dockerd)) {
            engineId = store.endpoint().id();
        }

        GantryCliTest.Run copy = cli.run(client, "cp", "--to", engineId, reference);
        assertThat(copy.code()).as(copy.err()).isZero();
        for (String layer : layers) {
            assertThat(linesOf(copy, layer)).as(copy.out()).containsExactly("Waiting", "Copying", "Copied");
        }
        assertThat(copy.out().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("Copied " + image.imageId().substring(7, 19) + " as " + reference + " (")
                .as("sizes as docker prints them, not byte counts").matches(".* \\([0-9.]+[kMG]B streamed.*\\)");
        assertThat(dockerd.dockerOk("image", "inspect", "--format", "{{.Id}}", reference).out().strip())
                .isEqualTo(image.imageId());

        GantryCliTest.Run mounted = cli.run(client, "cp", reference, "docker://" + registry.hostPort() + "/" + u + "-m:1");
        assertThat(mounted.code()).as(mounted.err()).isZero();
        for (String layer : layers) {
            assertThat(linesOf(mounted, layer)).as(mounted.out()).containsExactly("Preparing", "Mounted from " + u);
        }
        assertThat(mounted.out()).contains("1: digest: " + image.manifestDigest() + " size: ");

        RegistryPeer other = registries.start(RegistryConfig.anonymous());
        GantryCliTest.Run pushed = cli.run(client, "cp", reference, "docker://" + other.hostPort() + "/" + u + ":2");
        assertThat(pushed.code()).as(pushed.err()).isZero();
        for (String layer : layers) {
            assertThat(linesOf(pushed, layer)).as(pushed.out()).containsExactly("Preparing", "Pushing", "Pushed");
        }
        assertThat(pushed.out()).contains("2: digest: " + image.manifestDigest() + " size: ")
                .contains("Copied " + image.imageId().substring(7, 19) + " as " + other.hostPort() + "/" + u + ":2");
        assertThat(pushed.err()).isEmpty();

        // from the engine under another name: tagged there first (docker tag + docker push), the tag kept
        String renamed = other.hostPort() + "/" + u + "-renamed:3";
        GantryCliTest.Run fromEngine = cli.run(client, "cp", "--from", engineId, reference, "docker://" + renamed);
        assertThat(fromEngine.code()).as(fromEngine.err()).isZero();
        assertThat(fromEngine.out()).contains("Tagged " + reference + " as " + renamed + " on test dockerd")
                .contains("3: digest: ");
        assertThat(dockerd.dockerOk("image", "inspect", "--format", "{{.Id}}", renamed).out().strip())
                .isEqualTo(image.imageId());
        assertThat(client.headManifest(io.gantry.core.ImageReference.parse(renamed), new io.gantry.core.Cancellation()))
                .as("the registry has the renamed image").isPresent();
    }
}
