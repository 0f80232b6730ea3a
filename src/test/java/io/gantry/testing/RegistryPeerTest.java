package io.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryPeerTest {

    @Test
    void answersAnonymouslyOnLoopback(RegistryPeer registry) throws IOException {
        assertThat(registry.hostPort()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(registry.baseUrl()).isEqualTo("http://" + registry.hostPort());
        try (Response response = get(registry, "/v2/", null)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
        }
    }

    @Test
    void theSharedRegistryIsStartedOnce(RegistryPeer first, RegistryPeer second) {
        assertThat(first).isSameAs(second);
        assertThat(first.isRunning()).isTrue();
    }

    @Test
    void htpasswdAuthenticationAcceptsOnlyTheRightPassword(RegistryPeers registries) throws IOException {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("alice", "s3cret"));

        try (Response response = get(secured, "/v2/", null)) {
            assertThat(response.code()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=");
        }
        try (Response response = get(secured, "/v2/", new Credentials("alice", "s3cret").basicAuthorization())) {
            assertThat(response.code()).isEqualTo(200);
        }
        try (Response response = get(secured, "/v2/", new Credentials("alice", "wrong").basicAuthorization())) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(secured.credentials()).contains(new Credentials("alice", "s3cret"));
    }

    @Test
    void stopsAndRemovesItsStorageButKeepsItsLog() throws IOException {
        RegistryPeer registry = RegistryPeer.start();
        registry.close();

        assertThat(registry.isRunning()).isFalse();
        assertThat(registry.storageDir()).doesNotExist();
        assertThat(registry.logFile()).exists();
        assertThat(registry.logTail(100)).contains("listening on " + registry.hostPort());
        assertThat(LogTail.framed(registry, 5)).startsWith("----- last 5 lines of registry " + registry.hostPort());
    }

    @Test
    void theConfigFileCarriesAuthTlsAndExtraSettings() {
        RegistryConfig config = RegistryConfig.anonymous()
                .htpasswd("bob", "pw")
                .tls(java.nio.file.Path.of("/certs/registry.pem"), java.nio.file.Path.of("/certs/registry.key"))
                .set("log.level", "debug")
                .set("http.headers.X-Test", java.util.List.of("yes"));

        String rendered = config.render(5000, java.nio.file.Path.of("/data"), java.nio.file.Path.of("/htpasswd"), "x");

        assertThat(rendered).contains("\"addr\" : \"127.0.0.1:5000\"", "\"rootdirectory\" : \"/data\"",
                "\"path\" : \"/htpasswd\"", "\"certificate\" : \"/certs/registry.pem\"", "\"level\" : \"debug\"",
                "\"X-Test\" : [ \"yes\" ]");
        assertThat(config.toString()).doesNotContain("pw");
        assertThat(Htpasswd.matches(Htpasswd.line(new Credentials("bob", "pw")), "pw")).isTrue();
    }

    private static Response get(RegistryPeer registry, String path, String authorization) throws IOException {
        Request.Builder request = new Request.Builder().url(registry.baseUrl() + path);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return registry.http().newCall(request.build()).execute();
    }
}
