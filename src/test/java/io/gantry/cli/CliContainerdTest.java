package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.AppPaths;
import io.gantry.app.Gantry;
import io.gantry.app.Main;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry --endpoint … --namespace …} on the harness's containerd, through the real composition
 * root: found by {@code CONTAINERD_ADDRESS} (as {@code ctr} finds it) or named by its socket path.
 */
@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
class CliContainerdTest {

    private final FixtureImages images = new FixtureImages();

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void embeddedStore() {
        io.gantry.store.OciLayoutStore.open(dir.resolve("store")).close();
    }

    private GantryCliTest.Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--store", dir.resolve("store").toString()));
        all.addAll(List.of(args));
        Gantry gantry = new Gantry(new AppPaths(dir.resolve("home")), env);
        int code = GantryCli.run(Main.cliServices(gantry), new PrintWriter(out), new PrintWriter(err),
                all.toArray(String[]::new));
        return new GantryCliTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void listsInspectsAndDeletesInANamespaceFoundByItsAddress(ContainerdPeer containerd, RegistryPeer registry) {
        String namespace = FixtureImages.unique("cli");
        FixtureImage image = images.image(FixtureImages.unique("app")).layer("ADD app", l -> l.file("app/run", "v1"));
        registry.pusher().push(image);
        String ref = containerd.pull(namespace, image.reference(registry.hostPort()));
        Map<String, String> env = Map.of("CONTAINERD_ADDRESS", containerd.socket().toString());

        GantryCliTest.Run endpoints = run(env, "endpoints");
        assertThat(endpoints.out()).as(endpoints.err()).contains("containerd:" + containerd.address());

        GantryCliTest.Run namespaces = run(env, "--endpoint", containerd.socket().toString(), "--namespace", namespace,
                "namespaces");
        assertThat(namespaces.code()).isZero();
        assertThat(namespaces.out()).contains(namespace + " *");

        GantryCliTest.Run listed = run(env, "--endpoint", "containerd:" + containerd.address(), "--namespace",
                namespace, "images", "--no-trunc");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(image.repository(), image.tag(), image.imageId());

        GantryCliTest.Run history = run(env, "--endpoint", containerd.socket().toString(), "-n", namespace,
                "history", ref);
        assertThat(history.code()).as(history.err()).isZero();
        assertThat(history.out()).contains("ADD app");

        GantryCliTest.Run version = run(env, "--endpoint", containerd.socket().toString(), "version");
        assertThat(version.out()).contains("Server: containerd", containerd.version());

        containerd.ctrOk(namespace, "containers", "create", "--snapshotter", "native", ref, "api-1");
        GantryCliTest.Run refused = run(env, "--endpoint", containerd.socket().toString(), "-n", namespace, "rm", ref);
        assertThat(refused.code()).isEqualTo(GantryCli.EXIT_CONFLICT);
        assertThat(refused.err()).contains("api-1").doesNotContain("Exception");
        assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).containsExactly(ref);

        GantryCliTest.Run preview = run(env, "--endpoint", containerd.socket().toString(), "-n", namespace, "prune",
                "-a", "--dry-run");
        assertThat(preview.code()).as(preview.err()).isZero();
        assertThat(preview.out()).doesNotContain(image.imageId());
    }

    @Test
    void aWrongNamespaceOrAnEndpointWithoutNamespacesIsAClearError(ContainerdPeer containerd) {
        Map<String, String> env = Map.of("CONTAINERD_ADDRESS", containerd.socket().toString());
        GantryCliTest.Run bad = run(env, "--endpoint", containerd.socket().toString(), "--namespace", "a/b", "images");
        assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(bad.err()).contains("not a containerd namespace name").doesNotContain("Exception");

        GantryCliTest.Run embedded = run(env, "--namespace", "default", "images");
        assertThat(embedded.code()).as(embedded.out() + embedded.err()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(embedded.err()).contains("has no namespaces");

        GantryCliTest.Run node = run(env, "--endpoint", containerd.socket().toString(), "node");
        assertThat(node.code()).as(node.err()).isZero();
        assertThat(node.out()).contains("Image filesystem: " + containerd.root(), "Kubelet image GC: starts above 85%",
                "GC ORDER");
        GantryCliTest.Run notANode = run(env, "node");
        assertThat(notANode.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(notANode.err()).contains("is no Kubernetes node", "--endpoint").doesNotContain("Exception");

        GantryCliTest.Run dead = run(Map.of(), "--endpoint", dir.resolve("containerd.sock").toString(), "images");
        assertThat(dead.code()).as(dead.out() + dead.err()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(dead.err()).contains("does not answer").doesNotContain("Exception");
    }

    @Test
    void nodePullSendsTheDockerConfigsLoginAndSaysClearlyWhenItIsWrong(ContainerdPeer containerd,
                                                                      RegistryPeers registries) throws IOException {
        String password = "cli-s3cret-" + FixtureImages.unique("pw");
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("carol", password));
        containerd.trustRegistry(secured.hostPort());
        FixtureImage image = images.image(FixtureImages.unique("node-pull")).layer("ADD a", l -> l.file("a", "np"));
        secured.pusher().push(image);
        String ref = image.reference(secured.hostPort());
        String socket = containerd.socket().toString();

        Path right = dockerConfig("right", secured.hostPort(), "carol", password);
        Path wrong = dockerConfig("wrong", secured.hostPort(), "carol", "wrong-" + password);

        GantryCliTest.Run refused = run(Map.of("DOCKER_CONFIG", wrong.toString()), "--endpoint", socket, "node", "pull",
                ref);
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(GantryCli.EXIT_FAILURE);
        System.out.println("gantry node pull with a wrong password:\n" + refused.err());
        assertThat(refused.err()).contains("user carol", "docker login " + secured.hostPort())
                .doesNotContain(password).doesNotContain("Exception");
        assertThat(refused.out()).doesNotContain(password);

        GantryCliTest.Run pulled = run(Map.of("DOCKER_CONFIG", right.toString()), "--endpoint", socket, "node", "pull",
                ref);
        assertThat(pulled.code()).as(pulled.out() + pulled.err()).isZero();
        assertThat(pulled.out()).contains("Pulled " + ref + " onto the node", "Image: " + image.imageId())
                .doesNotContain(password);
        assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).contains(ref);

        GantryCliTest.Run quiet = run(Map.of("DOCKER_CONFIG", right.toString()), "--endpoint", socket, "node", "pull",
                "-q", ref);
        assertThat(quiet.out().strip()).isEqualTo(image.imageId());

        GantryCliTest.Run embedded = run(Map.of(), "node", "pull", ref);
        assertThat(embedded.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(embedded.err()).contains("is no Kubernetes node").doesNotContain("Exception");
        GantryCliTest.Run malformed = run(Map.of(), "--endpoint", socket, "node", "pull", "UPPER/Case:x");
        assertThat(malformed.code()).isEqualTo(GantryCli.EXIT_USAGE);
        GantryCliTest.Run dead = run(Map.of(), "--endpoint", dir.resolve("containerd.sock").toString(), "node", "pull",
                ref);
        assertThat(dead.code()).as(dead.out() + dead.err()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(dead.err()).contains("does not answer").doesNotContain("Exception");
    }

    private Path dockerConfig(String name, String host, String user, String password) throws IOException {
        Path config = Files.createDirectories(dir.resolve("docker-" + name));
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Files.writeString(config.resolve("config.json"), "{\"auths\": {\"" + host + "\": {\"auth\": \"" + auth
                + "\"}}}");
        return config;
    }
}
