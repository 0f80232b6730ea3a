package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.PodmanPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry manifest ls|inspect} against the harness's private engines: a manifest list made
 * with Podman's own CLI ({@code podman manifest create/add}, as Podman Desktop users make them) is
 * shown with the entries {@code podman manifest inspect} prints, and not as an image; dockerd keeps
 * no manifest lists apart from its images, so there the listing is empty.
 */
@Tag("peer")
@org.junit.jupiter.api.extension.ExtendWith(io.gantry.testing.RegistryExtension.class)
class CliManifestListTest {

    @TempDir
    Path dir;

    private final FixtureImages images = new FixtureImages();
    private final ObjectMapper json = new ObjectMapper();

    @BothEngines.Test
    void podmansManifestListsAreShownAsPodmanInspectsThem(EnginePeer engine, io.gantry.testing.RegistryPeer registry) throws Exception {
        EngineCli cli = new EngineCli(engine, dir.resolve("store"));
        if (engine.kind() != EnginePeer.Kind.PODMAN) {
            GantryCliTest.Run none = cli.onEngine("manifest", "ls", "--format", "json");
            assertThat(none.code()).as(none.err()).isZero();
            assertThat(json.readTree(none.out())).isEmpty();
            // no local list by that name: a registry reference, looked up in the registry (which has none)
            String nothing = registry.hostPort() + "/nothing:1";
            GantryCliTest.Run missing = cli.onEngine("manifest", "inspect", nothing);
            assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
            assertThat(missing.err()).contains("no manifest list named '" + nothing + "'", "gantry manifest ls");
            return;
        }
        PodmanPeer podman = (PodmanPeer) engine;
        String repository = FixtureImages.unique("mlist");
        FixtureImage amd = images.image(repository + "-amd").layer("ADD a", l -> l.file("a", repository + "amd"));
        FixtureImage arm = images.image(repository + "-arm").layer("ADD a", l -> l.file("a", repository + "arm"));
        engine.load(amd, arm);
        String list = "localhost/" + repository + ":1";
        podman.podmanOk("manifest", "create", list);
        podman.podmanOk("manifest", "add", "--os", "linux", "--arch", "amd64", list, "containers-storage:" + amd.imageId().substring(7));
        podman.podmanOk("manifest", "add", "--os", "linux", "--arch", "arm64", "--variant", "v8", list,
                "containers-storage:" + arm.imageId().substring(7));
        JsonNode expected = json.readTree(podman.podmanOk("manifest", "inspect", list).out());
        assertThat(expected.path("manifests")).hasSize(2);

        GantryCliTest.Run inspect = cli.onEngine("manifest", "inspect", repository + ":1");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        JsonNode shown = json.readTree(inspect.out());
        assertThat(shown.path("mediaType").asText()).isEqualTo(expected.path("mediaType").asText());
        assertThat(entries(shown)).isEqualTo(entries(expected));

        GantryCliTest.Run ls = cli.onEngine("manifest", "ls");
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out()).contains(list, "linux/amd64,linux/arm64/v8");
        JsonNode listed = json.readTree(cli.onEngine("manifest", "ls", "--format", "json").out());
        JsonNode mine = null;
        for (JsonNode node : listed) {
            if (node.path("names").toString().contains(list)) {
                mine = node;
            }
        }
        assertThat(mine).as("%s in %s", list, listed).isNotNull();
        assertThat(mine.path("entries")).hasSize(2);

        GantryCliTest.Run imagesRun = cli.onEngine("images");
        assertThat(imagesRun.out()).as("a list is no image (Docker's listing leaves it out too)")
                .contains(repository + "-amd").doesNotContain(repository + " ").doesNotContain(repository + ":1");
    }

    /** Each entry's digest, size, media type and platform, as one comparable line. */
    private static List<String> entries(JsonNode list) {
        List<String> lines = new ArrayList<>();
        for (JsonNode m : list.path("manifests")) {
            JsonNode p = m.path("platform");
            lines.add(m.path("digest").asText() + " " + m.path("size").asLong() + " " + m.path("mediaType").asText() + " "
                    + p.path("os").asText() + "/" + p.path("architecture").asText() + "/" + p.path("variant").asText(""));
        }
        return lines;
    }
}
