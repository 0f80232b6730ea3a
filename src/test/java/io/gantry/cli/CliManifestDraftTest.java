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
 * {@code gantry manifest create / annotate / inspect / push} of a multi-arch list with one image of
 * the embedded store and one of the registry: skopeo reads what was pushed, and the test dockerd's
 * {@code docker pull --platform linux/arm64} gets the arm64 child.
 */
@Tag("peer")
@ExtendWith({RegistryExtension.class, io.gantry.testing.DockerdExtension.class})
class CliManifestDraftTest {

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
    void aListOfALocalAndARemoteImageIsPushedAndDockerPullsTheRightChild(RegistryPeer registry,
                                                                          io.gantry.testing.DockerdPeer dockerd) throws Exception {
        String u = FixtureImages.unique("mlist");
        FixtureImage amd = images.image(u + "-src").tag("1").platform("linux/amd64").layer("ADD a", l -> l.file("arch", "amd64 " + u));
        FixtureImage arm = images.image(u + "-arm").tag("1").platform("linux/arm64").layer("ADD a", l -> l.file("arch", "arm64 " + u));
        registry.pusher().push(amd);
        registry.pusher().push(arm);
        String host = registry.hostPort();
        assertThat(gantry("pull", "-q", amd.reference(host)).code()).isZero();
        assertThat(gantry("tag", amd.reference(host), "localbuild/amd:1").code()).isZero(); // only in the embedded store
        String list = host + "/" + u + "-multi:1";

        GantryCliTest.Run create = gantry("manifest", "create", list, "localbuild/amd:1", arm.reference(host));
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(gantry("manifest", "create", list, arm.reference(host)).code()).as("exists already")
                .isEqualTo(GantryCli.EXIT_CONFLICT);
        assertThat(gantry("manifest", "annotate", list, arm.reference(host), "--variant", "v8").code()).isZero();
        GantryCliTest.Run ls = gantry("manifest", "ls");
        assertThat(ls.out()).contains(io.gantry.core.ImageReference.parse(list).familiar(), "(draft)", "linux/amd64,linux/arm64/v8");
        JsonNode listed = json.readTree(gantry("manifest", "ls", "--format", "json").out());
        assertThat(listed).anySatisfy(node -> {
            assertThat(node.path("draft").asBoolean()).isTrue();
            assertThat(node.path("entries")).hasSize(2);
        });
        JsonNode draft = json.readTree(gantry("manifest", "inspect", list).out());
        assertThat(draft.path("manifests")).hasSize(2);
        assertThat(draft.path("manifests").get(1).path("platform").path("variant").asText()).isEqualTo("v8");
        assertThat(draft.path("manifests").get(0).path("digest").asText()).isEqualTo(amd.manifestDigest());

        GantryCliTest.Run push = gantry("manifest", "push", "--format", "oci", list);
        assertThat(push.code()).as(push.err()).isZero();
        assertThat(push.out()).contains("Mounted from " + u + "-src", "Copying " + host + "/" + u + "-arm@" + arm.manifestDigest(), "1: digest: sha256:");

        String raw = Commands.run(List.of(ToolFinder.fromEnvironment().require(SKOPEO).toString(), "inspect", "--raw",
                        "--tls-verify=false", "docker://" + list), Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()),
                Duration.ofMinutes(2)).orFail().stdout();
        JsonNode pushed = json.readTree(raw);
        assertThat(pushed.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(pushed.path("manifests").get(0).path("digest").asText()).isEqualTo(amd.manifestDigest());
        assertThat(pushed.path("manifests").get(1).path("digest").asText()).isEqualTo(arm.manifestDigest());
        assertThat(pushed.path("manifests").get(1).path("platform").path("architecture").asText()).isEqualTo("arm64");

        dockerd.dockerOk("pull", "--platform", "linux/arm64", list);
        assertThat(dockerd.dockerOk("image", "inspect", "--format", "{{.Id}}", list).stdout().strip()).isEqualTo(arm.imageId());

        assertThat(gantry("manifest", "rm", list).code()).isZero();
        GantryCliTest.Run gone = gantry("manifest", "push", list);
        assertThat(gone.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(gone.err()).contains("no manifest list named").doesNotContain("Exception");
        assertThat(gantry("manifest", "create", "--help").out()).contains("docker manifest create");
    }

    /**
     * An engine's image is named in a list as its registry has it (as {@code docker manifest create}
     * does). Seen by hand: Combine on a DOCKER_HOST image said only that docker.io was unreachable.
     * When the registry fails for an image the engine holds, the message says it is the engine's
     * image and what to do instead; the engine's image is untouched.
     */
    @Test
    void anEnginesImageWhoseRegistryFailsIsExplained(io.gantry.testing.DockerdPeer dockerd) {
        String u = FixtureImages.unique("enginelist");
        FixtureImage built = images.image(u).tag("1").layer("ADD a", l -> l.file("a", u));
        dockerd.load(built);
        String name = "127.0.0.1:9/" + built.reference(); // nothing listens on the discard port
        dockerd.dockerOk("tag", built.reference(), name);
        EngineCli engine = new EngineCli(dockerd, dir.resolve("unused"));
        RegistryCli cli = new RegistryCli(dir, executor).withEngine(engine::engine);

        GantryCliTest.Run create = cli.run(client, "--endpoint", engine.endpointId(), "manifest", "create",
                "127.0.0.1:9/" + u + "-multi:1", name);
        assertThat(create.code()).as(create.err()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(create.err()).contains(name + " is an image of test dockerd", "as its registry has it",
                "that registry did not give it: connect to registry 127.0.0.1:9", "copy it to the embedded store");
        assertThat(gantry("manifest", "ls").out()).doesNotContain(u + "-multi");
        assertThat(dockerd.docker("image", "inspect", name).exitCode()).isZero();
    }
}
