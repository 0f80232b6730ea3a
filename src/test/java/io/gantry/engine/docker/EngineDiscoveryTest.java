package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against a fake file system: a temp directory stands in for "/", another for the home
 * directory, and the environment is a map. Sockets are plain files; discovery only checks they exist.
 */
class EngineDiscoveryTest {

    @TempDir
    Path root;
    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void noDefaults() {
        env.clear();
    }

    private List<EngineAddress> discover() {
        return new EngineDiscovery(env, home, root, "Linux").discover();
    }

    private Path touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "");
    }

    private void writeContext(Path configDir, String name, String host, boolean skipTlsVerify) throws IOException {
        String hash = Digest.sha256(name).hex();
        Path meta = configDir.resolve("contexts/meta").resolve(hash).resolve("meta.json");
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "{\"Name\":\"" + name + "\",\"Metadata\":{\"Description\":\"test\"},"
                + "\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":" + skipTlsVerify + "}}}");
    }

    @Test
    void findsNothingOnAnEmptyMachine() {
        assertThat(discover()).isEmpty();
    }

    @Test
    void defaultSocketIsFoundAndCurrent() throws IOException {
        Path socket = touch(root.resolve("var/run/docker.sock"));

        List<EngineAddress> found = discover();

        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.host()).isEqualTo("unix://" + socket);
            assertThat(a.source()).isEqualTo(EngineAddress.Source.DEFAULT_SOCKET);
            assertThat(a.current()).isTrue();
            assertThat(a.podman()).isFalse();
            assertThat(a.endpointId()).isEqualTo("engine:unix://" + socket);
        });
    }

    @Test
    void dockerHostUnixComesFirstAndIsCurrent() throws IOException {
        touch(root.resolve("var/run/docker.sock"));
        env.put("DOCKER_HOST", "unix:///tmp/other.sock");

        List<EngineAddress> found = discover();

        assertThat(found).extracting(EngineAddress::host)
                .containsExactly("unix:///tmp/other.sock", "unix://" + root.resolve("var/run/docker.sock"));
        assertThat(found.get(0).current()).isTrue();
        assertThat(found.get(0).tls()).isEmpty();
        assertThat(found.get(1).current()).isFalse();
    }

    @Test
    void dockerHostOnAPodmanSocketIsPodman() throws IOException {
        Path rootful = touch(root.resolve("run/podman/podman.sock"));
        env.put("DOCKER_HOST", "unix:///run/user/1000/podman/podman.sock");

        List<EngineAddress> found = discover();

        assertThat(found).extracting(EngineAddress::host)
                .containsExactly("unix:///run/user/1000/podman/podman.sock", "unix://" + rootful);
        assertThat(found).allSatisfy(a -> assertThat(a.podman()).isTrue());
        assertThat(found.get(0).source()).isEqualTo(EngineAddress.Source.DOCKER_HOST);
        assertThat(found.get(1).source()).isEqualTo(EngineAddress.Source.PODMAN_ROOT);
        assertThat(EngineDiscovery.looksLikePodman("npipe:////./pipe/podman-machine-default")).isTrue();
        assertThat(EngineDiscovery.looksLikePodman("unix:///var/run/docker.sock")).isFalse();
    }

    @Test
    void dockerHostTcpWithoutTlsHasNoTls() {
        env.put("DOCKER_HOST", "tcp://127.0.0.1:2375");

        assertThat(discover()).singleElement().satisfies(a -> {
            assertThat(a.host()).isEqualTo("tcp://127.0.0.1:2375");
            assertThat(a.tls()).isEmpty();
        });
    }

    @Test
    void dockerHostTcpWithTlsVerifyUsesCertPath() {
        env.put("DOCKER_HOST", "tcp://engine.example:2376");
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", "/certs/engine");

        assertThat(discover()).singleElement().satisfies(a ->
                assertThat(a.tls()).contains(new EngineAddress.Tls(Path.of("/certs/engine"), true)));
    }

    @Test
    void tlsVerifyWithoutCertPathUsesTheDockerConfigDirectory() {
        env.put("DOCKER_HOST", "tcp://engine.example:2376");
        env.put("DOCKER_TLS_VERIFY", "1");

        assertThat(discover().get(0).tls()).contains(new EngineAddress.Tls(home.resolve(".docker"), true));

        env.put("DOCKER_CONFIG", "/etc/docker-config");
        assertThat(discover().get(0).tls()).contains(new EngineAddress.Tls(Path.of("/etc/docker-config"), true));
    }

    @Test
    void dockerTlsWithoutVerifyIsTlsWithoutVerification() {
        env.put("DOCKER_HOST", "tcp://engine.example:2376");
        env.put("DOCKER_TLS", "1");
        env.put("DOCKER_CERT_PATH", "/certs");

        assertThat(discover().get(0).tls()).contains(new EngineAddress.Tls(Path.of("/certs"), false));
    }

    @Test
    void currentContextFromConfigJsonComesFirstWithItsTlsMaterial() throws IOException {
        Path config = home.resolve(".docker");
        writeContext(config, "remote", "tcp://10.0.0.5:2376", false);
        writeContext(config, "colima", "unix:///home/u/.colima/default/docker.sock", false);
        Files.writeString(config.resolve("config.json"), "{\"auths\":{},\"currentContext\":\"remote\"}");
        Path tls = config.resolve("contexts/tls").resolve(Digest.sha256("remote").hex()).resolve("docker");
        touch(tls.resolve("ca.pem"));
        touch(root.resolve("var/run/docker.sock"));

        List<EngineAddress> found = discover();

        assertThat(found).extracting(EngineAddress::name)
                .containsExactly("docker (context remote)", "docker (context colima)", "docker");
        assertThat(found.get(0).current()).isTrue();
        assertThat(found.get(0).tls()).contains(new EngineAddress.Tls(tls, true));
        assertThat(found.get(1).tls()).isEmpty();
        assertThat(found.get(2).current()).as("the default socket is not current while a context is").isFalse();
    }

    @Test
    void dockerContextEnvOverridesConfigJsonAndDockerConfigMovesTheStore() throws IOException {
        Path config = root.resolve("cfg");
        env.put("DOCKER_CONFIG", config.toString());
        writeContext(config, "a", "unix:///a.sock", false);
        writeContext(config, "b", "unix:///b.sock", true);
        Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"a\"}");
        env.put("DOCKER_CONTEXT", "b");

        List<EngineAddress> found = discover();

        assertThat(found).extracting(EngineAddress::host).containsExactly("unix:///b.sock", "unix:///a.sock");
        assertThat(found.get(0).current()).isTrue();
        assertThat(found.get(1).current()).isFalse();
    }

    @Test
    void dockerHostWinsOverTheCurrentContext() throws IOException {
        Path config = home.resolve(".docker");
        writeContext(config, "a", "unix:///a.sock", false);
        Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"a\"}");
        env.put("DOCKER_HOST", "unix:///env.sock");

        List<EngineAddress> found = discover();

        assertThat(found).extracting(EngineAddress::host).containsExactly("unix:///env.sock", "unix:///a.sock");
        assertThat(found).extracting(EngineAddress::current).containsExactly(true, false);
    }

    @Test
    void contextInAWronglyNamedDirectoryIsIgnored() throws IOException {
        Path meta = home.resolve(".docker/contexts/meta/not-a-hash/meta.json");
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "{\"Name\":\"x\",\"Endpoints\":{\"docker\":{\"Host\":\"unix:///x.sock\"}}}");

        assertThat(discover()).isEmpty();
    }

    @Test
    void brokenConfigAndContextFilesAreSkipped() throws IOException {
        Path config = home.resolve(".docker");
        Files.createDirectories(config);
        Files.writeString(config.resolve("config.json"), "{not json");
        Path meta = config.resolve("contexts/meta").resolve(Digest.sha256("bad").hex()).resolve("meta.json");
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "]");
        touch(root.resolve("var/run/docker.sock"));

        assertThat(discover()).extracting(EngineAddress::source).containsExactly(EngineAddress.Source.DEFAULT_SOCKET);
    }

    @Test
    void dockerDesktopRootlessAndPodmanSockets() throws IOException {
        Path runtime = root.resolve("run/user/1000");
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        touch(home.resolve(".docker/run/docker.sock"));
        touch(runtime.resolve("docker.sock"));
        touch(runtime.resolve("podman/podman.sock"));
        touch(root.resolve("run/podman/podman.sock"));

        List<EngineAddress> found = discover();

        assertThat(found).extracting(EngineAddress::source).containsExactly(
                EngineAddress.Source.DOCKER_DESKTOP, EngineAddress.Source.ROOTLESS_DOCKER,
                EngineAddress.Source.PODMAN_USER, EngineAddress.Source.PODMAN_ROOT);
        assertThat(found).extracting(EngineAddress::podman).containsExactly(false, false, true, true);
        assertThat(found.get(2).host()).isEqualTo("unix://" + runtime.resolve("podman/podman.sock"));
        assertThat(found.get(3).host()).isEqualTo("unix://" + root.resolve("run/podman/podman.sock"));
    }

    @Test
    void theSameHostFoundTwiceIsListedOnceUnderItsFirstName() throws IOException {
        Path socket = touch(root.resolve("var/run/docker.sock"));
        env.put("DOCKER_HOST", "unix://" + socket + "/");

        List<EngineAddress> found = discover();

        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("DOCKER_HOST");
            assertThat(a.current()).isTrue();
        });
    }

    @Test
    void aContextPointingAtTheDefaultSocketKeepsTheContextNameAndIsCurrent() throws IOException {
        Path socket = touch(root.resolve("var/run/docker.sock"));
        Path config = home.resolve(".docker");
        writeContext(config, "mine", "unix://" + socket, false);
        Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"mine\"}");

        assertThat(discover()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("docker (context mine)");
            assertThat(a.current()).isTrue();
        });
    }

    @Test
    void windowsUsesTheNamedPipeAndNoUnixSockets() throws IOException {
        touch(root.resolve("var/run/docker.sock"));
        touch(root.resolve("run/podman/podman.sock"));

        List<EngineAddress> found = new EngineDiscovery(env, home, root, "Windows 11").discover();

        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.host()).isEqualTo("npipe:////./pipe/docker_engine");
            assertThat(a.source()).isEqualTo(EngineAddress.Source.NAMED_PIPE);
            assertThat(a.current()).isTrue();
            assertThat(a.tls()).isEqualTo(Optional.empty());
        });
    }
}
