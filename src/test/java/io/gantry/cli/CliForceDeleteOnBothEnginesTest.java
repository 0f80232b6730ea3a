package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry rm -f ID} of an image a stopped container uses, on dockerd and on Podman: Docker
 * deletes the image and keeps the container; Podman also removes the container, and the CLI says
 * so ({@code Removed container: NAME}), as its {@code -f} help promises.
 */
@Tag("peer")
class CliForceDeleteOnBothEnginesTest {

    @TempDir
    Path dir;

    private final FixtureImages images = new FixtureImages();

    @BothEngines.Test
    void forcedDeleteSaysWhichContainersWentWithTheImage(EnginePeer engine) {
        String repository = FixtureImages.unique("cli-force");
        FixtureImage image = images.image(repository).layer("ADD a", l -> l.file("a", repository));
        engine.load(image);
        String container = engine.createContainer(image.reference(), "/nothing");
        String name = engine.dockerOk("container", "inspect", "--format", "{{.Name}}", container).out().replaceFirst("^/", "");
        EngineCli cli = new EngineCli(engine, dir.resolve("store"));

        GantryCliTest.Run refused = cli.onEngine("rm", image.imageId());
        assertThat(refused.code()).isEqualTo(GantryCli.EXIT_CONFLICT);

        GantryCliTest.Run forced = cli.onEngine("rm", "-f", image.imageId());

        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("Untagged: " + engine.loadedName(image), "Deleted: " + image.imageId());
        boolean containerLeft = engine.docker("container", "inspect", container).succeeded();
        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            assertThat(containerLeft).isFalse();
            assertThat(forced.out()).contains("Removed container: " + name + " (" + container.substring(0, 12) + ")");
        } else {
            assertThat(containerLeft).isTrue();
            assertThat(forced.out()).doesNotContain("Removed container");
        }
    }
}
