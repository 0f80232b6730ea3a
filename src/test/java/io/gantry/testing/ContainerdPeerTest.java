package io.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
class ContainerdPeerTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void answersOnItsOwnSocketWithDebiansVersion(ContainerdPeer containerd) {
        assertThat(containerd.address()).startsWith("unix:///tmp/gc-").endsWith("/containerd.sock");
        assertThat(containerd.socket().toString().length()).isLessThan(108);
        String installed = Commands.run(List.of("containerd", "--version"),
                java.util.Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), java.time.Duration.ofSeconds(30)).orFail().out();
        assertThat(containerd.version()).isNotEmpty();
        assertThat(installed).contains(containerd.version());
        assertThat(containerd.ctrOk("default", "plugins", "ls").stdout())
                .contains("io.containerd.grpc.v1", "cri")
                .doesNotContain("io.containerd.snapshotter.v1    aufs");
    }

    @Test
    void pullsFromThePlainHttpRegistryIntoANamespace(ContainerdPeer containerd, RegistryPeer registry) {
        FixtureImage image = images.image(FixtureImages.unique("seed")).layer(l -> l.file("etc/seed", "seed\n"));
        registry.pusher().push(image);
        String namespace = FixtureImages.unique("ns");

        containerd.pull(namespace, image.reference(registry.hostPort()));

        assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines())
                .containsExactly(image.reference(registry.hostPort()));
        String layer = image.layerBlobs().get(0).digest();
        assertThat(containerd.contentStore().resolve("blobs/sha256/" + layer.substring(7))).exists();
    }

    @Test
    void theConfigurationMovesEveryHostPath() throws Exception {
        Path dir = Path.of("/tmp/gc-test");
        String defaults = Commands.run(List.of("containerd", "config", "default"),
                java.util.Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), java.time.Duration.ofSeconds(30)).orFail().stdout();
        String config = ContainerdPeer.configFor(defaults, dir);
        assertThat(config).doesNotContain("/run/containerd", "/var/lib/containerd", "/opt/cni", "/etc/cni")
                .contains("restrict_oom_score_adj = true", "io.containerd.snapshotter.v1.zfs");
        assertThatThrownBy(() -> ContainerdPeer.configFor("version = 2\n", dir)).hasMessageContaining("1.6");
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void aMissingContainerdIsAClearFailure(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThatThrownBy(() -> ContainerdPeer.start(new ToolFinder(List.of(empty))))
                .isInstanceOf(MissingToolException.class)
                .hasMessageContaining("apt-get install -y containerd");
    }
}
