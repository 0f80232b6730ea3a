package io.gantry.service.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @TempDir
    Path dir;

    @Test
    void missingFileGivesDefaults() {
        assertThat(new SettingsStore(dir.resolve("settings.json")).load()).isEqualTo(Settings.defaults());
    }

    @Test
    void savesAndLoadsEverything() {
        SettingsStore store = new SettingsStore(dir.resolve("nested").resolve("settings.json"));
        Settings settings = new Settings(Optional.of("engine:unix:///run/docker.sock"),
                Optional.of(new Settings.WindowBounds(10, 20, 1300, 800, false)), "dark", Optional.of("linux/arm64"),
                List.of("registry.lan:5000"),
                List.of(new Settings.RemoteEngine("build box", "tcp://10.0.0.5:2376", Optional.of("/certs"))),
                java.util.Map.of("registry.corp:443", "/etc/ssl/corp-ca.pem"));
        store.save(settings);
        assertThat(store.load()).isEqualTo(settings);
    }

    @Test
    void aFileWrittenBeforeCustomCasStillLoads() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"dark\",\"insecureRegistries\":[\"lan:5000\"]}");
        Settings loaded = new SettingsStore(file).load();
        assertThat(loaded.theme()).isEqualTo("dark");
        assertThat(loaded.insecureRegistries()).containsExactly("lan:5000");
        assertThat(loaded.registryCas()).isEmpty();
    }

    @Test
    void unreadableFileIsSetAsideNotLost() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{ this is not json");
        assertThat(new SettingsStore(file).load()).isEqualTo(Settings.defaults());
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("settings.json.bad")).hasContent("{ this is not json");
    }
}
