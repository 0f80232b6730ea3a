package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry kube … --help} says what each option means there: {@code -n/--namespace} is the
 * Kubernetes namespace in the command's own words (not the containerd namespace the top-level
 * option describes), and a command that uses none ({@code contexts}, {@code nodes}) does not offer it
 * and refuses it. No cluster is asked.
 */
class KubeHelpTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run gantry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElse(dir.resolve("store"))))),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void eachKubeCommandSaysWhatItsNamespaceMeans() {
        Map<String, String> says = Map.of(
                "where", "Only pods of this namespace (default: every namespace).",
                "policy", "The namespace of POD (default: the context's).",
                "why", "The namespace of POD (default: the context's).",
                "secrets", "Only this namespace (default: every namespace).",
                "pull-secret", "The namespace the secret goes into (default: the context's)",
                "prepull", "The namespace the DaemonSet goes into (default: the context's)");
        for (String command : List.of("where", "policy", "why", "secrets", "pull-secret", "prepull")) {
            for (String alias : List.of("kube", "k8s")) {
                Run help = gantry(alias, command, "--help");
                assertThat(help.code()).as(alias + " " + command).isZero();
                String flat = help.out().replaceAll("\\s+", " ");
                assertThat(flat).as(alias + " " + command + " --help").contains("-n, --namespace=NAMESPACE " + says.get(command))
                        .doesNotContain("containerd endpoint").doesNotContain("CONTAINERD_NAMESPACE")
                        .doesNotContain("--store").doesNotContain("--endpoint");
            }
        }
        String kube = gantry("kube", "--help").out().replaceAll("\\s+", " ");
        assertThat(kube).contains("-n, --namespace=NAMESPACE The Kubernetes namespace, for the subcommands that use one")
                .doesNotContain("containerd endpoint");
    }

    @Test
    void commandsWithoutANamespaceNeitherOfferNorTakeOne() {
        for (String command : List.of("contexts", "nodes")) {
            Run help = gantry("kube", command, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).as(command).doesNotContain("--namespace").doesNotContain("-n=");
            Run given = gantry("kube", command, "-n", "shop");
            assertThat(given.code()).as(command + " -n shop").isEqualTo(GantryCli.EXIT_USAGE);
            assertThat(given.err()).contains("-n");
        }
        // the top-level option keeps its containerd meaning
        assertThat(gantry("--help").out().replaceAll("\\s+", " ")).contains("The namespace of a containerd endpoint");
    }
}
