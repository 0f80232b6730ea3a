package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppPathsTest {

    private static final Path HOME = Path.of("/home/ana");

    @Test
    void gantryHomeWins() {
        assertThat(AppPaths.resolve(Map.of("GANTRY_HOME", "/srv/g", "XDG_DATA_HOME", "/x"), "Linux", HOME).home())
                .isEqualTo(Path.of("/srv/g"));
    }

    @Test
    void linuxFollowsXdg() {
        assertThat(AppPaths.resolve(Map.of("XDG_DATA_HOME", "/x/data"), "Linux", HOME).store())
                .isEqualTo(Path.of("/x/data/gantry/store"));
        assertThat(AppPaths.resolve(Map.of(), "Linux", HOME).home())
                .isEqualTo(Path.of("/home/ana/.local/share/gantry"));
    }

    @Test
    void macAndWindowsUseTheirUsualPlaces() {
        assertThat(AppPaths.resolve(Map.of(), "Mac OS X", HOME).home())
                .isEqualTo(Path.of("/home/ana/Library/Application Support/Gantry"));
        assertThat(AppPaths.resolve(Map.of("LOCALAPPDATA", "/c/Users/ana/AppData/Local"), "Windows 11", HOME).home())
                .isEqualTo(Path.of("/c/Users/ana/AppData/Local/Gantry"));
    }
}
