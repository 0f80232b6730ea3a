package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry inspect} field by field against {@code docker image inspect} of the same image,
 * loaded into the private dockerd and into the embedded store; {@code --format} against docker's.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class CliInspectLikeDockerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields both endpoints must show exactly as docker does. */
    private static final List<String> SAME_EVERYWHERE = List.of("Id", "RepoTags", "RepoDigests", "Parent", "Comment",
            "Created", "Author", "Config", "Architecture", "Os", "RootFS");

    @TempDir
    Path dir;

    @Test
    void sameFieldsAsDockerOnTheEngineAndTheEmbeddedStore(DockerdPeer dockerd) throws Exception {
        FixtureImage image = new FixtureImages().image(FixtureImages.unique("inspect"))
                .env("FOO", "bar").env("PATH", "/bin").cmd("/bin/app", "serve").label("team", "core")
                .user("1000").created(Instant.parse("2024-03-04T05:06:07.123456789Z"))
                .layer("ADD one", l -> l.file("etc/one", "1").randomFile("blob", 20_000, 7))
                .layer("ADD two", l -> l.file("etc/two", "2"));
        dockerd.load(image);
        EngineCli cli = new EngineCli(dockerd, dir.resolve("store"));
        Path archive = new DockerArchive().add(image, image.reference()).writeTo(dir.resolve("image.tar"));
        assertThat(cli.run("load", "-i", archive.toString()).code()).isZero();

        JsonNode docker = JSON.readTree(dockerd.dockerOk("image", "inspect", image.reference()).out()).get(0);
        GantryCliTest.Run onEngine = cli.onEngine("inspect", image.reference());
        GantryCliTest.Run embedded = cli.run("inspect", image.reference());
        assertThat(onEngine.code()).as(onEngine.err()).isZero();
        assertThat(embedded.code()).as(embedded.err()).isZero();
        JsonNode engineView = JSON.readTree(onEngine.out()).get(0);
        JsonNode embeddedView = JSON.readTree(embedded.out()).get(0);
        for (String field : SAME_EVERYWHERE) {
            assertThat(engineView.get(field)).as("engine " + field).isEqualTo(docker.get(field));
            assertThat(embeddedView.get(field)).as("embedded " + field).isEqualTo(docker.get(field));
        }
        assertThat(engineView.get("Size")).isEqualTo(docker.get("Size"));
        assertThat(engineView.get("GraphDriver").get("Name")).isEqualTo(docker.get("GraphDriver").get("Name"));
        assertThat(engineView.path("Gantry").path("SizeCounts").asText()).isEqualTo("uncompressed layers");
        assertThat(embeddedView.path("Gantry").path("SizeCounts").asText()).isEqualTo("compressed layer blobs");
        assertThat(embeddedView.path("Gantry").path("LayerBlobs")).hasSize(2);
        assertThat(embeddedView.path("Gantry").path("Platform").asText()).isEqualTo("linux/amd64");

        for (String format : List.of("{{.Id}}", "{{.Config.Env}}", "{{.Config.Entrypoint}}", "{{.Config.Cmd}}",
                "{{join .RepoTags \",\"}}", "{{index .Config.Labels \"team\"}}", "{{.Created}} {{.Size}}",
                "{{.Config.Labels}}", "{{.Os}}/{{.Architecture}}")) {
            String expected = dockerd.dockerOk("image", "inspect", "--format", format, image.reference()).out();
            GantryCliTest.Run run = cli.onEngine("inspect", "--format", format, image.reference());
            assertThat(run.out().strip()).as(format + ": " + run.err()).isEqualTo(expected.strip());
        }
        for (String format : List.of("{{json .Config}}", "{{.RootFS | json}}")) {
            JsonNode expected = JSON.readTree(dockerd.dockerOk("image", "inspect", "--format", format, image.reference()).out());
            JsonNode actual = JSON.readTree(cli.run("inspect", "--format", format, image.reference()).out());
            // docker 28's client prints the config it decoded, without the empty fields the
            // engine sent (which plain inspect shows, as Gantry does): every field it shows is equal
            expected.fieldNames().forEachRemaining(field ->
                    assertThat(actual.get(field)).as(format + " " + field).isEqualTo(expected.get(field)));
        }
    }

    @Test
    void aMissingImageIsReportedAndTheOthersPrintedAsDockerDoes(DockerdPeer dockerd) throws Exception {
        FixtureImage image = new FixtureImages().image(FixtureImages.unique("inspect-one")).layer("ADD a", l -> l.file("a", "a"));
        dockerd.load(image);
        EngineCli cli = new EngineCli(dockerd, dir.resolve("store"));
        String missing = FixtureImages.unique("inspect-missing") + ":1";

        var docker = dockerd.docker("image", "inspect", image.reference(), missing);
        GantryCliTest.Run gantry = cli.onEngine("inspect", image.reference(), missing);

        assertThat(docker.exitCode()).isEqualTo(1);
        assertThat(gantry.code()).isEqualTo(docker.exitCode());
        assertThat(JSON.readTree(gantry.out())).hasSize(1);
        assertThat(JSON.readTree(gantry.out()).get(0).get("Id")).isEqualTo(JSON.readTree(docker.out()).get(0).get("Id"));
        assertThat(gantry.err()).contains(missing);
        GantryCliTest.Run onlyMissing = cli.onEngine("inspect", missing);
        assertThat(onlyMissing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(onlyMissing.out().strip()).as("what docker image inspect prints for a missing image alone")
                .isEqualTo(dockerd.docker("image", "inspect", missing).out().strip()).isEqualTo("[]");

        GantryCliTest.Run unsupported = cli.onEngine("inspect", "--format", "{{range .RepoTags}}{{.}}{{end}}", image.reference());
        assertThat(unsupported.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(unsupported.err()).contains("--format supports", "{{json .Path}}");
        GantryCliTest.Run noField = cli.onEngine("inspect", "--format", "{{.Config.Nope}}", image.reference());
        assertThat(noField.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(noField.err()).contains("no field .Config.Nope", "Env");
    }
}
