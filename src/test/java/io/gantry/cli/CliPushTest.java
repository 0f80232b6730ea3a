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

/** {@code gantry push} from the embedded store: docker's lines, and its error paths. */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class CliPushTest {

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
    void pushPrintsDockersLinesAndEveryErrorIsOneLine(RegistryPeer registry, RegistryPeers registries) {
        RegistryClient anonymous = RegistryClient.builder().build();
        String repo = FixtureImages.unique("cli-push");
        FixtureImage app = new FixtureImages().image(repo).tag("1").layer("ADD a", l -> l.file("a", "a")).bigLayer(300_000, 5);
        registry.pusher().push(app);
        String source = app.reference(registry.hostPort());
        assertThat(gantry(anonymous, "pull", "-q", source).code()).isZero();
        RegistryPeer other = registries.start();
        String target = other.hostPort() + "/team/" + repo + ":2";
        assertThat(gantry(anonymous, "tag", source, target).code()).isZero();

        GantryCliTest.Run push = gantry(anonymous, "push", target);

        assertThat(push.code()).as(push.err()).isZero();
        String layer = Digest.of(app.layerBlobs().get(1).digest()).shortHex();
        assertThat(push.out()).contains("The push refers to repository [" + other.hostPort() + "/team/" + repo + "]",
                layer + ": Preparing", layer + ": Pushing", layer + ": Pushed",
                "2: digest: " + app.manifestDigest() + " size: " + app.manifest().bytes().length);
        assertThat(push.out().lines().filter(l -> l.startsWith(layer + ": Pushing"))).hasSize(1);
        GantryCliTest.Run again = gantry(anonymous, "push", "-q", target);
        assertThat(again.out().strip()).isEqualTo(app.manifestDigest());

        GantryCliTest.Run help = gantry(anonymous, "push", "--help");
        assertThat(help.out()).contains("Usage: gantry push", "mounted", "digest");

        GantryCliTest.Run missing = gantry(anonymous, "push", other.hostPort() + "/no-such-image:1");
        assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(missing.err()).contains("an image does not exist locally with the tag").doesNotContain("Exception");

        String dead = "127.0.0.1:" + closedPort() + "/" + repo + ":1";
        assertThat(gantry(anonymous, "tag", source, dead).code()).isZero();
        GantryCliTest.Run unreachable = gantry(anonymous, "push", dead);
        assertThat(unreachable.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(unreachable.err()).startsWith("gantry: ").doesNotContain("Exception", "\tat ");

        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("bob", "right-pw-7"));
        String locked = secured.hostPort() + "/" + repo + ":1";
        assertThat(gantry(anonymous, "tag", source, locked).code()).isZero();
        RegistryClient wrong = RegistryClient.builder()
                .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic("bob", "wrong-pw-9")))).build();
        GantryCliTest.Run refused = gantry(wrong, "push", locked);
        assertThat(refused.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(refused.err()).contains("docker login").doesNotContain("wrong-pw-9", "Exception");
    }

    /** A loopback port nothing listens on (bound, then closed). */
    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
