package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.KubeContext;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig files found and merged as kubectl does (files only; no API server is asked). */
class KubeconfigFilesTest {

    @TempDir
    Path dir;

    static String kubeconfig(String current, String... contexts) {
        return io.gantry.testing.MockKubeconfig.yaml(current, contexts);
    }

    /**
     * Connects through Gantry's port to fabric8's mock API server: a kubeconfig in {@code dir}
     * whose current context {@code mock} (namespace {@code shop}) points at {@code server}.
     */
    static io.gantry.engine.cluster.Cluster connectToMock(
            io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server, Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config"), kubeconfig("mock",
                "mock=http://" + server.getHostName() + ":" + server.getPort() + "=shop"));
        return new Fabric8Clusters(java.util.Map.of("KUBECONFIG", file.toString()), dir)
                .connect(java.util.Optional.empty());
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void severalFilesMergeFirstWinsCurrentFirst() throws IOException {
        Path first = write("a.yaml", kubeconfig("prod", "prod=https://prod.example.com:6443=shop",
                "dev=https://dev-from-a.example.com"));
        Path second = write("b.yaml", kubeconfig("dev", "dev=https://dev-from-b.example.com", "alpha=https://alpha.example.com"));
        String listed = first + File.pathSeparator + dir.resolve("missing.yaml") + File.pathSeparator + second;

        List<KubeContext> contexts = new Fabric8Clusters(Map.of("KUBECONFIG", listed), dir.resolve("home")).contexts();

        assertThat(contexts).extracting(KubeContext::name).containsExactly("prod", "alpha", "dev");
        assertThat(contexts.get(0).current()).isTrue();
        assertThat(contexts.get(0).namespace()).contains("shop");
        assertThat(contexts.get(0).namespaceOrDefault()).isEqualTo("shop");
        assertThat(contexts.get(0).server()).isEqualTo("https://prod.example.com:6443");
        KubeContext dev = contexts.get(2);
        assertThat(dev.server()).as("the first file's cluster wins").isEqualTo("https://dev-from-a.example.com");
        assertThat(dev.file()).isEqualTo(first.toAbsolutePath());
        assertThat(dev.current()).isFalse();
        assertThat(dev.namespaceOrDefault()).isEqualTo("default");
        assertThat(contexts.get(1).file()).isEqualTo(second.toAbsolutePath());
    }

    @Test
    void withoutKubeconfigTheHomeFileIsRead() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), kubeconfig("kind-kind", "kind-kind=https://127.0.0.1:6443"));
        assertThat(new Fabric8Clusters(Map.of(), home).contexts()).extracting(KubeContext::name)
                .containsExactly("kind-kind");
        assertThat(new Fabric8Clusters(Map.of("KUBECONFIG", ""), home).contexts()).hasSize(1);
        assertThat(new Fabric8Clusters(Map.of(), dir.resolve("nobody")).contexts()).isEmpty();
    }

    @Test
    void noContextAtAllOrAnUnknownOneIsNotFoundNamingTheChoices() throws IOException {
        Fabric8Clusters none = new Fabric8Clusters(Map.of(), dir.resolve("nobody"));
        assertThatThrownBy(() -> none.connect(Optional.empty())).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).contains("no kubeconfig context");
            assertThat(e.action()).get().asString().contains("KUBECONFIG");
        });
        Path file = write("c.yaml", kubeconfig(null, "one=https://one.example.com", "two=https://two.example.com"));
        Fabric8Clusters two = new Fabric8Clusters(Map.of("KUBECONFIG", file.toString()), dir);
        assertThatThrownBy(() -> two.connect(Optional.empty())).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).contains("no current context");
            assertThat(e.action()).get().asString().contains("one, two");
        });
        assertThatThrownBy(() -> two.connect(Optional.of("three"))).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).contains("three");
            assertThat(e.action()).get().asString().contains("one, two");
        });
    }

    @Test
    void aFileThatIsNoKubeconfigIsNamedWithoutItsContent() throws IOException {
        Path broken = write("broken.yaml", "clusters: [ {name: x, cluster: {server: 7\n  - : :\n");
        Fabric8Clusters clusters = new Fabric8Clusters(Map.of("KUBECONFIG", broken.toString()), dir);
        assertThatThrownBy(clusters::contexts).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains(broken.toString()).doesNotContain("io.fabric8").doesNotContain("Exception");
        });
    }
}
