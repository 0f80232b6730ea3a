package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.registry.RegistryClient;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry pull}, {@code tags} and {@code search --registry} against the private registry. */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class CliPullTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final RegistryClient client = RegistryClient.builder().build();

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
    void pullPrintsDockerLikePlainLinesWhenNotOnATerminal(RegistryPeer registry) {
        String repo = FixtureImages.unique("cli-pull");
        FixtureImage app = new FixtureImages().image(repo).tag("2").layer("ADD a", l -> l.file("a", "a")).bigLayer(300_000, 5);
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());
        GantryCliTest.Run pull = gantry("pull", "-j", "1", ref);
        assertThat(pull.code()).as(pull.err()).isZero();
        String layer = app.layerBlobs().get(1).digest().substring(7, 19);
        assertThat(pull.out()).contains("2: Pulling from " + registry.hostPort() + "/" + repo,
                layer + ": Pulling fs layer", layer + ": Waiting", layer + ": Downloading", layer + ": Verifying Checksum",
                layer + ": Download complete", layer + ": Pull complete", "Digest: " + app.manifestDigest(),
                "Status: Downloaded newer image for " + ref);
        assertThat(pull.out().lines().filter(l -> l.startsWith(layer + ": Downloading"))).hasSize(1);
        GantryCliTest.Run again = gantry("pull", "-q", ref);
        assertThat(again.out().strip()).isEqualTo(app.manifestDigest());
        assertThat(gantry("images").out()).contains(registry.hostPort() + "/" + repo, "2");

        assertThat(gantry("tags", registry.hostPort() + "/" + repo).out().lines()).containsExactly("2");
        assertThat(gantry("search", "--registry", registry.hostPort(), "--format", "json", "cli-pull").out()).contains(repo);
        assertThat(gantry("search", "--registry", "http://" + registry.hostPort() + "/", "cli-pull").out()).contains(repo);
        assertThat(gantry("search", registry.hostPort() + "/cli-pull").out()).as("HOST:PORT/TERM searches that catalog")
                .contains(repo);
        GantryCliTest.Run missing = gantry("pull", registry.hostPort() + "/" + repo + ":nope");
        assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(missing.err()).startsWith("gantry: pull ");
    }

    /**
     * The common forms of {@code pull} are read without picocli ({@link PullCommand#parseSimple}) and
     * give the same output, exit code and messages as picocli's parse of the same command ({@code --}
     * before the reference sends it to picocli): quiet or not, {@code -j}/{@code --jobs}, a platform
     * the image has and one it has not, {@code -j} out of range, a missing tag and a malformed
     * reference. Each pull goes into a store of its own. The output's lines are compared in any
     * order: the layers' progress lines interleave as their downloads finish.
     */
    @Test
    void theCommonFormsReadWithoutPicocliGiveWhatPicocliGives(RegistryPeer registry) {
        FixtureImages images = new FixtureImages();
        FixtureImage app = images.image("app").layer("ADD a", l -> l.file("a", "a")).layer("ADD b", l -> l.file("b", "b"));
        io.gantry.testing.FixtureIndex index = images.index(FixtureImages.unique("cli-simple"),
                app.platform("linux/amd64"), app.platform("linux/arm64/v8")).tag("1");
        registry.pusher().push(index);
        String ref = index.reference(registry.hostPort());
        List<List<String>> cases = List.of(List.of("-q"), List.of("-j", "1"), List.of("--quiet", "--jobs=2"),
                List.of("--platform", "linux/amd64", "-q"), List.of("--platform=linux/arm64", "-q"),
                List.of("-q", "--platform", "linux/s390x"), List.of("-j", "0"), List.of("-q", "-j", "65"));
        int store = 0;
        for (String reference : List.of(ref, ref.replace(":1", ":nope"), "Bad:Ref")) {
            for (List<String> options : cases) {
                List<String> simple = new ArrayList<>(List.of("pull"));
                simple.addAll(options);
                simple.add(reference);
                List<String> viaPicocli = new ArrayList<>(List.of("pull"));
                viaPicocli.addAll(options);
                viaPicocli.addAll(List.of("--", reference));
                assertThat(PullCommand.parseSimple(new GantryCli(null), simple.toArray(String[]::new))).as("%s", simple).isNotNull();
                assertThat(PullCommand.parseSimple(new GantryCli(null), viaPicocli.toArray(String[]::new))).as("%s", viaPicocli).isNull();
                GantryCliTest.Run read = new RegistryCli(dir.resolve("s" + store++), executor).run(client, simple.toArray(String[]::new));
                GantryCliTest.Run parsed = new RegistryCli(dir.resolve("s" + store++), executor).run(client, viaPicocli.toArray(String[]::new));
                // the layers' lines interleave as their downloads and commits finish: the same lines, in any order
                assertThat(List.of(read.code(), read.out().lines().sorted().toList(), read.err())).as("%s", simple)
                        .isEqualTo(List.of(parsed.code(), parsed.out().lines().sorted().toList(), parsed.err()));
            }
        }
        GantryCliTest.Run pulled = new RegistryCli(dir.resolve("s" + store), executor).run(client, "pull", "-q", ref);
        assertThat(pulled.code()).as(pulled.err()).isZero();
        assertThat(pulled.out().strip()).isEqualTo(index.manifestDigest());
    }

    /**
     * An image that is not in an index is pulled whatever it was built for; asked for another
     * platform, the pull ends with docker's warning (moby 42325), and asked for its own, without.
     */
    @Test
    void aSinglePlatformImageOfAnotherPlatformIsPulledWithDockersWarning(RegistryPeer registry) {
        FixtureImage app = new FixtureImages().image(FixtureImages.unique("cli-single")).tag("1")
                .layer("ADD a", l -> l.file("a", "a"));
        registry.pusher().push(app);
        String ref = app.reference(registry.hostPort());

        GantryCliTest.Run other = new RegistryCli(dir.resolve("other"), executor).run(client, "pull", "--platform", "linux/arm64", ref);
        GantryCliTest.Run own = new RegistryCli(dir.resolve("own"), executor).run(client, "pull", "--platform", "linux/amd64", ref);
        GantryCliTest.Run again = new RegistryCli(dir.resolve("other"), executor).run(client, "pull", "--platform=linux/s390x", ref);

        assertThat(other.code()).as(other.err()).isZero();
        assertThat(other.out()).contains("Status: Downloaded newer image for " + ref + "\nWARNING: image with reference " + ref
                + " was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64\n");
        assertThat(own.code()).as(own.err()).isZero();
        assertThat(own.out()).doesNotContain("WARNING");
        assertThat(again.out()).as("the config already stored").contains("Image is up to date for " + ref,
                "wanted linux/s390x, actual: linux/amd64");
    }
}
