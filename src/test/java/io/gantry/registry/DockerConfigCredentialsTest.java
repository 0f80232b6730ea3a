package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker CLI's lookup order, with a scripted process runner standing in for helpers. */
class DockerConfigCredentialsTest {

    @TempDir
    Path dir;

    /** Answers {@code docker-credential-<name> get} from a table; records what ran. */
    private static final class FakeHelpers implements ProcessRunner {
        final Map<String, String> answers;
        final List<String> calls = new ArrayList<>();

        FakeHelpers(Map<String, String> answers) {
            this.answers = answers;
        }

        @Override
        public Result run(List<String> command, String stdin, Duration timeout) throws IOException {
            calls.add(command.get(0) + " " + command.get(1) + " <" + stdin);
            String answer = answers.get(command.get(0) + " " + stdin);
            if (answer == null) {
                if (!answers.containsKey(command.get(0))) {
                    throw new IOException(command.get(0) + ": not found on PATH");
                }
                return new Result(1, "credentials not found in native keychain\n", "");
            }
            return new Result(0, answer, "");
        }
    }

    private DockerConfigCredentials credentials(String configJson, FakeHelpers helpers) throws IOException {
        Files.writeString(dir.resolve("config.json"), configJson);
        return new DockerConfigCredentials(dir, helpers, Duration.ofSeconds(5));
    }

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void configDirFollowsDockerConfig() {
        assertThat(DockerConfigCredentials.configDir(Map.of("DOCKER_CONFIG", "/x/y"), Path.of("/home/u")))
                .isEqualTo(Path.of("/x/y"));
        assertThat(DockerConfigCredentials.configDir(Map.of(), Path.of("/home/u"))).isEqualTo(Path.of("/home/u/.docker"));
    }

    @Test
    void readsBase64AuthAndIdentityTokens() throws IOException {
        DockerConfigCredentials store = credentials("""
                {"auths":{"registry.example.com":{"auth":"%s"},
                          "https://other.example.com/v2/":{"auth":"%s"},
                          "tokens.example.com":{"auth":"%s","identitytoken":"refresh-me"},
                          "https://index.docker.io/v1/":{"auth":"%s"}}}
                """.formatted(auth("alice", "pa:ss"), auth("bob", "pw"), auth("carol", ""), auth("hub", "hubpw")),
                new FakeHelpers(Map.of()));

        assertThat(store.credentialFor("registry.example.com")).contains(Credential.basic("alice", "pa:ss"));
        assertThat(store.credentialFor("other.example.com")).contains(Credential.basic("bob", "pw"));
        assertThat(store.credentialFor("tokens.example.com")).contains(Credential.identity("carol", "refresh-me"));
        assertThat(store.credentialFor("docker.io")).contains(Credential.basic("hub", "hubpw"));
        assertThat(store.credentialFor("unknown.example.com")).isEmpty();
    }

    @Test
    void credHelpersComeFirstThenCredsStoreThenAuths() throws IOException {
        FakeHelpers helpers = new FakeHelpers(Map.of(
                "docker-credential-special", "",
                "docker-credential-special ghcr.io", "{\"ServerURL\":\"ghcr.io\",\"Username\":\"gh\",\"Secret\":\"ghs\"}",
                "docker-credential-store", "",
                "docker-credential-store quay.io", "{\"ServerURL\":\"quay.io\",\"Username\":\"<token>\",\"Secret\":\"idt\"}",
                "docker-credential-store https://index.docker.io/v1/",
                "{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"hubber\",\"Secret\":\"x\"}"));
        DockerConfigCredentials store = credentials("""
                {"credHelpers":{"ghcr.io":"special"},"credsStore":"store",
                 "auths":{"ghcr.io":{"auth":"%s"},"plain.example.com":{"auth":"%s"}}}
                """.formatted(auth("file", "f"), auth("plain", "p")), helpers);

        assertThat(store.credentialFor("ghcr.io")).contains(Credential.basic("gh", "ghs"));
        assertThat(store.credentialFor("quay.io")).contains(Credential.identity("", "idt"));
        assertThat(store.credentialFor("docker.io")).contains(Credential.basic("hubber", "x"));
        assertThat(store.credentialFor("plain.example.com")).contains(Credential.basic("plain", "p"));
        assertThat(helpers.calls).contains("docker-credential-special get <ghcr.io",
                "docker-credential-store get <https://index.docker.io/v1/");
    }

    @Test
    void aMissingHelperMeansNoCredentialNotAFailure() throws IOException {
        DockerConfigCredentials store = credentials("{\"credsStore\":\"desktop\"}", new FakeHelpers(Map.of()));
        assertThat(store.credentialFor("registry.example.com")).isEmpty();
    }

    @Test
    void noConfigFileMeansAnonymous() {
        DockerConfigCredentials store = new DockerConfigCredentials(dir.resolve("absent"), new FakeHelpers(Map.of()),
                Duration.ofSeconds(1));
        assertThat(store.credentialFor("docker.io")).isEmpty();
    }

    @Test
    void secretsStayOutOfToString() {
        assertThat(Credential.basic("alice", "hunter2").toString()).contains("alice").doesNotContain("hunter2");
        assertThat(new ProcessRunner.Result(0, "{\"Secret\":\"hunter2\"}", "").toString()).doesNotContain("hunter2");
    }

    @Test
    void theSystemRunnerFindsHelpersOnTheGivenPath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = bin.resolve("docker-credential-echo");
        Files.writeString(helper, "#!/bin/sh\nread host\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"u\",\"Secret\":\"s-%s\"}' \"$host\" \"$host\"\n");
        helper.toFile().setExecutable(true);
        Files.writeString(dir.resolve("config.json"), "{\"credHelpers\":{\"example.com:5000\":\"echo\"}}");
        SystemProcessRunner runner = new SystemProcessRunner(Map.of("PATH", bin + ":/usr/bin:/bin"));

        DockerConfigCredentials store = new DockerConfigCredentials(dir, runner, Duration.ofSeconds(10));

        assertThat(store.credentialFor("example.com:5000")).contains(Credential.basic("u", "s-example.com:5000"));
    }

    @Test
    void aHangingHelperIsKilledAtTheTimeout() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = bin.resolve("docker-credential-slow");
        Files.writeString(helper, "#!/bin/sh\nsleep 30\n");
        helper.toFile().setExecutable(true);
        Files.writeString(dir.resolve("config.json"), "{\"credsStore\":\"slow\"}");
        SystemProcessRunner runner = new SystemProcessRunner(Map.of("PATH", bin + ":/usr/bin:/bin"));
        DockerConfigCredentials store = new DockerConfigCredentials(dir, runner, Duration.ofMillis(300));

        long started = System.nanoTime();
        assertThat(store.credentialFor("example.com")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void registriesComeFromAuthsCredHelpersAndWhatTheCredsStoreLists() throws IOException {
        FakeHelpers helpers = new FakeHelpers(Map.of("docker-credential-desktop",
                "", "docker-credential-desktop ", "{\"https://index.docker.io/v1/\":\"alice\",\"ghcr.io\":\"alice\"}"));
        DockerConfigCredentials store = credentials("{\"auths\":{\"https://registry.example.com/v2/\":{\"auth\":\""
                + auth("u", "p") + "\"},\"localhost:5000\":{}},\"credHelpers\":{\"123.dkr.ecr.aws\":\"ecr-login\"},"
                + "\"credsStore\":\"desktop\"}", helpers);

        assertThat(store.registries()).containsExactly("123.dkr.ecr.aws", "docker.io", "ghcr.io", "localhost:5000",
                "registry.example.com");
        assertThat(helpers.calls).containsExactly("docker-credential-desktop list <");
    }

    @Test
    void aCredsStoreThatCannotListLeavesTheConfigsOwnRegistries() throws IOException {
        DockerConfigCredentials store = credentials("{\"auths\":{\"docker.io\":{\"auth\":\"" + auth("u", "p")
                + "\"}},\"credsStore\":\"missing\"}", new FakeHelpers(Map.of()));

        assertThat(store.registries()).containsExactly("docker.io");
        assertThat(credentials("not json", new FakeHelpers(Map.of())).registries()).isEmpty();
    }
}
