package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.Clusters;
import io.gantry.engine.cluster.KubeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The {@link Clusters} of the user's kubeconfig, reached through fabric8's client over the JDK's
 * HTTP client. Reads only what it is given: the environment ({@code KUBECONFIG}) and the home
 * directory.
 */
public final class Fabric8Clusters implements Clusters {

    /**
     * Each request: connected within 10 s, answered within 60 s, its answer at most
     * {@link AnswerCap#DEFAULT_MAX_BYTES} bytes; a whole call (all pages) within 2 min.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CALL_DEADLINE = Duration.ofMinutes(2);

    private final Map<String, String> env;
    private final Path home;
    private final ManifestReader manifests = new ManifestReader();

    private final long answerCap;

    public Fabric8Clusters(Map<String, String> env, Path home) {
        this(env, home, AnswerCap.DEFAULT_MAX_BYTES);
    }

    /** As above, with every answer of an API server capped at {@code answerCap} bytes (tests use a small one). */
    Fabric8Clusters(Map<String, String> env, Path home, long answerCap) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.answerCap = answerCap;
    }

    private KubeconfigFiles kubeconfig() {
        return KubeconfigFiles.read(KubeconfigFiles.locate(env, home));
    }

    @Override
    public List<KubeContext> contexts() {
        return kubeconfig().contexts();
    }

    @Override
    public Cluster connect(Optional<String> contextName) {
        KubeconfigFiles files = kubeconfig();
        List<KubeContext> contexts = files.contexts();
        if (contexts.isEmpty()) {
            throw new GantryException(ErrorKind.NOT_FOUND, "choose a Kubernetes context", "no kubeconfig context found "
                    + "(KUBECONFIG " + (env.getOrDefault("KUBECONFIG", "").isBlank() ? "unset, and no "
                    + home.resolve(".kube/config") : "names no readable file with a context") + ")", null, 0,
                    "Point KUBECONFIG at your cluster's kubeconfig, or create one (kind, k3d, minikube and cloud "
                    + "CLIs write ~/.kube/config).", null);
        }
        Optional<String> wanted = contextName.or(files::currentContext);
        if (wanted.isEmpty()) {
            throw new GantryException(ErrorKind.NOT_FOUND, "choose a Kubernetes context", "the kubeconfig sets no "
                    + "current context", null, 0, "Name one with --context (" + names(contexts) + "), or set one with "
                    + "kubectl config use-context NAME.", null);
        }
        KubeContext context = contexts.stream().filter(c -> c.name().equals(wanted.get())).findFirst()
                .orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, "choose a Kubernetes context",
                        "no context named " + wanted.get(), null, 0, "Use one of: " + names(contexts)
                        + " (gantry kube contexts lists them).", null));
        Config config = clientConfig(files, context);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withHttpClientBuilderConsumer(http -> {
                    http.addOrReplaceInterceptor(AnswerCap.NAME, new AnswerCap(answerCap));
                    if (context.server().startsWith("http:")) {
                        // no h2c upgrade on a plain-HTTP server (kubectl proxy): after an answer cut
                        // off by the cap, the JDK client read the rest of it as HTTP/2 frames
                        http.preferHttp11();
                    }
                })
                .build();
        return new Fabric8Cluster(context, client, CALL_DEADLINE);
    }

    /**
     * fabric8's configuration for {@code context}, merged from the files as kubectl merges them.
     * The merge runs a credential plugin ({@code users[].exec}) when the context has one, so it
     * too runs under a deadline.
     */
    private static Config clientConfig(KubeconfigFiles files, KubeContext context) {
        CompletableFuture<Config> merged = CompletableFuture.supplyAsync(() -> {
            Config config = Config.empty();
            KubeConfigUtils.merge(config, context.name(), files.parsed());
            return config;
        });
        Config config;
        try {
            config = merged.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            merged.cancel(true);
            throw new GantryException(ErrorKind.UNAVAILABLE, "log in to context " + context.name(), "the credential "
                    + "plugin of user " + context.user() + " did not finish within " + REQUEST_TIMEOUT.toSeconds() + " s",
                    null, 0, "Run the cluster's login command in a terminal, then retry.", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, "log in to context " + context.name(), "interrupted");
        } catch (ExecutionException e) {
            throw new GantryException(ErrorKind.UNAUTHORIZED, "log in to context " + context.name(), "the credentials "
                    + "of user " + context.user() + " could not be read from the kubeconfig", null, 0,
                    "Check the user's entry (kubectl config view --minify --context " + context.name() + ").", e.getCause());
        }
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
        config.setRequestRetryBackoffLimit(1);
        config.setRequestRetryBackoffInterval(500);
        return config;
    }

    private static String names(List<KubeContext> contexts) {
        return contexts.stream().map(KubeContext::name).collect(Collectors.joining(", "));
    }

    @Override
    public List<ClusterPod> readManifest(String yaml) {
        return manifests.read(yaml);
    }
}
