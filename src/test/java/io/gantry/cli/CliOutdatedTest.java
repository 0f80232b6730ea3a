package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.registry.Credential;
import io.gantry.registry.CredentialStore;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry outdated}: HEAD requests only, the index digest compared for a multi-platform image. */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class CliOutdatedTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private GantryCliTest.Run gantry(RegistryClient client, String... args) {
        return new RegistryCli(dir, executor).run(client, args);
    }

    @Test
    void movedTagsAreFoundAndAnIndexIsComparedByItsOwnDigest(RegistryPeer registry) throws Exception {
        RegistryClient client = RegistryClient.builder().build();
        FixtureImages images = new FixtureImages();
        String repo = FixtureImages.unique("outdated");
        FixtureImage v1 = images.image(repo).tag("1").layer("ADD a", l -> l.file("a", "one"));
        FixtureImage stable = images.image(repo).tag("stable").layer("ADD a", l -> l.file("a", "stable"));
        FixtureImage amd = images.image(repo + "-multi").platform("linux/amd64").layer("ADD a", l -> l.file("arch", "amd64"));
        FixtureImage arm = images.image(repo + "-multi").platform("linux/arm64").layer("ADD a", l -> l.file("arch", "arm64"));
        io.gantry.testing.FixtureIndex index = images.index(repo + "-multi", amd, arm).oci();
        registry.pusher().push(v1);
        registry.pusher().push(stable);
        registry.pusher().push(index);
        String host = registry.hostPort();
        for (String ref : List.of(v1.reference(host), stable.reference(host), index.reference(host))) {
            assertThat(gantry(client, "pull", "-q", "--platform", "linux/amd64", ref).code()).isZero();
        }
        assertThat(gantry(client, "tag", v1.reference(host), "built-here:1").code()).isZero();
        FixtureImage v1b = images.image(repo).tag("1").layer("ADD a", l -> l.file("a", "one, rebuilt"));
        registry.pusher().push(v1b); // the tag moves

        GantryCliTest.Run outdated = gantry(client, "outdated");
        assertThat(outdated.code()).as(outdated.err()).isZero();
        assertThat(line(outdated.out(), v1.reference(host))).contains("update available", v1b.manifestDigest());
        assertThat(line(outdated.out(), stable.reference(host))).contains("up to date");
        assertThat(line(outdated.out(), index.reference(host))).as("the index digest, not the child's")
                .contains("up to date", index.manifestDigest());
        assertThat(line(outdated.out(), "built-here:1")).contains("unknown", "no registry digest to compare");
        assertThat(gantry(client, "outdated", "-q").out().lines()).containsExactly(v1.reference(host));
        assertThat(gantry(client, "outdated", "--format", "json").out()).contains("\"status\" : \"update_available\"");
    }

    private static String line(String out, String tag) {
        return out.lines().filter(l -> l.startsWith(tag + " ")).findFirst().orElseThrow(() -> new AssertionError(tag + " not in\n" + out));
    }
}
