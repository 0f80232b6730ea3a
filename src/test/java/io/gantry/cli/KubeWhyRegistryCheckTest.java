package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.cli.KubeCli.Run;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.cluster.PullSecret;
import io.gantry.registry.RegistryClient;
import io.gantry.service.PodRegistryCheck;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry kube why} asking the registry itself with the logins the pod would use: the
 * harness registry with htpasswd holds the image; the cluster is fabric8's mock API server in CRUD
 * mode (no kube-apiserver can run on these machines), holding pods stuck in {@code ErrImagePull},
 * their pull secrets (encoded as {@code gantry kube pull-secret} encodes them), a service account
 * and the kubelet's {@code Failed} events as the kubelet writes them.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class KubeWhyRegistryCheckTest {

    private static final String USER = "dora";
    private static final String PASSWORD = "why-pw-5521";
    private static final String WRONG = "not-the-password-77";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private final FixtureImages images = new FixtureImages();

    private void secret(String name, RegistryPeer registry, String password) {
        PullSecret secret = new PullSecret("shop", name, List.of(new RegistryLogin(registry.hostPort(), USER, password,
                Optional.empty())));
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace("shop").endMetadata().withType(PullSecret.TYPE)
                .addToData(PullSecret.DATA_KEY, secret.encodedData()).build()).create();
    }

    /** A pod whose one container waits in ErrImagePull, with the kubelet's event about it. */
    private void failingPod(String name, String image, String serviceAccount, String... pullSecrets) {
        var spec = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withNodeName("worker-1");
        for (String secret : pullSecrets) {
            spec = spec.addNewImagePullSecret(secret);
        }
        client.pods().inNamespace("shop").resource(spec.addNewContainer().withName("app").withImage(image).endContainer()
                .endSpec().withNewStatus().addNewContainerStatus().withName("app").withNewState().withNewWaiting()
                .withReason("ErrImagePull").withMessage("failed to pull").endWaiting().endState().endContainerStatus()
                .endStatus().build()).create();
        client.v1().events().inNamespace("shop").resource(new EventBuilder().withNewMetadata().withName(name + ".1")
                .withNamespace("shop").endMetadata().withNewInvolvedObject().withKind("Pod").withName(name)
                .withNamespace("shop").endInvolvedObject().withReason("Failed").withLastTimestamp("2026-12-06T20:00:00Z")
                .withMessage("Failed to pull image \"" + image + "\": rpc error: code = Unknown desc = failed to "
                        + "resolve reference \"" + image + "\": pulling from host failed: 401 Unauthorized").build())
                .create();
    }

    @Test
    void theRegistryIsAskedWithEachPodsOwnLoginsAndNamesTheSecretAtFault(RegistryPeers registries) {
        RegistryPeer registry = registries.start(RegistryConfig.anonymous().htpasswd(USER, PASSWORD));
        String repository = FixtureImages.unique("kube-why");
        registry.pusher().push(images.image(repository).layer(l -> l.file("app", "why " + repository)).tag("1"));
        String image = registry.hostPort() + "/" + repository + ":1";
        secret("good", registry, PASSWORD);
        secret("bad", registry, WRONG);
        client.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("builder").withNamespace("shop").endMetadata().addNewImagePullSecret("good").build()).create();
        failingPod("right-login", image, "default", "good");
        failingPod("wrong-login", image, "default", "bad");
        failingPod("no-login", image, "default");
        failingPod("missing-secret", image, "default", "gone");
        failingPod("no-such-tag", registry.hostPort() + "/" + repository + ":2", "builder");
        KubeCli cli = new KubeCli(dir, server, EngineCredentials.anonymous(), Optional.of(new PodRegistryCheck(
                credentials -> RegistryClient.builder().credentials(credentials).build())));

        Run right = cli.run("kube", "why", "right-login");
        assertThat(right.code()).as(right.err()).isZero();
        assertThat(right.out()).contains("login refused or missing")
                .contains("Gantry asked the registry: Gantry gets " + image + " with the login of secret good (user dora)")
                .contains("look at the node");

        Run wrong = cli.run("kube", "why", "wrong-login", "--format", "json");
        assertThat(wrong.code()).as(wrong.err()).isZero();
        assertThat(wrong.out()).contains("\"outcome\" : \"LOGIN_REFUSED\"", "\"secret\" : \"bad\"", "\"user\" : \"dora\"");

        Run none = cli.run("kube", "why", "no-login");
        assertThat(none.out()).contains("no pull secret of the pod holds a login for " + registry.hostPort()
                + ", and it refuses anonymous pulls");

        Run missing = cli.run("kube", "why", "missing-secret");
        assertThat(missing.out()).contains("refuses anonymous pulls").contains("Not used (missing, or not readable "
                + "with your permissions): secret gone");

        Run noTag = cli.run("kube", "why", "no-such-tag");
        assertThat(noTag.code()).as(noTag.err()).isZero();
        assertThat(noTag.out()).contains(registry.hostPort() + " has no " + registry.hostPort() + "/" + repository
                + ":2 (asked with the login of secret good (user dora))");

        for (Run run : List.of(right, wrong, none, missing, noTag)) {
            assertThat(run.out() + run.err()).doesNotContain(PASSWORD).doesNotContain(WRONG).doesNotContain("Exception");
        }
    }
}
