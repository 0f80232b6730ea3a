package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageKey;
import io.gantry.core.Platform;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.CommandResult;
import io.gantry.testing.Commands;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.ToolFinder;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * What Gantry pulls is a real image: skopeo inspects it and copies it to a docker-archive that
 * docker loads, and Gantry's own export loads into the test dockerd with the same image ID as
 * {@code docker pull} of the same image there.
 */
@Tag("peer")
@ExtendWith({RegistryExtension.class, DockerdExtension.class})
class PullInteropTest {

    private final FixtureImages images = new FixtureImages();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ToolFinder tools = ToolFinder.fromEnvironment();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OciLayoutStore open(Path root) {
        return OciLayoutStore.open(root, new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(30),
                Platform.parse("linux/amd64")).withPulls(new StorePulls(RegistryClient.builder().build(), executor, 3)));
    }

    @Test
    void skopeoReadsWhatGantryPulledAndDockerLoadsItsExportWithTheIdOfDockerPull(RegistryPeer registry, DockerdPeer dockerd)
            throws Exception {
        String repo = FixtureImages.unique("interop");
        FixtureImage app = images.image(repo).tag("1.0").layer("ADD a", l -> l.file("etc/a", "a"))
                .bigLayer(500_000, 3).layer("ADD c", l -> l.file("c", "c"));
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());
        Path layout = dir.resolve("store");
        LayoutImage pulled;
        try (OciLayoutStore store = open(layout)) {
            store.pull(PullRequest.of(ref), e -> { }, Cancellation.none());
            pulled = store.image(ref);
        }
        // a Docker v2 manifest is entered in its OCI form; the registry's bytes are kept beside it
        assertThat(pulled.sourceManifest()).map(d -> d.digest().toString()).contains(app.manifestDigest());
        String name = io.gantry.core.ImageReference.parse(ref).toString();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<?, ?> json = mapper.readValue(skopeo("inspect", "oci:" + layout + ":" + name).stdout(), Map.class);
        assertThat(json.get("Digest")).isEqualTo(pulled.manifest().digest().toString());
        assertThat((List<?>) json.get("Layers")).hasSize(3);
        Map<?, ?> raw = mapper.readValue(skopeo("inspect", "--raw", "oci:" + layout + ":" + name).stdout(), Map.class);
        assertThat(((Map<?, ?>) raw.get("config")).get("digest")).isEqualTo(app.imageId());
        Path skopeoArchive = dir.resolve("skopeo.tar");
        skopeo("copy", "oci:" + layout + ":" + name, "docker-archive:" + skopeoArchive + ":example.com/" + repo + ":skopeo");
        dockerd.dockerOk("load", "-i", skopeoArchive.toString());
        assertThat(dockerd.imageId("example.com/" + repo + ":skopeo")).isEqualTo(app.imageId());

        dockerd.pull(ref);
        String pulledThere = dockerd.imageId(ref);
        Path export = dir.resolve("gantry.tar");
        try (OciLayoutStore store = open(layout); OutputStream out = Files.newOutputStream(export)) {
            store.tag(ImageKey.parse(ref), io.gantry.core.ImageReference.parse("example.com/" + repo + ":gantry"));
            store.save(keys("example.com/" + repo + ":gantry"), ArchiveFormat.DOCKER, out);
        }
        dockerd.dockerOk("load", "-i", export.toString());
        assertThat(dockerd.imageId("example.com/" + repo + ":gantry")).isEqualTo(pulledThere).isEqualTo(app.imageId());
    }

    @Test
    void aMultiPlatformPullExportsTheChosenImageAsDockerPullsIt(RegistryPeer registry, DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("interop-multi");
        FixtureImage amd = images.image(repo).platform("linux/amd64").layer("ADD arch", l -> l.file("arch", "amd64"));
        FixtureImage arm = images.image(repo).platform("linux/arm64/v8").layer("ADD arch", l -> l.file("arch", "arm64"));
        FixtureIndex index = images.index(repo, amd, arm);
        registry.pusher().push(index);
        String ref = index.reference(registry.hostPort());
        Path export = dir.resolve("multi.tar");
        try (OciLayoutStore store = open(dir.resolve("store"))) {
            PullResult result = store.pull(PullRequest.of(ref), e -> { }, Cancellation.none());
            store.tag(ImageKey.parse(ref), io.gantry.core.ImageReference.parse("example.com/" + repo + ":gantry"));
            try (OutputStream out = Files.newOutputStream(export)) {
                store.save(keys("example.com/" + repo + ":gantry"), ArchiveFormat.DOCKER, out);
            }
            assertThat(result.digest().orElseThrow().toString()).isEqualTo(index.manifestDigest());
        }
        dockerd.pull(ref); // the test dockerd is linux/amd64
        dockerd.dockerOk("load", "-i", export.toString());
        assertThat(dockerd.imageId("example.com/" + repo + ":gantry")).isEqualTo(dockerd.imageId(ref));
    }

    private CommandResult skopeo(String... args) {
        List<String> command = new ArrayList<>();
        command.add(tools.require(SkopeoInteropTest.SKOPEO).toString());
        command.add("--insecure-policy");
        command.addAll(List.of(args));
        return Commands.run(command, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", System.getProperty("java.io.tmpdir")), Duration.ofMinutes(2)).orFail();
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
