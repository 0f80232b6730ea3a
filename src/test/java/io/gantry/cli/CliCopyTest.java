package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.registry.Credential;
import io.gantry.registry.CredentialStore;
import io.gantry.registry.RegistryClient;
import io.gantry.testing.Commands;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
import io.gantry.testing.Layer;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import io.gantry.testing.RequiredTool;
import io.gantry.testing.ToolFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry cp docker://A docker://B} between harness registries (issue 17): a whole index
 * within one registry (blobs mounted, a layer both children share handled once), one platform of
 * it into another registry with htpasswd auth (blobs streamed), and the errors. What arrived is
 * read back with {@code skopeo inspect --raw} (the digest is the source's) and pulled again by
 * Gantry, which verifies every blob (the image ID is the source's).
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class CliCopyTest {

    private static final RequiredTool SKOPEO = new RequiredTool("skopeo", "skopeo");
    private static final String USER = "carol";
    private static final String PASSWORD = "copy-pw-31";
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FixtureImages images = new FixtureImages();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private GantryCliTest.Run gantry(RegistryClient client, String... args) {
        return new RegistryCli(dir, executor).run(client, args);
    }

    /** An index of linux/amd64 and linux/arm64 whose children share their base layer. */
    private FixtureIndex sharedBaseIndex(String repository) {
        Layer base = images.layer(l -> l.randomFile("base", 300_000, 17));
        FixtureImage amd = images.image(repository).platform("linux/amd64").layer("ADD base", base)
                .layer("ADD arch", l -> l.file("arch", "amd64 " + repository));
        FixtureImage arm = images.image(repository).platform("linux/arm64").layer("ADD base", base)
                .layer("ADD arch", l -> l.file("arch", "arm64 " + repository));
        return images.index(repository, amd, arm).tag("1");
    }

    /** The bytes {@code skopeo inspect --raw} reads for {@code reference}. */
    private byte[] skopeoRaw(String reference, String... extra) {
        List<String> command = new ArrayList<>(List.of(ToolFinder.fromEnvironment().require(SKOPEO).toString(), "inspect",
                "--raw", "--tls-verify=false"));
        command.addAll(List.of(extra));
        command.add("docker://" + reference);
        return Commands.run(command, Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()), Duration.ofMinutes(2))
                .orFail().stdout().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWholeIndexIsCopiedWithinARegistryByMountsKeepingItsDigestAndSharedLayersOnce(RegistryPeer registry) {
        RegistryClient client = RegistryClient.builder().build();
        String repository = FixtureImages.unique("cp-index");
        FixtureIndex index = sharedBaseIndex(repository);
        registry.pusher().push(index);
        String source = index.reference(registry.hostPort());
        String target = registry.hostPort() + "/" + repository + "-copy:2";

        GantryCliTest.Run copy = gantry(client, "cp", "docker://" + source, "docker://" + target);

        assertThat(copy.code()).as(copy.err()).isZero();
        String base = Digest.of(index.images().get(0).layerBlobs().get(0).digest()).shortHex();
        String armTop = Digest.of(index.images().get(1).layerBlobs().get(1).digest()).shortHex();
        assertThat(copy.out()).contains("Copying " + index.reference(registry.hostPort()),
                base + ": Mounted from " + repository, armTop + ": Mounted from " + repository,
                "2: digest: " + index.manifestDigest() + " size: " + index.manifest().bytes().length);
        assertThat(copy.out().lines().filter(l -> l.equals(base + ": Preparing"))).as("the shared layer once").hasSize(1);
        assertThat(copy.out()).doesNotContain("Pushing");
        assertThat(Digest.sha256(skopeoRaw(target)).toString()).isEqualTo(index.manifestDigest());
        for (FixtureImage child : index.images()) {
            String byDigest = registry.hostPort() + "/" + repository + "-copy@" + child.manifestDigest();
            assertThat(Digest.sha256(skopeoRaw(byDigest)).toString()).isEqualTo(child.manifestDigest());
        }

        GantryCliTest.Run again = gantry(client, "cp", "docker://" + source, "docker://" + target);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains(base + ": Layer already exists", armTop + ": Layer already exists")
                .doesNotContain("Mounted from");
        GantryCliTest.Run quiet = gantry(client, "cp", "-q", "docker://" + source, "docker://" + target);
        assertThat(quiet.out().strip()).isEqualTo(index.manifestDigest());
    }

    @Test
    void onePlatformIsStreamedIntoARegistryWithALoginAndPulledBackWithTheSameImageId(RegistryPeer registry,
                                                                                   RegistryPeers registries) {
        String repository = FixtureImages.unique("cp-arm");
        FixtureIndex index = sharedBaseIndex(repository);
        registry.pusher().push(index);
        FixtureImage arm = index.images().get(1);
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd(USER, PASSWORD));
        RegistryClient carol = RegistryClient.builder()
                .credentials(CredentialStore.of(Map.of(secured.hostPort(), Credential.basic(USER, PASSWORD)))).build();
        String source = "docker://" + index.reference(registry.hostPort());
        String target = secured.hostPort() + "/team/" + repository + ":arm";

        GantryCliTest.Run copy = gantry(carol, "cp", "--platform", "linux/arm64", source, "docker://" + target);

        assertThat(copy.code()).as(copy.err()).isZero();
        String base = Digest.of(arm.layerBlobs().get(0).digest()).shortHex();
        assertThat(copy.out()).contains(base + ": Preparing", base + ": Pushing", base + ": Pushed",
                "arm: digest: " + arm.manifestDigest() + " size: " + arm.manifest().bytes().length);
        byte[] raw = skopeoRaw(target, "--creds", USER + ":" + PASSWORD);
        assertThat(Digest.sha256(raw).toString()).isEqualTo(arm.manifestDigest());
        assertThat(raw).isEqualTo(arm.manifest().bytes());
        GantryCliTest.Run pulled = gantry(carol, "pull", "-q", target);
        assertThat(pulled.code()).as(pulled.err()).isZero();
        assertThat(gantry(carol, "inspect", "--format", "{{.Id}}", target).out().strip()).isEqualTo(arm.imageId());

        GantryCliTest.Run noPlatform = gantry(carol, "cp", "--platform", "linux/s390x", source, "docker://" + target + "-x");
        assertThat(noPlatform.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(noPlatform.err()).contains("linux/amd64", "linux/arm64").doesNotContain("Exception");

        RegistryClient anonymous = RegistryClient.builder().build();
        GantryCliTest.Run refused = gantry(anonymous, "cp", source, "docker://" + target + "-anon");
        assertThat(refused.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(refused.err()).startsWith("gantry: ").contains("docker login").doesNotContain("Exception", "\tat ");

        GantryCliTest.Run endpoints = gantry(carol, "cp", "--to", "embedded", source, "docker://" + target);
        assertThat(endpoints.code()).isEqualTo(GantryCli.EXIT_USAGE);
        GantryCliTest.Run platformForAnEndpoint = gantry(carol, "cp", "--platform", "linux/arm64", "--to", "embedded", source);
        assertThat(platformForAnEndpoint.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(platformForAnEndpoint.err()).contains("--platform");
    }
}
