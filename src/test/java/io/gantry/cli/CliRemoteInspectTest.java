package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Digest;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.Commands;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RequiredTool;
import io.gantry.testing.ToolFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code gantry manifest inspect REF} of a registry reference, without pulling: the raw bytes equal
 * what {@code skopeo inspect --raw} prints, {@code --verbose} gives each platform's manifest and
 * config, {@code --summary} marks the layers the embedded store already has.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class CliRemoteInspectTest {

    private static final RequiredTool SKOPEO = new RequiredTool("skopeo", "skopeo");
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final RegistryClient client = RegistryClient.builder().build();
    private final FixtureImages images = new FixtureImages();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private GantryCliTest.Run gantry(String... args) {
        return new RegistryCli(dir, executor).run(client, args);
    }

    @Test
    void aRemoteIndexIsPrintedAsSentWithEachPlatformOnRequestAndNothingIsPulled(RegistryPeer registry) throws Exception {
        String repo = FixtureImages.unique("remote-inspect");
        FixtureImage amdImage = images.image(repo).platform("linux/amd64").env("MODE", "prod").label("tier", "web")
                .layer("ADD a", l -> l.file("arch", "amd64").randomFile("big", 120_000, 3));
        FixtureImage armImage = images.image(repo).platform("linux/arm64/v8").layer("ADD a", l -> l.file("arch", "arm64"));
        FixtureIndex index = images.index(repo, amdImage, armImage).oci();
        registry.pusher().push(index);
        FixtureImage amd = index.images().get(0); // in the index's format
        FixtureImage arm = index.images().get(1);
        String ref = index.reference(registry.hostPort());

        GantryCliTest.Run raw = gantry("manifest", "inspect", ref);
        assertThat(raw.code()).as(raw.err()).isZero();
        String skopeo = Commands.run(List.of(ToolFinder.fromEnvironment().require(SKOPEO).toString(), "inspect", "--raw",
                        "--tls-verify=false", "docker://" + ref), Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()),
                Duration.ofMinutes(2)).orFail().stdout();
        assertThat(raw.out().strip()).isEqualTo(skopeo.strip())
                .isEqualTo(new String(index.manifest().bytes(), StandardCharsets.UTF_8).strip());
        assertThat(gantry("images", "-q").out()).as("nothing pulled").isBlank();

        JsonNode verbose = json.readTree(gantry("manifest", "inspect", "--verbose", ref).out());
        assertThat(verbose).hasSize(2);
        assertThat(verbose.get(0).path("Descriptor").path("digest").asText()).isEqualTo(amd.manifestDigest());
        assertThat(verbose.get(1).path("Descriptor").path("platform").path("variant").asText()).isEqualTo("v8");
        assertThat(verbose.get(0).path("OCIManifest").path("config").path("digest").asText()).isEqualTo(amd.imageId());
        assertThat(verbose.get(0).path("Config").path("env").toString()).contains("MODE=prod");
        assertThat(verbose.get(0).path("CompressedSize").asLong())
                .isEqualTo(amd.configBlob().bytes().length + amd.layerBlobs().get(0).bytes().length);

        assertThat(gantry("pull", "-q", "--platform", "linux/amd64", ref).code()).isZero();
        GantryCliTest.Run summary = gantry("manifest", "inspect", "--summary", ref);
        assertThat(summary.code()).as(summary.err()).isZero();
        String amdLayer = amd.layerBlobs().get(0).digest();
        String armLayer = arm.layerBlobs().get(0).digest();
        assertThat(summary.out()).contains("Platforms:   linux/amd64, linux/arm64/v8", "Image ID:    " + arm.imageId(),
                "Env:         MODE=prod", "Label:       tier=web", "1 of 1 already on Embedded store");
        assertThat(summary.out().lines().filter(l -> l.contains(amdLayer))).singleElement().asString().endsWith("local");
        assertThat(summary.out().lines().filter(l -> l.contains(armLayer))).singleElement().asString().doesNotEndWith("local");

        GantryCliTest.Run missing = gantry("manifest", "inspect", registry.hostPort() + "/" + repo + ":nope");
        assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(missing.err()).contains("no manifest list named", registry.hostPort() + " has no");
        assertThat(gantry("manifest", "inspect", "--help").out()).contains("looked up first among the endpoint's local manifest lists");
        assertThat(Digest.of(amd.manifestDigest()).shortHex()).hasSize(12);
    }

    @Test
    void aSingleDockerManifestIsOneVerboseObject(RegistryPeer registry) throws Exception {
        FixtureImage app = images.image(FixtureImages.unique("remote-one")).tag("1").layer("ADD a", l -> l.file("a", "a"));
        registry.pusher().push(app);
        GantryCliTest.Run verbose = gantry("manifest", "inspect", "-v", app.reference(registry.hostPort()));
        assertThat(verbose.code()).as(verbose.err()).isZero();
        JsonNode node = json.readTree(verbose.out());
        assertThat(node.isObject()).isTrue();
        assertThat(node.path("Descriptor").path("digest").asText()).isEqualTo(app.manifestDigest());
        assertThat(node.path("SchemaV2Manifest").path("layers")).hasSize(1);
    }
}
