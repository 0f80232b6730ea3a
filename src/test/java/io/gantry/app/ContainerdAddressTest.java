package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageStore;
import io.gantry.service.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A containerd added in Settings by its socket opens as a containerd endpoint (no I/O until first used). */
class ContainerdAddressTest {

    @TempDir
    Path home;

    @Test
    void aContainerdSocketFromTheSettingsIsAContainerdEndpointUnderTheGivenName() {
        Gantry gantry = new Gantry(new AppPaths(home), Map.of());
        try (ImageStore store = gantry.openRemoteEngine(new Settings.RemoteEngine("node-1",
                "containerd:///run/k3s/containerd/containerd.sock", Optional.empty()))) {
            assertThat(store.endpoint().kind()).isEqualTo(Endpoint.Kind.CONTAINERD);
            assertThat(store.endpoint().name()).isEqualTo("node-1");
            assertThat(store.endpoint().address()).isEqualTo("unix:///run/k3s/containerd/containerd.sock");
        }
        try (ImageStore store = gantry.openRemoteEngine(new Settings.RemoteEngine("lima",
                "unix:///home/u/.lima/default/sock/containerd.sock", Optional.empty()))) {
            assertThat(store.endpoint().kind()).isEqualTo(Endpoint.Kind.CONTAINERD);
        }
        try (ImageStore store = gantry.openRemoteEngine(new Settings.RemoteEngine("docker", "unix:///var/run/docker.sock",
                Optional.empty()))) {
            assertThat(store.endpoint().kind()).isNotEqualTo(Endpoint.Kind.CONTAINERD);
        }
    }
}
