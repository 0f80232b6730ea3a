package io.gantry.service.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathNamesTest {

    @Test
    void cleansNamesLikeAnEngineWould() {
        assertThat(PathNames.clean("usr/bin/env")).isEqualTo(new PathNames.Clean("usr/bin/env", false, false, false));
        assertThat(PathNames.clean("./usr/bin/")).isEqualTo(new PathNames.Clean("usr/bin", false, false, false));
        assertThat(PathNames.clean("././a//b/./c")).isEqualTo(new PathNames.Clean("a/b/c", false, false, false));
        assertThat(PathNames.clean("/etc/passwd")).isEqualTo(new PathNames.Clean("etc/passwd", true, false, false));
        assertThat(PathNames.clean("a/../b")).isEqualTo(new PathNames.Clean("b", false, true, false));
        assertThat(PathNames.clean("../x")).isEqualTo(new PathNames.Clean("x", false, true, true));
        assertThat(PathNames.clean("./")).isEqualTo(new PathNames.Clean("", false, false, false));
        assertThat(PathNames.clean(".wh..wh..opq").path()).isEqualTo(".wh..wh..opq");
        assertThat(PathNames.clean("a/..b/.c").path()).isEqualTo("a/..b/.c");
    }

    @Test
    void resolvesLinkTargetsFromTheirDirectory() {
        assertThat(PathNames.resolve("usr/lib", "../../lib/ld.so").escapes()).isFalse();
        assertThat(PathNames.resolve("usr/lib", "../../../etc/shadow").escapes()).isTrue();
        assertThat(PathNames.resolve("usr/lib", "/usr/share/zoneinfo/UTC").path()).isEqualTo("usr/share/zoneinfo/UTC");
    }
}
