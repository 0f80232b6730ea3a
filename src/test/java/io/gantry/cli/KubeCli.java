package io.gantry.cli;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.cluster.Clusters;
import io.gantry.engine.cluster.fabric8.Fabric8Clusters;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.NodeCris;
import io.gantry.service.PodRegistryCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs {@code gantry kube …} in-process against fabric8's mock API server: a kubeconfig in
 * {@code dir} whose current context {@code mock} (namespace {@code shop}, user {@code dev} with the
 * token {@value #TOKEN}) points at the mock, and a context {@code gone} whose server refuses
 * connections. The user's registry logins and the registry check are the test's.
 */
final class KubeCli {

    static final String TOKEN = "s3cret-token";

    record Run(int code, String out, String err) {
    }

    private final Path dir;
    private final Path kubeconfig;
    private final EngineCredentials logins;
    private final Optional<PodRegistryCheck> registryCheck;
    private Supplier<NodeCris> nodeCris = NodeCris::none;

    KubeCli(Path dir, KubernetesMockServer server, EngineCredentials logins, Optional<PodRegistryCheck> registryCheck) {
        this.dir = dir;
        this.logins = logins;
        this.registryCheck = registryCheck;
        try {
            kubeconfig = Files.writeString(dir.resolve("config"), """
                    apiVersion: v1
                    kind: Config
                    current-context: mock
                    clusters:
                    - name: mock-cluster
                      cluster: {server: "http://%s:%d"}
                    - name: gone-cluster
                      cluster: {server: "http://127.0.0.1:1"}
                    users:
                    - name: dev
                      user: {token: %s}
                    contexts:
                    - name: mock
                      context: {cluster: mock-cluster, user: dev, namespace: shop}
                    - name: gone
                      context: {cluster: gone-cluster, user: dev}
                    """.formatted(server.getHostName(), server.getPort(), TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRIs each run's {@code kube} commands may match to nodes (none by default). */
    KubeCli nodeCris(Supplier<NodeCris> open) {
        this.nodeCris = open;
        return this;
    }

    /** {@code gantry ARGS} with {@code KUBECONFIG} naming the kubeconfig above. */
    Run run(String... args) {
        return run(Map.of("KUBECONFIG", kubeconfig.toString()), args);
    }

    /** {@code gantry ARGS} with {@code env} (e.g. none: no kubeconfig at all). */
    Run run(Map<String, String> env, String... args) {
        Clusters clusters = new Fabric8Clusters(env, dir.resolve("home"));
        CliServices services = new CliServices() {
            @Override
            public EndpointCatalog open(Optional<Path> storeDir) {
                throw new GantryException(ErrorKind.INTERNAL, "open", "kube commands open no store");
            }

            @Override
            public Clusters clusters() {
                return clusters;
            }

            @Override
            public EngineCredentials registryLogins() {
                return logins;
            }

            @Override
            public NodeCris nodeCris() {
                return nodeCris.get();
            }

            @Override
            public PodRegistryCheck podRegistryCheck() {
                return registryCheck.orElseThrow(() -> new GantryException(ErrorKind.INTERNAL, "kube why",
                        "this test has no registry"));
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GantryCli.run(services, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }
}
