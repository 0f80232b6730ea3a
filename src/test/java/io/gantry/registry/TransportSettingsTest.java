package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    @Test
    void plainHttpOnlyForLoopbackOrMarkedRegistries() {
        TransportSettings settings = TransportSettings.defaults(Path.of("/home/u/.docker"))
                .withInsecureRegistries(Set.of("Build.Local:5000"));

        assertThat(settings.allowsPlainHttp("localhost:5000")).isTrue();
        assertThat(settings.allowsPlainHttp("localhost")).isTrue();
        assertThat(settings.allowsPlainHttp("127.0.0.1:5000")).isTrue();
        assertThat(settings.allowsPlainHttp("127.1.2.3")).isTrue();
        assertThat(settings.allowsPlainHttp("[::1]:5000")).isTrue();
        assertThat(settings.allowsPlainHttp("build.local:5000")).isTrue();
        assertThat(settings.allowsPlainHttp("build.local:5001")).isFalse();
        assertThat(settings.allowsPlainHttp("docker.io")).isFalse();
        assertThat(settings.allowsPlainHttp("localhost.evil.com")).isFalse();
        assertThat(settings.allowsPlainHttp("127.0.0.1.nip.io:5000")).isFalse();
    }

    @Test
    void defaultsSearchTheDockerConfigDirThenEtc() {
        TransportSettings settings = TransportSettings.defaults(Path.of("/home/u/.docker"));
        assertThat(settings.certsDirectories()).containsExactly(Path.of("/home/u/.docker/certs.d"),
                Path.of("/etc/docker/certs.d"));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void backoffDoublesUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(60));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.backoff(9)).isEqualTo(Duration.ofSeconds(3));
    }
}
