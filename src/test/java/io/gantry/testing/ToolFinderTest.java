package io.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolFinderTest {

    @Test
    void aMissingToolFailsWithTheCommandThatInstallsIt(@TempDir Path emptyDir) {
        ToolFinder nowhere = new ToolFinder(List.of(emptyDir));

        assertThatThrownBy(() -> nowhere.require(RequiredTool.DOCKER_REGISTRY))
                .isInstanceOf(MissingToolException.class)
                .hasMessage("docker-registry not found: apt-get install -y docker-registry "
                        + "(or run ./test.sh, which installs it)");
        assertThatThrownBy(() -> nowhere.require(RequiredTool.DOCKERD))
                .hasMessageStartingWith("dockerd not found: apt-get install -y docker.io");
    }

    @Test
    void aMissingBinaryFailsThePeerStartWithTheSameMessage(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> RegistryPeer.start(RegistryConfig.anonymous(), new ToolFinder(List.of(emptyDir))))
                .isInstanceOf(MissingToolException.class)
                .hasMessageContaining("apt-get install -y docker-registry");
        assertThatThrownBy(() -> DockerdPeer.start(new ToolFinder(List.of(emptyDir))))
                .isInstanceOf(MissingToolException.class)
                .hasMessageContaining("apt-get install -y docker.io");
    }

    @Test
    void findsExecutablesInOrderAndIgnoresPlainFiles(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Files.writeString(first.resolve("dockerd"), "not executable");
        Path executable = Files.writeString(second.resolve("dockerd"), "#!/bin/sh\n");
        executable.toFile().setExecutable(true);

        assertThat(new ToolFinder(List.of(first, second)).find(RequiredTool.DOCKERD)).contains(executable);
    }

    @Test
    void searchesPathThenTheSystemDirectories() {
        ToolFinder finder = ToolFinder.fromPathVariable(Map.of("PATH", "/opt/a:/opt/b"));

        assertThat(finder.searchPath()).startsWith(Path.of("/opt/a"), Path.of("/opt/b")).contains(Path.of("/usr/sbin"));
    }

    @Test
    void aDynamicBusyboxIsRefusedForScratchImages(@TempDir Path dir) throws Exception {
        // /bin/true is dynamically linked on Debian: it stands in for busybox from the busybox package.
        Path fake = dir.resolve("busybox");
        Files.copy(Path.of("/bin/true"), fake);
        fake.toFile().setExecutable(true);

        assertThatThrownBy(() -> new ToolFinder(List.of(dir)).requireStaticBusybox())
                .isInstanceOf(MissingToolException.class)
                .hasMessageContaining("apt-get install -y busybox-static")
                .hasMessageContaining("dynamically linked");
    }

    @Test
    void theInstalledBusyboxIsStatic() {
        Path busybox = ToolFinder.fromEnvironment().requireStaticBusybox();

        assertThat(ElfFile.isStaticallyLinked(busybox)).isTrue();
    }
}
