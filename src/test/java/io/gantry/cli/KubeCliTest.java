package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.cli.KubeCli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry kube} (alias {@code k8s}) against fabric8's mock API server in CRUD mode (no
 * kube-apiserver can run on these machines; the mock stores the nodes and pods created here and
 * does no defaulting, which is what {@code policy} shows: a left-out policy is defaulted by Gantry's
 * own rules). The kubeconfig is a file in a temp dir pointing at the mock.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeCliTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    /** The user's registry logins as the CLI gets them (a login's password is what must never be shown). */
    private static final String REGISTRY_PASSWORD = "hunter2-registry-password";
    private static final io.gantry.engine.EngineCredentials LOGINS = host -> host.equals("registry.example.com")
            ? Optional.of(new io.gantry.engine.RegistryLogin(host, "alice", REGISTRY_PASSWORD, Optional.empty()))
            : Optional.empty();

    private KubeCli cli;

    @BeforeEach
    void writeKubeconfig() {
        cli = new KubeCli(dir, server, LOGINS, Optional.empty());
    }

    private Run gantry(Map<String, String> env, String... args) {
        return cli.run(env, args);
    }

    private Run gantry(String... args) {
        return cli.run(args);
    }

    private void createWorld() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewImage().withNames("docker.io/library/nginx@" + DIGEST, "docker.io/library/nginx:1.27")
                .withSizeBytes(72_000_000L).endImage()
                .withNewNodeInfo().withKubeletVersion("v1.33.1").withContainerRuntimeVersion("containerd://1.7.27")
                .endNodeInfo().endStatus().build()).create();
        NodeBuilder full = new NodeBuilder().withNewMetadata().withName("worker-2").endMetadata();
        var status = full.withNewStatus().addNewCondition().withType("DiskPressure").withStatus("True").endCondition();
        for (int i = 0; i < 50; i++) {
            status = status.addNewImage().withNames("registry.example.com/big" + i + ":1").withSizeBytes(1_000_000L)
                    .endImage();
        }
        client.nodes().resource(status.endStatus().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1")
                .addNewContainer().withName("nginx").withImage("nginx:1.27").endContainer()
                .addNewContainer().withName("sidecar").withImage("busybox:1.36").withImagePullPolicy("Never").endContainer()
                .endSpec().build()).create();
        client.pods().inNamespace("batch").resource(new PodBuilder().withNewMetadata().withName("report")
                .withNamespace("batch").endMetadata().withNewSpec().withNodeName("worker-2")
                .addNewContainer().withName("main").withImage("nginx@" + DIGEST).endContainer()
                .endSpec().build()).create();
    }

    @Test
    void contextsListTheCurrentOneFirstAsTableAndJson() {
        Run table = gantry("kube", "contexts");
        assertThat(table.code()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).startsWith("CURRENT").contains("NAME").contains("SERVER");
        assertThat(lines.get(1)).startsWith("*").contains("mock").contains("shop");
        assertThat(lines.get(2)).contains("gone").doesNotStartWith("*");
        assertThat(table.out()).doesNotContain("s3cret");

        Run json = gantry("k8s", "contexts", "--format", "json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"name\" : \"mock\"").contains("\"current\" : true");
    }

    @Test
    void nodesShowTheirImagesAndTheKubeletsCap() {
        createWorld();
        Run run = gantry("kube", "nodes");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("worker-1").contains("worker-2").contains("50+")
                .contains("reports only the 50 largest images");
        String worker2 = run.out().lines().filter(l -> l.startsWith("worker-2")).findFirst().orElseThrow();
        assertThat(worker2).contains("YES");
        Run images = gantry("kube", "nodes", "--images");
        assertThat(images.out()).contains("docker.io/library/nginx:1.27");
        assertThat(worker2).contains("85%/80% (default)");
        assertThat(run.out()).contains("--kubelet-config reads each node's own");
    }

    @Test
    void nodesReadEachKubeletsImageGcThresholdsWhenAsked() {
        createWorld();
        // the mock runs no kubelet: worker-1's configz answer is an expectation; worker-2's kubelet says nothing
        server.expect().get().withPath("/api/v1/nodes/worker-1/proxy/configz").andReturn(200,
                "{\"kubeletconfig\":{\"imageGCHighThresholdPercent\":90,\"imageGCLowThresholdPercent\":70}}").always();
        Run run = gantry("kube", "nodes", "--kubelet-config");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("worker-1")).findFirst().orElseThrow()).contains("90%/70%")
                .doesNotContain("(default)");
        assertThat(run.out().lines().filter(l -> l.startsWith("worker-2")).findFirst().orElseThrow())
                .contains("85%/80% (default)");
        Run json = gantry("kube", "nodes", "--kubelet-config", "--format", "json");
        assertThat(json.out()).contains("\"highPercent\" : 90", "\"source\" : \"kubelet\"", "\"source\" : \"default\"");
    }

    @Test
    void nodesSayWhenReadingTheKubeletConfigIsForbidden() {
        createWorld();
        server.expect().get().withPath("/api/v1/nodes/worker-1/proxy/configz").andReturn(403, new StatusBuilder()
                .withCode(403).withReason("Forbidden").withMessage("nodes \"worker-1\" is forbidden: User \"dev\" cannot "
                        + "get resource \"nodes/proxy\"").build()).always();
        Run run = gantry("kube", "nodes", "--kubelet-config");
        assertThat(run.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(run.err()).contains("user dev may not do this").contains("nodes/proxy").doesNotContain("Exception");
    }

    @Test
    void whereFindsTheNodesAndThePodsWithTheirPolicy() {
        createWorld();
        Run run = gantry("kube", "where", "nginx:1.27");
        assertThat(run.code()).as(run.err()).isZero();
        String out = run.out();
        assertThat(out).startsWith("Image: nginx:1.27");
        assertThat(out.lines().filter(l -> l.startsWith("worker-1")).findFirst().orElseThrow()).contains("yes");
        assertThat(out.lines().filter(l -> l.startsWith("worker-2")).findFirst().orElseThrow()).contains("not known");
        String web = out.lines().filter(l -> l.startsWith("shop")).findFirst().orElseThrow();
        assertThat(web).contains("web").contains("IfNotPresent (default)").contains("use the node's copy");
        // the batch pod names the image by the digest worker-1 lists for nginx:1.27
        String report = out.lines().filter(l -> l.startsWith("batch")).findFirst().orElseThrow();
        assertThat(report).contains("report").contains("pull unless the node has it");

        Run oneNamespace = gantry("kube", "where", "nginx:1.27", "-n", "batch");
        assertThat(oneNamespace.code()).as(oneNamespace.err()).isZero();
        assertThat(oneNamespace.out()).contains("report").doesNotContain("shop ");

        Run nobody = gantry("kube", "where", "alpine:3.20");
        assertThat(nobody.out()).contains("No pod uses it.");

        Run bad = gantry("kube", "where", "Not:Valid");
        assertThat(bad.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(bad.err()).startsWith("gantry: ");
    }

    @Test
    void policyOfAPodInTheClusterDefaultsWhatTheMockLeftEmpty() {
        createWorld();
        Run run = gantry("kube", "policy", "web");
        assertThat(run.code()).as(run.err()).isZero();
        String nginx = run.out().lines().filter(l -> l.contains("nginx:1.27")).findFirst().orElseThrow();
        assertThat(nginx).contains("worker-1").contains("IfNotPresent (default)").contains("use the node's copy")
                .contains("the default for the tag 1.27");
        String sidecar = run.out().lines().filter(l -> l.contains("busybox:1.36")).findFirst().orElseThrow();
        assertThat(sidecar).contains("Never").contains("ErrImageNeverPull");

        Run json = gantry("kube", "policy", "report", "-n", "batch", "--format", "json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"presence\" : \"NOT_LISTED\"").contains("\"action\" : \"PULL_IF_MISSING\"");

        Run missing = gantry("kube", "policy", "nope");
        assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(missing.err()).contains("no pod nope in namespace shop");
    }

    @Test
    void policyOfAManifestNeedsNoClusterUnlessANodeIsNamed() throws IOException {
        Path manifest = Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec:
                  containers:
                  - {name: shell, image: busybox}
                  - {name: pinned, image: "nginx@%s"}
                """.formatted(DIGEST));
        Run offline = gantry(Map.of(), "kube", "policy", "-f", manifest.toString());
        assertThat(offline.code()).as(offline.err()).isZero();
        String shell = offline.out().lines().filter(l -> l.contains("shell")).findFirst().orElseThrow();
        assertThat(shell).contains("Always (default)").contains("pull")
                .contains("the default for an image without a tag, which means latest");
        String pinned = offline.out().lines().filter(l -> l.contains("pinned")).findFirst().orElseThrow();
        assertThat(pinned).contains("IfNotPresent (default)").contains("an image by digest");

        createWorld();
        Run onNode = gantry("kube", "policy", "-f", manifest.toString(), "--node", "worker-1");
        assertThat(onNode.code()).as(onNode.err()).isZero();
        assertThat(onNode.out().lines().filter(l -> l.contains("pinned")).findFirst().orElseThrow())
                .contains("use the node's copy");
        Run noNode = gantry("kube", "policy", "-f", manifest.toString(), "--node", "worker-9");
        assertThat(noNode.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);

        Run both = gantry("kube", "policy", "web", "-f", manifest.toString());
        assertThat(both.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(both.err()).contains("either a POD or -f FILE");
    }

    @Test
    void whyExplainsAnImagePullBackOffFromThePodsEvents() {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("private")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1")
                .addNewContainer().withName("app").withImage("registry.example.com/team/app:1").endContainer()
                .addNewContainer().withName("fine").withImage("nginx:1.27").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("app").withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"registry.example.com/team/app:1\"")
                .endWaiting().endState().endContainerStatus().endStatus().build()).create();
        client.v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName("private.1").withNamespace("shop").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("private").withNamespace("shop").endInvolvedObject()
                .withReason("Failed").withLastTimestamp("2026-12-06T20:00:00Z").withMessage("Failed to pull image "
                        + "\"registry.example.com/team/app:1\": failed to authorize: failed to fetch anonymous token: "
                        + "unexpected status: 401 Unauthorized\u001b[31m").build()).create();
        client.v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName("other.1").withNamespace("shop").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("other").withNamespace("shop").endInvolvedObject()
                .withReason("Failed").withLastTimestamp("2026-12-06T20:01:00Z").withMessage("Failed to pull image "
                        + "\"registry.example.com/team/app:1\": not found").build()).create();

        Run run = gantry("kube", "why", "private", "--no-registry-check"); // KubeWhyRegistryCheckTest asks a registry
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("app: registry.example.com/team/app:1 — ImagePullBackOff: login refused or missing")
                .contains("names no imagePullSecrets").contains("The kubelet said: Failed to pull image")
                .contains("401 Unauthorized").doesNotContain("\u001b").doesNotContain("fine");

        createWorld();
        Run healthy = gantry("kube", "why", "web");
        assertThat(healthy.code()).as(healthy.err()).isZero();
        assertThat(healthy.out()).contains("No image of pod shop/web is failing to pull.");
    }

    @Test
    void secretsFlagReferencesToMissingOrWrongSecretsAndShowNoSecretData() {
        createWorld();
        client.secrets().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("regcred").withNamespace("shop").endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", java.util.Base64.getEncoder().encodeToString(
                        "{\"auths\":{\"r.example.com\":{\"auth\":\"dXNlcjpodW50ZXIy\"}}}".getBytes()))
                .build()).create();
        client.secrets().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("tls").withNamespace("shop").endMetadata().withType("kubernetes.io/tls")
                .build()).create();
        client.serviceAccounts().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("builder").withNamespace("shop").endMetadata()
                .addNewImagePullSecret("tls").build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("private")
                .withNamespace("shop").endMetadata().withNewSpec().addNewImagePullSecret("regcred")
                .addNewImagePullSecret("gone").addNewContainer().withName("app").withImage("r.example.com/app:1")
                .endContainer().endSpec().build()).create();

        Run run = gantry("kube", "secrets", "-n", "shop");
        assertThat(run.code()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("NAMESPACE").contains("REFERENCED BY").contains("SECRET").contains("STATE");
        assertThat(lines.get(1)).contains("pod/private").contains("gone").contains("missing");
        assertThat(lines.get(2)).contains("serviceaccount/builder").contains("tls").contains("not a pull secret");
        assertThat(lines.get(3)).contains("pod/private").contains("regcred").contains("ok");
        assertThat(run.out()).doesNotContain("dXNlcjpodW50ZXIy").doesNotContain("auths");

        Run none = gantry("kube", "secrets", "-n", "batch");
        assertThat(none.out()).contains("No pod or service account in namespace batch references an image pull secret.");
    }

    @Test
    void errorsSayWhatHappenedAndWhatToDoInOneLineEach() {
        Run none = gantry(Map.of(), "kube", "nodes");
        assertThat(none.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(none.err()).startsWith("gantry: ").contains("no kubeconfig context found").contains("KUBECONFIG");

        Run unknown = gantry("kube", "nodes", "--context", "staging");
        assertThat(unknown.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(unknown.err()).contains("no context named staging").contains("mock, gone");

        server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("nodes is forbidden: User \"dev\" cannot list resource \"nodes\"")
                .build()).always();
        Run forbidden = gantry("kube", "nodes");
        assertThat(forbidden.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(forbidden.err()).contains("user dev may not do this on context mock").contains("kubectl auth can-i");

        for (Run run : List.of(none, unknown, forbidden)) {
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("io.fabric8").doesNotContain("\tat ")
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void pullSecretPreviewsRedactedYamlAndChangesNothing() {
        Run preview = gantry("kube", "pull-secret", "--registry", "https://registry.example.com/v2/", "-n", "shop",
                "--service-account", "default");
        assertThat(preview.code()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("kind: Secret", "name: pull-registry.example.com", "namespace: shop",
                "type: kubernetes.io/dockerconfigjson", ".dockerconfigjson: <redacted>", "registry.example.com as user alice");
        assertThat(preview.err()).contains("Nothing was changed").contains("--apply")
                .contains("service account default");
        assertThat(client.secrets().inAnyNamespace().list().getItems()).isEmpty();

        Run fromContext = gantry("k8s", "pull-secret", "--registry", "registry.example.com", "--name", "regcred",
                "--format", "json"); // no -n: the context's namespace
        assertThat(fromContext.code()).as(fromContext.err()).isZero();
        assertThat(fromContext.out()).contains("\"namespace\" : \"shop\"", "\"name\" : \"regcred\"",
                "\"applied\" : \"NO\"", "\"username\" : \"alice\"");
        for (Run run : List.of(preview, fromContext)) {
            assertThat(run.out() + run.err()).doesNotContain(REGISTRY_PASSWORD)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(("alice:" + REGISTRY_PASSWORD).getBytes()));
        }
    }

    @Test
    void pullSecretApplyCreatesItAndAddsItToTheServiceAccount() {
        client.serviceAccounts().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("default").withNamespace("shop").endMetadata().build()).create();

        Run apply = gantry("kube", "pull-secret", "--registry", "registry.example.com", "-n", "shop", "--apply",
                "--service-account", "default");
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.err()).contains("Created secret shop/pull-registry.example.com on context mock")
                .contains("Added it to the imagePullSecrets of service account default");
        var secret = client.secrets().inNamespace("shop").withName("pull-registry.example.com").get();
        String json = new String(java.util.Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"registry.example.com\"").contains(REGISTRY_PASSWORD);
        assertThat(client.serviceAccounts().inNamespace("shop").withName("default").get().getImagePullSecrets())
                .extracting(r -> r.getName()).containsExactly("pull-registry.example.com");

        Run again = gantry("kube", "pull-secret", "--registry", "registry.example.com", "-n", "shop", "--apply",
                "--service-account", "default");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("Replaced secret").contains("already names it");
        for (Run run : List.of(apply, again)) {
            assertThat(run.out() + run.err()).doesNotContain(REGISTRY_PASSWORD);
        }
    }

    @Test
    void pullSecretErrorsSayWhatToDo() {
        Run noLogin = gantry("kube", "pull-secret", "--registry", "ghcr.io", "-n", "shop");
        assertThat(noLogin.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(noLogin.err()).contains("no login for ghcr.io").contains("docker login ghcr.io");

        Run badName = gantry("kube", "pull-secret", "--registry", "registry.example.com", "-n", "shop", "--name", "My_Secret");
        assertThat(badName.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(badName.err()).contains("My_Secret");

        Run noSuchAccount = gantry("kube", "pull-secret", "--registry", "registry.example.com", "-n", "shop", "--apply",
                "--service-account", "builder");
        assertThat(noSuchAccount.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(noSuchAccount.err()).contains("no service account builder in namespace shop");

        Run unreachable = gantry("kube", "pull-secret", "--registry", "registry.example.com", "--context", "gone",
                "--apply");
        assertThat(unreachable.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(unreachable.err()).contains("refused the connection");

        Run noKubeconfig = gantry(Map.of(), "kube", "pull-secret", "--registry", "registry.example.com", "--apply");
        assertThat(noKubeconfig.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        for (Run run : List.of(noLogin, badName, noSuchAccount, unreachable, noKubeconfig)) {
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(REGISTRY_PASSWORD);
        }
    }

    private void node(String name, String pool) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("pool", pool).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                .create();
    }

    /** A pod of pre-puller {@code daemonSet} on {@code node}, its init container as the kubelet would report it. */
    private void prePullPod(String daemonSet, String pod, String node,
                            java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.ContainerStatusBuilder> init) {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("shop")
                .addToLabels(io.gantry.engine.cluster.PrePuller.LABEL, daemonSet).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus()
                .withInitContainerStatuses(init.apply(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                        .withName(io.gantry.engine.cluster.PrePuller.INIT_CONTAINER)).build()).endStatus().build()).create();
    }

    /**
     * {@code prepull --wait} follows the nodes the selector picks until each holds the image. The mock
     * runs no kubelet: while the command waits, one node's status is updated to list the image and the
     * other's pre-puller pod is written as pulled. No intermediate line is assumed: only the end.
     */
    @Test
    void prepullWaitFollowsTheSelectedNodesUntilEachHoldsTheImage() throws Exception {
        String image = "registry.example.com/shop/web:2.0";
        String name = io.gantry.engine.cluster.PrePuller.defaultName(image);
        node("web-1", "web");
        node("web-2", "web");
        node("gpu-1", "gpu");
        java.util.concurrent.CompletableFuture<Run> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                gantry("kube", "prepull", image, "--apply", "--wait", "--nodes", "pool=web", "--timeout", "120s"));

        client.nodes().withName("web-1").editStatus(n -> new NodeBuilder(n).editStatus().addNewImage()
                .withNames("registry.example.com/shop/web@" + DIGEST, image).withSizeBytes(30_000_000L).endImage()
                .endStatus().build());
        prePullPod(name, name + "-p2", "web-2", init -> init.withImageID("registry.example.com/shop/web@" + DIGEST));

        Run run = waiting.get(100, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("web-1: has the image (listed in the node's status)",
                "web-2: has the image (pulled by pod " + name + "-p2)").doesNotContain("gpu-1");
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Done: 2 of 2 node(s) have " + image + ".");
        assertThat(client.apps().daemonSets().inNamespace("shop").withName(name).get()).isNotNull();
    }

    @Test
    void prepullWaitEndsWithExitCodeOneWhenAPullFailsOrTheTimeoutPasses() {
        String image = "registry.example.com/shop/api:3.1";
        String name = io.gantry.engine.cluster.PrePuller.defaultName(image);
        node("web-1", "web");
        node("web-2", "web");

        Run timedOut = gantry("kube", "prepull", image, "--apply", "--wait", "--timeout", "3s");
        assertThat(timedOut.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(timedOut.out()).contains("web-1: not yet (no pre-puller pod on it yet)");
        assertThat(timedOut.err()).contains("Gave up after 3s: 0 of 2 node(s) have " + image);

        prePullPod(name, name + "-f1", "web-2", init -> init.withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image").endWaiting().endState());
        Run failed = gantry("kube", "prepull", image, "--wait", "--timeout", "60s");
        assertThat(failed.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(failed.out()).contains("web-2: the pull fails (ImagePullBackOff: Back-off pulling image)");
        assertThat(failed.err()).contains("The pull fails on web-2; 0 of 2 node(s) have " + image)
                .contains("gantry kube why " + name + "-f1 -n shop");

        Run badTimeout = gantry("kube", "prepull", image, "--wait", "--timeout", "soon");
        assertThat(badTimeout.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(badTimeout.err()).contains("'soon' is no duration");
        Run waitAndDelete = gantry("kube", "prepull", image, "--wait", "--delete");
        assertThat(waitAndDelete.code()).isEqualTo(GantryCli.EXIT_USAGE);
        for (Run run : List.of(timedOut, failed, badTimeout, waitAndDelete)) {
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void prepullPreviewsAppliesFollowsAndDeletesItsDaemonSet() {
        createWorld();
        String image = "nginx:1.27";
        String name = io.gantry.engine.cluster.PrePuller.defaultName(image);
        Run preview = gantry("kube", "prepull", image, "-n", "tools", "--nodes", "kubernetes.io/os=linux");
        assertThat(preview.code()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("kind: DaemonSet", "name: " + name, "namespace: tools", "image: \"nginx:1.27\"",
                "kubernetes.io/os: \"linux\"");
        assertThat(preview.err()).contains("Nothing was changed");
        assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).isEmpty();

        Run apply = gantry("k8s", "prepull", image, "--apply"); // the context's namespace, shop
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.err()).contains("Created pre-puller shop/" + name).contains("--status");
        assertThat(client.apps().daemonSets().inNamespace("shop").withName(name).get()).isNotNull();

        // the mock runs no controller: the pod on worker-1 is written as the kubelet would, pulled
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(name + "-x1")
                .withNamespace("shop").addToLabels(io.gantry.engine.cluster.PrePuller.LABEL, name).endMetadata()
                .withNewSpec().withNodeName("worker-1").endSpec().withNewStatus().addNewInitContainerStatus()
                .withName("prepull").withImageID("docker.io/library/nginx@" + DIGEST).endInitContainerStatus()
                .endStatus().build()).create();
        Run status = gantry("kube", "prepull", image, "--status");
        assertThat(status.code()).as(status.err()).isZero();
        List<String> lines = status.out().lines().toList();
        assertThat(lines.get(0)).startsWith("NODE").contains("STATE").contains("NODE REPORTS IT");
        assertThat(lines.get(1)).startsWith("worker-1").contains("PULLED").contains("yes");
        assertThat(status.out()).contains("1 of 1 node(s) have the image.");

        Run delete = gantry("kube", "prepull", image, "--delete");
        assertThat(delete.code()).as(delete.err()).isZero();
        assertThat(delete.err()).contains("Deleted pre-puller shop/" + name);
        Run gone = gantry("kube", "prepull", image, "--status");
        assertThat(gone.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(gone.err()).contains("there is no pre-puller shop/" + name).contains("--apply");

        Run both = gantry("kube", "prepull", image, "--apply", "--delete");
        assertThat(both.code()).isEqualTo(GantryCli.EXIT_USAGE);
        Run badSelector = gantry("kube", "prepull", image, "-n", "tools", "--nodes", "pool!=gpu");
        assertThat(badSelector.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(badSelector.err()).contains("pool!=gpu").contains("equality");
        Run unreachable = gantry("kube", "prepull", image, "--context", "gone", "--apply");
        assertThat(unreachable.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(unreachable.err()).contains("refused the connection");
        for (Run run : List.of(both, badSelector, unreachable, gone)) {
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** Every node by the DaemonSet: the preview is YAML from the kubeconfig alone, even for a dead cluster. */
    @Test
    void aDaemonSetPreviewNeedsNoClusterEvenWithoutDashN() {
        String image = "nginx:1.27";
        Run gone = gantry("kube", "prepull", image, "--context", "gone", "--via", "daemonset");
        assertThat(gone.code()).as(gone.err()).isZero();
        assertThat(gone.out()).contains("kind: DaemonSet", "namespace: default", "image: \"nginx:1.27\"");
        assertThat(gone.err()).contains("Nothing was changed").doesNotContain("refused");
        Run current = gantry("kube", "prepull", image, "--via", "daemonset"); // the mock context's namespace, shop
        assertThat(current.code()).as(current.err()).isZero();
        assertThat(current.out()).contains("namespace: shop");
        Run unknown = gantry("kube", "prepull", image, "--context", "staging", "--via", "daemonset");
        assertThat(unknown.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(unknown.err()).contains("no context named staging");
        Run noKubeconfig = gantry(Map.of(), "kube", "prepull", image, "--via", "daemonset", "-n", "tools");
        assertThat(noKubeconfig.code()).as("with -n not even a kubeconfig is needed: " + noKubeconfig.err()).isZero();
        assertThat(noKubeconfig.out()).contains("namespace: tools");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("contexts", "nodes", "where", "policy", "why", "secrets", "pull-secret", "prepull")) {
            for (String alias : List.of("kube", "k8s")) {
                Run run = gantry(alias, sub, "--help");
                assertThat(run.code()).as("%s %s --help: %s", alias, sub, run.err()).isZero();
                assertThat(run.out()).startsWith("Usage: gantry kube " + sub).contains("-h, --help");
            }
        }
        Run bare = gantry("kube");
        assertThat(bare.code()).isZero();
        assertThat(bare.out()).contains("contexts").contains("nodes").contains("where").contains("policy")
                .contains("why");
    }
}
