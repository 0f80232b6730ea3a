package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.RegistryLogin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pull secret's encoding, checked against what the Kubernetes documentation ("Pull an Image
 * from a Private Registry") shows {@code kubectl create secret docker-registry} writes: one
 * {@code .dockerconfigjson} key whose base64 value is {@code {"auths":{SERVER:{username, password,
 * auth}}}} with {@code auth} = base64(user:password); and its redaction.
 */
class PullSecretTest {

    private static final String PASSWORD = "pa\"ss\\word:with-colon";
    private static final RegistryLogin PRIVATE = new RegistryLogin("registry.example.com:5000", "alice", PASSWORD,
            Optional.empty());
    private static final RegistryLogin HUB = new RegistryLogin("https://index.docker.io/v1/", "bob", "hub-token-123",
            Optional.empty());

    private static JsonNode decode(PullSecret secret) throws Exception {
        byte[] json = Base64.getDecoder().decode(secret.encodedData());
        return new ObjectMapper().readTree(json);
    }

    @Test
    void encodesEachLoginAsKubectlDoes() throws Exception {
        PullSecret secret = new PullSecret("shop", "pull-example", List.of(PRIVATE, HUB));

        JsonNode auths = decode(secret).get("auths");
        assertThat(auths.size()).isEqualTo(2);
        JsonNode mine = auths.get("registry.example.com:5000");
        assertThat(mine.get("username").asText()).isEqualTo("alice");
        assertThat(mine.get("password").asText()).isEqualTo(PASSWORD);
        assertThat(new String(Base64.getDecoder().decode(mine.get("auth").asText()), StandardCharsets.UTF_8))
                .isEqualTo("alice:" + PASSWORD);
        JsonNode hub = auths.get("https://index.docker.io/v1/");
        assertThat(new String(Base64.getDecoder().decode(hub.get("auth").asText()), StandardCharsets.UTF_8))
                .isEqualTo("bob:hub-token-123");
    }

    @Test
    void thePreviewAndToStringShowRegistriesAndUsersButNoCredential() {
        PullSecret secret = new PullSecret("shop", "pull-example", List.of(PRIVATE, HUB));
        String authOfAlice = Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

        String yaml = secret.redactedYaml();
        assertThat(yaml).contains("kind: Secret", "name: pull-example", "namespace: shop",
                "type: kubernetes.io/dockerconfigjson", ".dockerconfigjson: <redacted>",
                "registry.example.com:5000 as user alice", "https://index.docker.io/v1/ as user bob",
                "app.kubernetes.io/managed-by: gantry");
        for (String shown : List.of(yaml, secret.toString())) {
            assertThat(shown).doesNotContain(PASSWORD, "pa\\\"ss", "hub-token-123", authOfAlice, secret.encodedData());
        }
    }

    @Test
    void refusesWhatKubernetesOrTheKubeletWouldNotTake() {
        assertThatThrownBy(() -> new PullSecret("shop", "Pull_Secret", List.of(PRIVATE)))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("Pull_Secret");
                });
        assertThatThrownBy(() -> new PullSecret("Shop.ns", "pull", List.of(PRIVATE)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> new PullSecret("shop", "pull", List.of()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        RegistryLogin token = new RegistryLogin("ghcr.io", "", "", Optional.of("refresh-token-xyz"));
        assertThatThrownBy(() -> new PullSecret("shop", "pull", List.of(token)))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("identity token").doesNotContain("refresh-token-xyz");
                });
    }

    @Test
    void defaultNamesAreValidSecretNames() {
        assertThat(PullSecret.defaultName("registry.example.com:5000")).isEqualTo("pull-registry.example.com-5000");
        assertThat(PullSecret.defaultName("docker.io")).isEqualTo("pull-docker.io");
        assertThat(PullSecret.defaultName("[::1]:5000")).isEqualTo("pull-1-5000");
        for (String registry : List.of("registry.example.com:5000", "docker.io", "[::1]:5000", "LOCALHOST:5000")) {
            new PullSecret("shop", PullSecret.defaultName(registry), List.of(PRIVATE)); // accepted, or this throws
        }
    }
}
