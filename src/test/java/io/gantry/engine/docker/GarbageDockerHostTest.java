package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.EngineCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, item 7: garbage in {@code DOCKER_HOST} ({@code ssh://} is valid for Docker but not for
 * Gantry; the rest is garbage) printed Java stack traces on every engine command and made the
 * window exit at start. Discovery takes any value as it is; the engine store says, in one line,
 * why it cannot dial it, and nothing throws anything but a {@link GantryException}.
 */
class GarbageDockerHostTest {

    @TempDir
    Path dir;

    private List<EngineAddress> discover(String dockerHost) {
        return new EngineDiscovery(Map.of("DOCKER_HOST", dockerHost), dir.resolve("home"), dir.resolve("root"), "Linux")
                .discover();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh://me@host", "unix://", "tcp://", "tcp://:99999", "tcp://host:99999", "tcp://host:x",
            "%%%", "tcp://a b", "tcp:// host:1", "npipe:////./pipe/docker_engine", "fd://", "ftp://x:1", "just words",
            "unix", "tcp://[::1", "tcp://x:1\u001b[2J"})
    void discoveryTakesTheValueAndTheStoreSaysInOneLineWhyItCannotDialIt(String value) {
        List<EngineAddress> found = discover(value);
        assertThat(found).isNotEmpty();
        EngineAddress address = found.get(0);
        assertThat(address.source()).isEqualTo(EngineAddress.Source.DOCKER_HOST);
        assertThat(address.host()).isEqualTo(value);
        assertThat(address.problem(false)).as("why " + value + " cannot be dialled").isPresent();

        DockerEngineStore store = new DockerEngineStore(address, EngineCredentials.anonymous(), new DockerEngineStore.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofSeconds(3)),
                Thread::new);
        try {
            long start = System.nanoTime();
            assertThatThrownBy(store::info).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                assertThat(e.getMessage()).matches("(?s).*(cannot use the engine address|over ssh).*")
                        .doesNotContain("Exception").doesNotContain("\n");
                assertThat(e.action()).isPresent();
            });
            assertThatThrownBy(store::listImages).isInstanceOf(GantryException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(store.endpoint().address()).isEqualTo(value);
        } finally {
            store.close();
        }
    }

    @Test
    void aBlankDockerHostIsIgnoredAsDockerIgnoresIt() {
        assertThat(discover("   ")).noneMatch(a -> a.source() == EngineAddress.Source.DOCKER_HOST);
    }

    @Test
    void usableAddressesHaveNoProblem() {
        for (String host : List.of("unix:///var/run/docker.sock", "tcp://127.0.0.1:2376", "tcp://[::1]:2375",
                "tcp://docker.example.com", "TCP://host:1", "unix:///run/user/1000/podman/podman.sock")) {
            assertThat(new EngineAddress("x", host, EngineAddress.Source.DOCKER_HOST, false, Optional.empty(), false)
                    .problem(false)).as(host).isEmpty();
        }
        assertThat(new EngineAddress("x", "npipe:////./pipe/docker_engine", EngineAddress.Source.NAMED_PIPE, false,
                Optional.empty(), false).problem(true)).isEmpty();
    }
}
