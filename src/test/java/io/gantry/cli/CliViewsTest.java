package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The window's views on the command line, on the private dockerd next to docker's own: {@code df}
 * (docker system df's Images figures), {@code ps}, {@code version}, {@code tree}, {@code files --ci}.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class CliViewsTest {

    @TempDir
    Path dir;

    @Test
    void dfPsVersionTreeAndFilesOnAnEngine(DockerdPeer dockerd) {
        FixtureImages images = new FixtureImages();
        FixtureImage base = images.image(FixtureImages.unique("views-base"))
                .layer("ADD base", l -> l.file("etc/base", "b").randomFile("big", 40_000, 3));
        FixtureImage app = base.child(FixtureImages.unique("views-app"))
                .layer("ADD app", l -> l.randomFile("app/data", 30_000, 4))
                .layer("RUN rm", l -> l.randomFile("app/data", 30_000, 5));
        FixtureImage other = images.image(FixtureImages.unique("views-other")).layer("ADD o", l -> l.file("o", "o"));
        dockerd.load(base, app, other);
        String container = dockerd.createContainer(app);
        EngineCli cli = new EngineCli(dockerd, dir.resolve("store"));

        String dockerImages = dockerd.dockerOk("system", "df", "--format",
                "{{.Type}} {{.TotalCount}} {{.Active}} {{.Size}} {{.Reclaimable}}").out().lines()
                .filter(l -> l.startsWith("Images ")).findFirst().orElseThrow();
        GantryCliTest.Run df = cli.onEngine("df");
        assertThat(df.code()).as(df.err()).isZero();
        String gantryImages = df.out().lines().filter(l -> l.startsWith("Images ")).findFirst().orElseThrow()
                .replaceAll("\\s+", " ").replace(" (", " (");
        assertThat(gantryImages).isEqualTo(dockerImages.replaceAll("\\s+", " "));
        // a container whose writable layer holds 100,000 bytes, so the Containers row has a size to agree on
        FixtureImage busybox = images.busybox(FixtureImages.unique("views-bb"));
        dockerd.load(busybox);
        String writer = dockerd.createContainer(busybox.reference(), "/bin/sh", "-c", "head -c 100000 /dev/zero > /written");
        dockerd.dockerOk("start", "-a", writer);
        String dockerContainers = dockerd.dockerOk("system", "df", "--format",
                "{{.Type}} {{.TotalCount}} {{.Active}} {{.Size}} {{.Reclaimable}}").out().lines()
                .filter(l -> l.startsWith("Containers ")).findFirst().orElseThrow();
        String gantryContainers = cli.onEngine("df").out().lines().filter(l -> l.startsWith("Containers ")).findFirst()
                .orElseThrow().replaceAll("\\s+", " ");
        assertThat(gantryContainers).isEqualTo(dockerContainers.replaceAll("\\s+", " "));
        assertThat(gantryContainers).doesNotContain(" 0B ");
        GantryCliTest.Run sized = cli.onEngine("ps", "-s", "--image", busybox.reference());
        assertThat(sized.out()).contains("SIZE", writer.substring(0, 12), "100kB");
        assertThat(cli.onEngine("ps", "-s", "--format", "json", "--image", busybox.reference()).out())
                .contains("\"sizeRw\" : 100");

        GantryCliTest.Run verbose = cli.onEngine("df", "-v");
        assertThat(verbose.out()).contains("Images space usage:", "SHARED SIZE", "Containers space usage:",
                container.substring(0, 12));
        assertThat(verbose.out().lines().findFirst())
                .as("docker system df -v starts with the images, without the summary table")
                .isEqualTo(dockerd.dockerOk("system", "df", "-v").out().lines().findFirst());

        GantryCliTest.Run ps = cli.onEngine("ps", "-q");
        assertThat(ps.out().lines().toList()).containsExactlyElementsOf(
                dockerd.dockerOk("ps", "-a", "-q").out().lines().toList());
        assertThat(cli.onEngine("containers", "--image", app.reference()).out()).contains(container.substring(0, 12), "created");
        assertThat(cli.onEngine("ps", "--image", other.reference(), "-q").out()).isEmpty();

        GantryCliTest.Run version = cli.onEngine("version");
        assertThat(version.out()).contains(dockerd.dockerOk("version", "--format", "{{.Server.Version}}").out().strip(),
                dockerd.dockerOk("version", "--format", "{{.Server.APIVersion}}").out().strip(), "containerd", "runc");
        assertThat(cli.onEngine("info").code()).isZero();
        assertThat(version.out()).contains(" Storage driver:    "
                + dockerd.dockerOk("info", "--format", "{{.Driver}}").out().strip());

        GantryCliTest.Run tree = cli.onEngine("tree");
        List<String> lines = tree.out().lines().toList();
        int baseLine = indexOf(lines, base.reference());
        int appLine = indexOf(lines, app.reference());
        assertThat(baseLine).isNotNegative().isLessThan(appLine);
        assertThat(lines.get(appLine).indexOf('└')).as("app under base").isGreaterThan(lines.get(baseLine).indexOf('└'));

        GantryCliTest.Run files = cli.onEngine("files", app.reference(), "--changes");
        assertThat(files.code()).as(files.err()).isZero();
        assertThat(files.out()).contains("ADDED", "MODIFIED", "Efficiency:", "Wasted bytes:", "app/data");
        GantryCliTest.Run strict = cli.onEngine("files", app.reference(), "--ci");
        assertThat(strict.code()).as("30 kB of 100 kB wasted").isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(strict.out()).contains("FAIL: lowestEfficiency", "Result: FAIL");
        GantryCliTest.Run lax = cli.onEngine("files", app.reference(), "--ci", "--lowestEfficiency", "0.5",
                "--highestUserWastedPercent", "0.5");
        assertThat(lax.code()).as(lax.out()).isZero();
        assertThat(lax.out()).contains("Result: PASS");
        assertThat(cli.onEngine("files", app.reference(), "--layer", "9").code()).isEqualTo(GantryCli.EXIT_USAGE);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
