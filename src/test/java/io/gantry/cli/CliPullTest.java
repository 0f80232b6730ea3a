package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.registry.RegistryClient;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
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
}
