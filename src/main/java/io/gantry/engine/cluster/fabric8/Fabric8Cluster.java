package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.PodEvent;
import io.gantry.engine.cluster.PrePullStatus;
import io.gantry.engine.cluster.PrePuller;
import io.gantry.engine.cluster.PullSecret;
import io.gantry.engine.cluster.PullSecretReferences;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One context's API server through fabric8's client. Every call runs under a deadline (fabric8's
 * own request timeout bounds each request; this bounds the whole call, pages and retries
 * included) and every list is read in pages of {@value #PAGE_SIZE} with the API server's
 * {@code continue} token, so no single answer holds more than one page.
 */
final class Fabric8Cluster implements Cluster {

    static final long PAGE_SIZE = 500;
    /** 2,000 pages of 500: far beyond any real cluster, short of a server that pages for ever. */
    private static final int MAX_PAGES = 2_000;

    private final KubeContext context;
    private final KubernetesClient client;
    private final Duration deadline;
    private final ExecutorService calls;

    Fabric8Cluster(KubeContext context, KubernetesClient client, Duration deadline) {
        this.context = context;
        this.client = client;
        this.deadline = deadline;
        this.calls = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "gantry-kube-" + context.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public KubeContext context() {
        return context;
    }

    @Override
    public List<ClusterNode> nodes() {
        return call("list the nodes of " + context.name(), () -> paged(options -> client.nodes().list(options)))
                .stream().map(ModelTranslation::node).toList();
    }

    @Override
    public List<ClusterPod> pods(Optional<String> namespace) {
        String where = namespace.map(ns -> "namespace " + ns).orElse("every namespace");
        return call("list the pods of " + where + " on " + context.name(), () -> paged(options -> namespace.isPresent()
                ? client.pods().inNamespace(namespace.get()).list(options) : client.pods().inAnyNamespace().list(options)))
                .stream().map(ModelTranslation::pod).toList();
    }

    @Override
    public Optional<ClusterPod> pod(String namespace, String name) {
        return call("read pod " + namespace + "/" + name + " on " + context.name(),
                () -> Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get())
                        .map(ModelTranslation::pod));
    }

    @Override
    public List<PullSecretReferences.ServiceAccountRef> serviceAccounts(Optional<String> namespace) {
        return call("list the service accounts of " + namespace.map(ns -> "namespace " + ns).orElse("every namespace")
                + " on " + context.name(), () -> paged(options -> namespace.isPresent()
                ? client.serviceAccounts().inNamespace(namespace.get()).list(options)
                : client.serviceAccounts().inAnyNamespace().list(options))).stream()
                .map(account -> new PullSecretReferences.ServiceAccountRef(account.getMetadata().getNamespace(),
                        account.getMetadata().getName(), account.getImagePullSecrets() == null ? List.of()
                        : account.getImagePullSecrets().stream().map(r -> r.getName())
                        .filter(java.util.Objects::nonNull).toList()))
                .toList();
    }

    @Override
    public List<PullSecretReferences.SecretRef> secrets(Optional<String> namespace) {
        // the list carries the secrets' data; only name and type leave this method
        return call("list the secrets of " + namespace.map(ns -> "namespace " + ns).orElse("every namespace")
                + " on " + context.name(), () -> paged(options -> namespace.isPresent()
                ? client.secrets().inNamespace(namespace.get()).list(options)
                : client.secrets().inAnyNamespace().list(options))).stream()
                .map(secret -> new PullSecretReferences.SecretRef(secret.getMetadata().getNamespace(),
                        secret.getMetadata().getName(), secret.getType() == null ? "Opaque" : secret.getType()))
                .toList();
    }

    @Override
    public Optional<List<io.gantry.engine.RegistryLogin>> pullSecretLogins(String namespace, String name) {
        // the secret's data stays in this method: only the logins leave it, for a registry check
        return call("read pull secret " + namespace + "/" + name + " on " + context.name(),
                () -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
                        .map(secret -> DockerConfigJson.logins(secret.getType(), secret.getData())));
    }

    @Override
    public List<PodEvent> podEvents(String namespace, String name) {
        // every event of the namespace, filtered here: the mock API server (and old API servers) ignore field selectors
        return call("read the events of pod " + namespace + "/" + name + " on " + context.name(),
                () -> paged(options -> client.v1().events().inNamespace(namespace).list(options))).stream()
                .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
                        && name.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing(Fabric8Cluster::when))
                .map(e -> new PodEvent(e.getReason() == null ? "" : e.getReason(),
                        e.getMessage() == null ? "" : e.getMessage(), e.getCount() == null ? 1 : e.getCount()))
                .toList();
    }

    @Override
    public Optional<ImageGcThresholds> kubeletImageGc(String node) {
        return call("read the kubelet configuration of node " + node + " on " + context.name(), () -> {
            String answer;
            try {
                answer = client.raw("/api/v1/nodes/" + java.net.URLEncoder.encode(node, java.nio.charset.StandardCharsets.UTF_8)
                        + "/proxy/configz");
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 || e.getCode() == 401) {
                    throw e;
                }
                return Optional.<ImageGcThresholds>empty(); // the kubelet did not answer through the proxy
            }
            return KubeletConfigz.imageGc(answer);
        });
    }

    @Override
    public Optional<io.gantry.engine.cluster.NodeImageFs> imageFilesystem(String node) {
        return call("read the image filesystem of node " + node + " on " + context.name(), () -> {
            String answer;
            try {
                answer = client.raw("/api/v1/nodes/" + java.net.URLEncoder.encode(node, java.nio.charset.StandardCharsets.UTF_8)
                        + "/proxy/stats/summary");
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 || e.getCode() == 401) {
                    throw e;
                }
                return Optional.<io.gantry.engine.cluster.NodeImageFs>empty(); // the kubelet did not answer through the proxy
            }
            return KubeletStatsSummary.imageFs(answer);
        });
    }

    @Override
    public Applied applyPullSecret(PullSecret pullSecret) {
        String where = pullSecret.namespace() + "/" + pullSecret.name();
        String operation = "apply pull secret " + where + " on " + context.name();
        return call(operation, () -> {
            var secrets = client.secrets().inNamespace(pullSecret.namespace());
            Secret existing = secrets.withName(pullSecret.name()).get();
            Secret wanted = new SecretBuilder().withNewMetadata().withName(pullSecret.name())
                    .withNamespace(pullSecret.namespace())
                    .addToLabels(PullSecret.MANAGED_BY_LABEL, "gantry").endMetadata()
                    .withType(PullSecret.TYPE).addToData(PullSecret.DATA_KEY, pullSecret.encodedData()).build();
            if (existing == null) {
                try {
                    secrets.resource(wanted).create();
                } catch (KubernetesClientException e) {
                    throw e.getCode() == 404 ? noNamespace(operation, pullSecret.namespace(), e) : e;
                }
                return Applied.CREATED;
            }
            if (!PullSecret.TYPE.equals(existing.getType())) {
                throw new GantryException(ErrorKind.CONFLICT, operation, "secret " + where + " exists with type "
                        + (existing.getType() == null ? "Opaque" : existing.getType()) + ", not " + PullSecret.TYPE,
                        null, 0, "Choose another name with --name; Gantry replaces only pull secrets.", null);
            }
            if (existing.getMetadata().getLabels() != null) {
                existing.getMetadata().getLabels().forEach((k, v) -> wanted.getMetadata().getLabels().putIfAbsent(k, v));
            }
            wanted.getMetadata().setAnnotations(existing.getMetadata().getAnnotations());
            // the version read above: a secret changed in between is a conflict, not overwritten blindly
            wanted.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            try {
                secrets.resource(wanted).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    throw new GantryException(ErrorKind.CONFLICT, operation, "secret " + where + " changed while "
                            + "it was being replaced", null, 409, "Retry.", null);
                }
                throw e;
            }
            return Applied.REPLACED;
        });
    }

    @Override
    public boolean attachPullSecret(String namespace, String serviceAccount, String secret) {
        String operation = "add pull secret " + secret + " to service account " + namespace + "/" + serviceAccount
                + " on " + context.name();
        return call(operation, () -> {
            var account = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount);
            ServiceAccount found = account.get();
            if (found == null) {
                throw new GantryException(ErrorKind.NOT_FOUND, operation, "no service account " + serviceAccount
                        + " in namespace " + namespace, null, 0, "List them with kubectl get serviceaccounts -n "
                        + namespace + "; every namespace has 'default'.", null);
            }
            boolean there = found.getImagePullSecrets() != null && found.getImagePullSecrets().stream()
                    .anyMatch(r -> secret.equals(r.getName()));
            if (there) {
                return false;
            }
            // a patch of the list, made against the version read: a concurrent change is a conflict
            account.edit(sa -> new ServiceAccountBuilder(sa).addNewImagePullSecret(secret).build());
            return true;
        });
    }

    @Override
    public Applied applyPrePuller(PrePuller prePuller) {
        String where = prePuller.namespace() + "/" + prePuller.name();
        String operation = "apply pre-puller " + where + " on " + context.name();
        return call(operation, () -> {
            var daemonSets = client.apps().daemonSets().inNamespace(prePuller.namespace());
            DaemonSet wanted = PrePullerObjects.daemonSet(prePuller);
            DaemonSet existing = daemonSets.withName(prePuller.name()).get();
            if (existing == null) {
                try {
                    daemonSets.resource(wanted).create();
                } catch (KubernetesClientException e) {
                    throw e.getCode() == 404 ? noNamespace(operation, prePuller.namespace(), e) : e;
                }
                return Applied.CREATED;
            }
            requireGantrys(operation, existing);
            wanted.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            try {
                daemonSets.resource(wanted).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    throw new GantryException(ErrorKind.CONFLICT, operation, "DaemonSet " + where + " changed while "
                            + "it was being replaced", null, 409, "Retry.", null);
                }
                throw e;
            }
            return Applied.REPLACED;
        });
    }

    @Override
    public Optional<PrePullStatus> prePullStatus(String namespace, String name) {
        return call("read pre-puller " + namespace + "/" + name + " on " + context.name(), () -> {
            DaemonSet daemonSet = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
            if (daemonSet == null) {
                return Optional.empty();
            }
            List<io.fabric8.kubernetes.api.model.Pod> pods = paged(options -> client.pods().inNamespace(namespace)
                    .withLabel(PrePuller.LABEL, name).list(options));
            return Optional.of(PrePullerObjects.status(daemonSet, pods));
        });
    }

    @Override
    public boolean deletePrePuller(String namespace, String name) {
        String operation = "delete pre-puller " + namespace + "/" + name + " on " + context.name();
        return call(operation, () -> {
            var daemonSet = client.apps().daemonSets().inNamespace(namespace).withName(name);
            DaemonSet existing = daemonSet.get();
            if (existing == null) {
                return false;
            }
            requireGantrys(operation, existing);
            daemonSet.delete();
            return true;
        });
    }

    private static void requireGantrys(String operation, DaemonSet existing) {
        var labels = existing.getMetadata().getLabels();
        if (labels == null || !"gantry".equals(labels.get(PullSecret.MANAGED_BY_LABEL))) {
            throw new GantryException(ErrorKind.CONFLICT, operation, "DaemonSet " + existing.getMetadata().getName()
                    + " was not made by Gantry", null, 0, "Choose another name with --name; Gantry changes only its "
                    + "own pre-pullers.", null);
        }
    }

    private static GantryException noNamespace(String operation, String namespace, Throwable cause) {
        return new GantryException(ErrorKind.NOT_FOUND, operation, "no namespace " + namespace, null, 404,
                "Check the name (kubectl get namespaces), or create it first (kubectl create namespace "
                        + namespace + ").", cause);
    }

    private static String when(io.fabric8.kubernetes.api.model.Event event) {
        // RFC 3339 in UTC, so text order is time order
        String time = event.getLastTimestamp() != null ? event.getLastTimestamp()
                : event.getEventTime() != null ? event.getEventTime().getTime() : null;
        return time == null ? "" : time;
    }

    /** Every item of a list, page by page. */
    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> paged(Function<ListOptions, ? extends KubernetesResourceList<T>> list) {
        List<T> items = new ArrayList<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            KubernetesResourceList<T> answer = list.apply(new ListOptionsBuilder().withLimit(PAGE_SIZE)
                    .withContinue(token).build());
            if (answer.getItems() != null) {
                items.addAll(answer.getItems());
            }
            token = answer.getMetadata() == null ? null : answer.getMetadata().getContinue();
            if (token == null || token.isEmpty()) {
                return items;
            }
        }
        throw new GantryException(ErrorKind.BAD_CONTENT, "list", "the API server of context " + context.name()
                + " kept paging after " + MAX_PAGES + " pages");
    }

    /** Runs {@code work} with the deadline; failures mapped by {@link KubeErrors}. */
    private <T> T call(String operation, Supplier<T> work) {
        CompletableFuture<T> future = CompletableFuture.supplyAsync(work, calls);
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw KubeErrors.timedOut(operation, context, deadline.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw KubeErrors.map(operation, context, runtime);
            }
            throw KubeErrors.map(operation, context, new IllegalStateException(cause));
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        client.close();
    }
}
