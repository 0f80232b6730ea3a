package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry images} with docker's filters and positional REPOSITORY[:TAG] gives the same rows
 * as {@code docker images} on the private dockerd; {@code gantry endpoints} and {@code --endpoint}
 * by address.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class CliListingsLikeDockerTest {

    @TempDir
    Path dir;

    @Test
    void filtersGiveDockersRows(DockerdPeer dockerd) {
        FixtureImages images = new FixtureImages();
        String prefix = FixtureImages.unique("list");
        FixtureImage old = images.image(prefix + "/old").label("team", "core").created(Instant.parse("2024-01-01T00:00:00Z"))
                .layer("ADD o", l -> l.file("o", "o"));
        FixtureImage mid = images.image(prefix + "/mid").label("team", "edge").created(Instant.parse("2024-02-01T00:00:00Z"))
                .layer("ADD m", l -> l.file("m", "m"));
        FixtureImage young = images.image(prefix + "/young").created(Instant.parse("2024-03-01T00:00:00Z"))
                .layer("ADD y", l -> l.file("y", "y"));
        dockerd.load(old, mid, young);
        dockerd.dockerOk("tag", old.reference(), prefix + "/old:second");
        EngineCli cli = new EngineCli(dockerd, dir.resolve("store"));
        List<List<String>> cases = List.of(
                List.of("--filter", "reference=" + prefix + "/*"),
                List.of("--filter", "reference=" + prefix + "/*", "--filter", "label=team"),
                List.of("--filter", "reference=" + prefix + "/*", "--filter", "label=team=core"),
                List.of("--filter", "reference=" + prefix + "/*", "--filter", "before=" + young.reference()),
                List.of("--filter", "reference=" + prefix + "/*", "--filter", "since=" + old.reference()),
                List.of("--filter", "reference=" + prefix + "/o*:second"),
                List.of("--filter", "reference=" + prefix + "/*", "--filter", "dangling=false"),
                List.of(prefix + "/old"),
                List.of(prefix + "/old:second"));
        for (List<String> args : cases) {
            List<String> dockerArgs = new ArrayList<>(List.of("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
            dockerArgs.addAll(args);
            List<String> expected = dockerd.dockerOk(dockerArgs.toArray(String[]::new)).out().lines().sorted().toList();
            List<String> gantryArgs = new ArrayList<>(List.of("images", "--no-trunc"));
            gantryArgs.addAll(args);
            GantryCliTest.Run run = cli.onEngine(gantryArgs.toArray(String[]::new));
            assertThat(run.code()).as(args + ": " + run.err()).isZero();
            List<String> rows = run.out().lines().skip(1)
                    .map(l -> l.split("\\s+")).map(c -> c[0] + ":" + c[1] + " " + c[2]).sorted().toList();
            assertThat(rows).as(String.join(" ", args)).isEqualTo(expected).isNotEmpty();
        }
        GantryCliTest.Run table = cli.onEngine("images", "--digests", prefix + "/old");
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).startsWith("REPOSITORY").contains("DIGEST", "CONTAINERS");
        int idColumn = lines.get(0).indexOf("IMAGE ID");
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l.substring(idColumn)).startsWith(
                old.imageId().substring("sha256:".length(), "sha256:".length() + 12)));
        GantryCliTest.Run bad = cli.onEngine("images", "--filter", "bogus=1");
        assertThat(bad.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(bad.err()).contains("invalid filter 'bogus=1'");
    }

    @Test
    void endpointsShowKindVersionStateAndEndpointTakesAnAddress(DockerdPeer dockerd) {
        FixtureImage image = new FixtureImages().image(FixtureImages.unique("by-address")).layer("ADD a", l -> l.file("a", "a"));
        dockerd.load(image);
        EngineCli cli = new EngineCli(dockerd, dir.resolve("store"));
        GantryCliTest.Run endpoints = cli.run("endpoints");
        assertThat(endpoints.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("KIND", "VERSION", "STATE");
        String version = dockerd.dockerOk("version", "--format", "{{.Server.Version}}").out().strip();
        assertThat(endpoints.out()).contains("docker", version, "up", "embedded");
        for (String address : List.of(dockerd.host(), dockerd.socket().toString())) {
            GantryCliTest.Run run = cli.runWithoutEngines("--endpoint", address, "images", "-q");
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains(image.imageId().substring(7, 19));
        }
        GantryCliTest.Run unknown = cli.runWithoutEngines("--endpoint", "no-such-context", "images");
        assertThat(unknown.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(unknown.err()).contains("no-such-context", "embedded");
    }
}
