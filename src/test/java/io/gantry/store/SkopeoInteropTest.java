package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.ImageSummary;
import io.gantry.testing.CommandResult;
import io.gantry.testing.Commands;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RequiredTool;
import io.gantry.testing.ToolFinder;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store is a real OCI image layout: what skopeo writes, Gantry lists and exports; what Gantry
 * writes, skopeo and umoci read.
 */
@Tag("peer")
@ExtendWith({RegistryExtension.class, DockerdExtension.class})
class SkopeoInteropTest {

    static final RequiredTool SKOPEO = new RequiredTool("skopeo", "skopeo");
    static final RequiredTool UMOCI = new RequiredTool("umoci", "umoci");

    private final FixtureImages images = new FixtureImages();
    private final ToolFinder tools = ToolFinder.fromEnvironment();

    @TempDir
    Path dir;

    @Test
    void gantryListsAndExportsWhatSkopeoCopiedIntoALayout(RegistryPeer registry, DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("skopeo-in");
        FixtureImage app = images.image(repo).tag("1.0").layer("ADD a", l -> l.file("a", "skopeo"))
                .layer("ADD b", l -> l.file("b", "b")).oci(); // skopeo rewrites a Docker config when converting to OCI
        registry.pusher().push(app);
        Path layout = dir.resolve("layout");
        skopeo("copy", "--src-tls-verify=false", "docker://" + app.reference(registry.hostPort()), "oci:" + layout + ":1.0");
        skopeo("copy", "--src-tls-verify=false", "docker://" + app.reference(registry.hostPort()),
                "oci:" + layout + ":" + registry.hostPort() + "/" + repo + ":full");

        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            List<ImageSummary> listed = store.listImages();
            assertThat(listed).singleElement().satisfies(image -> {
                assertThat(image.id().toString()).isEqualTo(app.imageId());
                assertThat(image.repoTags()).containsExactlyInAnyOrder("<none>:1.0", registry.hostPort() + "/" + repo + ":full");
            });
            assertThat(store.verify().ok()).isTrue();
            Path archive = dir.resolve("export.tar");
            try (OutputStream out = Files.newOutputStream(archive)) {
                store.save(keys("1.0"), ArchiveFormat.DOCKER, out);
            }
            CommandResult loaded = dockerd.dockerOk("load", "-i", archive.toString());
            assertThat(loaded.stdout()).contains("Loaded image ID: " + app.imageId());
        }
    }

    @Test
    void gantryReadsAMultiPlatformLayoutThatSkopeoCopiedWithAll(RegistryPeer registry) {
        String repo = FixtureImages.unique("skopeo-all");
        FixtureImage amd = images.image(repo).platform("linux/amd64").layer("ADD a", l -> l.file("arch", "amd64"));
        FixtureImage arm = images.image(repo).platform("linux/arm64/v8").layer("ADD a", l -> l.file("arch", "arm64"));
        FixtureIndex index = images.index(repo, amd, arm).oci();
        registry.pusher().push(index);
        Path layout = dir.resolve("layout");
        skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + index.reference(registry.hostPort()),
                "oci:" + layout + ":multi");
        StoreOptions arm64 = new StoreOptions(java.time.Clock.systemUTC(), Duration.ofSeconds(10),
                io.gantry.core.Platform.parse("linux/arm64"));
        try (OciLayoutStore store = OciLayoutStore.open(layout, arm64)) {
            assertThat(store.listImages()).singleElement()
                    .satisfies(i -> assertThat(i.id().toString()).isEqualTo(arm.imageId()));
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void skopeoAndUmociReadWhatGantryWrote(DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("gantry-out");
        FixtureImage app = images.image(repo).layer("ADD a", l -> l.file("a", "gantry")).oci();
        Path layout = dir.resolve("layout");
        String name = "example.com/" + repo + ":1";
        String full = ImageReference.parse(name).toString();
        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            StoreFixtures.store(store, app, name);
            store.tag(ImageKey.parse(name), ImageReference.parse("example.com/" + repo + ":v2"));
        }
        CommandResult inspect = skopeo("inspect", "oci:" + layout + ":" + full);
        Map<?, ?> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(inspect.stdout(), Map.class);
        assertThat(json.get("Digest")).isEqualTo(app.manifestDigest());
        Path archive = dir.resolve("skopeo.tar");
        skopeo("copy", "oci:" + layout + ":" + full, "docker-archive:" + archive + ":" + name);
        CommandResult loaded = dockerd.dockerOk("load", "-i", archive.toString());
        assertThat(loaded.stdout()).contains(name);
        assertThat(dockerd.imageId(name)).isEqualTo(app.imageId());

        Path umoci = tools.require(UMOCI);
        CommandResult ls = Commands.run(List.of(umoci.toString(), "ls", "--layout", layout.toString()), env(), Duration.ofMinutes(1)).orFail();
        assertThat(ls.lines()).contains(full, ImageReference.parse("example.com/" + repo + ":v2").toString());
        CommandResult stat = Commands.run(List.of(umoci.toString(), "stat", "--image", layout + ":" + full), env(),
                Duration.ofMinutes(1));
        assertThat(stat.succeeded()).as(stat.describe()).isTrue();
    }

    private CommandResult skopeo(String... args) {
        List<String> command = new ArrayList<>();
        command.add(tools.require(SKOPEO).toString());
        command.add("--insecure-policy");
        command.addAll(List.of(args));
        return Commands.run(command, env(), Duration.ofMinutes(2)).orFail();
    }

    private static Map<String, String> env() {
        return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", System.getProperty("java.io.tmpdir"));
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
