package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.testing.CommandResult;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry rm A B…} on the private dockerd next to {@code docker rmi A B…} in the same state:
 * every image tried, one error per failure in docker's words (plus the container's name), exit 1
 * when the failures differ in kind.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class CliDeleteLikeDockerTest {

    @TempDir
    Path dir;

    private final FixtureImages images = new FixtureImages();

    @Test
    void carriesOnAfterEachFailureWithDockersReasons(DockerdPeer dockerd) {
        EngineCli cli = new EngineCli(dockerd, dir.resolve("store"));
        FixtureImage base = images.image(FixtureImages.unique("rm-base")).layer("ADD a", l -> l.file("a", "a"));
        FixtureImage solo = images.image(FixtureImages.unique("rm-solo")).layer("ADD s", l -> l.file("s", "s"));
        FixtureImage spare = images.image(FixtureImages.unique("rm-spare")).layer("ADD x", l -> l.file("x", "x"));
        dockerd.load(base, solo, spare);
        String onBase = dockerd.createContainer(base);
        String child = FixtureImages.unique("rm-child") + ":1";
        dockerd.dockerOk("commit", onBase, child);
        dockerd.dockerOk("rm", onBase);
        String onSolo = dockerd.createContainer(solo);
        String soloName = dockerd.dockerOk("container", "inspect", "--format", "{{.Name}}", onSolo).out().substring(1);
        String missing = FixtureImages.unique("rm-missing") + ":1";
        List<String> asked = List.of(solo.reference(), missing, solo.imageId(), base.imageId());

        GantryCliTest.Run gantry = cli.onEngine(concat("rm", asked));
        CommandResult docker = dockerd.docker(concat("rmi", asked));

        assertThat(docker.exitCode()).isEqualTo(1);
        assertThat(gantry.code()).as(gantry.err()).isEqualTo(GantryCli.EXIT_FAILURE);
        List<String> dockerConflicts = docker.stderr().lines().filter(l -> l.contains("conflict:"))
                .map(l -> l.substring(l.indexOf("conflict:"))).toList();
        List<String> gantryConflicts = gantry.err().lines().filter(l -> l.startsWith("gantry: conflict:"))
                .map(l -> l.substring("gantry: ".length())).toList();
        assertThat(dockerConflicts).hasSize(3);
        assertThat(gantryConflicts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            // the same words; Gantry names the container after its ID
            assertThat(gantryConflicts.get(i).replace(" (" + soloName + ")", "")).isEqualTo(dockerConflicts.get(i));
        }
        assertThat(gantryConflicts.get(0)).contains("container " + onSolo.substring(0, 12) + " (" + soloName + ")");
        assertThat(gantryConflicts.get(2)).endsWith("image has dependent child images");
        assertThat(gantry.err()).contains(missing);

        // carries on past a failure: the last image is deleted although the first is missing
        GantryCliTest.Run partly = cli.onEngine("rm", missing, spare.reference());
        assertThat(partly.code()).as("one failed, one done: 1, as docker").isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(partly.err()).contains(missing);
        assertThat(partly.out()).contains("Untagged: " + spare.reference());
        assertThat(dockerd.docker("image", "inspect", spare.reference()).exitCode()).isEqualTo(1);
        assertThat(cli.onEngine("rm", missing, missing).code()).as("all failed alike").isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(cli.onEngine("rm", child).code()).isZero();
    }

    private static String[] concat(String first, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }
}
