package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.PullSecret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying a pull secret and attaching it to a service account, against fabric8's mock API server
 * in CRUD mode (no kube-apiserver can run on these machines; the mock stores, replaces and patches
 * objects but does no validation, so a missing namespace is an expectation answering 404 as the
 * API server does). What was written is read back through a fabric8 client of the mock, and the
 * logins through the port.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class Fabric8PullSecretTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private Cluster connect() throws IOException {
        return KubeconfigFilesTest.connectToMock(server, dir);
    }

    private static PullSecret secret(String password) {
        return new PullSecret("shop", "pull-example", List.of(new RegistryLogin("registry.example.com", "alice",
                password, Optional.empty())));
    }

    @Test
    void applyCreatesTheSecretThenReplacesItKeepingForeignLabels() throws IOException {
        try (Cluster cluster = connect()) {
            assertThat(cluster.applyPullSecret(secret("first"))).isEqualTo(Cluster.Applied.CREATED);
            Secret created = client.secrets().inNamespace("shop").withName("pull-example").get();
            assertThat(created.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
            assertThat(created.getData()).containsOnlyKeys(".dockerconfigjson")
                    .containsEntry(".dockerconfigjson", secret("first").encodedData());
            assertThat(created.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "gantry");

            client.secrets().inNamespace("shop").withName("pull-example")
                    .edit(s -> new SecretBuilder(s).editMetadata().addToLabels("team", "web").endMetadata().build());
            assertThat(cluster.applyPullSecret(secret("second"))).isEqualTo(Cluster.Applied.REPLACED);
            Secret replaced = client.secrets().inNamespace("shop").withName("pull-example").get();
            assertThat(replaced.getData()).containsEntry(".dockerconfigjson", secret("second").encodedData());
            assertThat(replaced.getMetadata().getLabels()).containsEntry("team", "web");
        }
    }

    @Test
    void theLoginsOfAnAppliedSecretReadBackForARegistryCheck() throws IOException {
        try (Cluster cluster = connect()) {
            cluster.applyPullSecret(secret("first"));
            assertThat(cluster.pullSecretLogins("shop", "pull-example")).contains(secret("first").logins());
            assertThat(cluster.pullSecretLogins("shop", "gone")).isEmpty();
        }
    }

    @Test
    void aSecretOfAnotherTypeIsLeftAlone() throws IOException {
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("pull-example")
                .withNamespace("shop").endMetadata().withType("Opaque").addToData("keep", "a2VlcA==").build()).create();
        try (Cluster cluster = connect()) {
            assertThatThrownBy(() -> cluster.applyPullSecret(secret("first")))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                        assertThat(e.getMessage()).contains("Opaque");
                        assertThat(e.action()).get().asString().contains("--name");
                    });
        }
        assertThat(client.secrets().inNamespace("shop").withName("pull-example").get().getData())
                .containsOnlyKeys("keep");
    }

    @Test
    void aMissingNamespaceIsNamed() throws IOException {
        server.expect().post().withPath("/api/v1/namespaces/gone/secrets").andReturn(404, new StatusBuilder()
                .withCode(404).withReason("NotFound").withMessage("namespaces \"gone\" not found").build()).always();
        PullSecret elsewhere = new PullSecret("gone", "pull-example", secret("x").logins());
        try (Cluster cluster = connect()) {
            assertThatThrownBy(() -> cluster.applyPullSecret(elsewhere))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.getMessage()).contains("no namespace gone");
                    });
        }
    }

    @Test
    void attachAddsTheSecretToTheServiceAccountOnce() throws IOException {
        client.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").withNamespace("shop").endMetadata().addNewImagePullSecret("older").build()).create();
        try (Cluster cluster = connect()) {
            assertThat(cluster.attachPullSecret("shop", "default", "pull-example")).isTrue();
            assertThat(cluster.attachPullSecret("shop", "default", "pull-example")).isFalse();
            assertThatThrownBy(() -> cluster.attachPullSecret("shop", "builder", "pull-example"))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.getMessage()).contains("no service account builder");
                    });
        }
        assertThat(client.serviceAccounts().inNamespace("shop").withName("default").get().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("older", "pull-example");
    }
}
