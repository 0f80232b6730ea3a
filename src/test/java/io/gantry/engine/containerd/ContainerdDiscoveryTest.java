package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdDiscoveryTest {

    @TempDir
    Path root;

    private Path socket(String path) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.createFile(file);
    }

    @Test
    void findsTheUsualSocketsThatExistInOrderAndEachOnce() throws IOException {
        Path home = root.resolve("home/alice");
        Path system = socket("run/containerd/containerd.sock");
        Path k3s = socket("run/k3s/containerd/containerd.sock");
        Path colima = socket("home/alice/.colima/default/containerd.sock");
        Path lima = socket("home/alice/.lima/dev/sock/containerd.sock");
        Files.createDirectories(home.resolve(".lima/other/sock")); // an instance without a forwarded socket

        var found = new ContainerdDiscovery(Map.of("CONTAINERD_ADDRESS", "unix://" + system), home, root).discover();

        assertThat(found).extracting(ContainerdDiscovery.Found::socket).containsExactly(system, k3s, colima, lima);
        assertThat(found).extracting(ContainerdDiscovery.Found::name).containsExactly(
                "containerd", "k3s containerd", "colima default containerd", "lima dev containerd");
        assertThat(found).extracting(ContainerdDiscovery.Found::namespace)
                .containsExactly("default", "k8s.io", "default", "default");
    }

    @Test
    void theAddressTheUserNamedIsListedEvenWhenMissingWithItsNamespace() {
        var found = new ContainerdDiscovery(Map.of("CONTAINERD_ADDRESS", "/nowhere/containerd.sock",
                "CONTAINERD_NAMESPACE", "k8s.io"), root.resolve("home"), root).discover();
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.socket()).isEqualTo(Path.of("/nowhere/containerd.sock"));
            assertThat(f.namespace()).isEqualTo("k8s.io");
        });
        assertThat(new ContainerdDiscovery(Map.of(), root.resolve("home"), root).discover()).isEmpty();
    }
}
