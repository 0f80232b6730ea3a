package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.Clusters;
import io.gantry.engine.cluster.ImageWhereabouts;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.KubeletPullRules;
import io.gantry.engine.cluster.KubeletPullRules.PullDecision;
import io.gantry.engine.cluster.PullFailures;
import io.gantry.engine.cluster.PullSecret;
import io.gantry.service.ImageTable;
import io.gantry.service.NodeCris;
import io.gantry.service.PodRegistryCheck;
import io.gantry.service.PrePulls;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry kube} (alias {@code k8s}): the Kubernetes clusters of the user's kubeconfig, read
 * only. {@code contexts} lists them; {@code nodes} shows each node's image cache as its kubelet
 * reports it; {@code where IMAGE} finds the nodes holding an image and the pods using it;
 * {@code policy} says what the kubelet will do for each image of a pod or a manifest; {@code why}
 * explains a pod's images that do not pull.
 */
@Command(name = "kube", aliases = "k8s", description = {
        "Kubernetes clusters from your kubeconfig (KUBECONFIG, several files merged as kubectl does, else "
                + "~/.kube/config): contexts, nodes and their cached images, where an image lives, what the kubelet's "
                + "pull policy will do, why a pod's image does not pull, pull secrets from your own credentials.",
        "Read only, except what you ask for with --apply.",
        "--context chooses the context (default: the current one); -n/--namespace the namespace."},
        subcommands = {KubeCommand.Contexts.class, KubeCommand.Nodes.class, KubeCommand.Where.class,
                KubeCommand.Policy.class, KubeCommand.Why.class, KubeCommand.Secrets.class,
                KubeCommand.MakePullSecret.class, KubeCommand.PrePull.class})
final class KubeCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /**
     * What {@code -n/--namespace} means under {@code kube}, by subcommand: the inherited option says
     * what it means for containerd, so each kube command that uses a namespace gets its own words
     * (the same option, its value still read from {@link GantryCli#namespace}); a command without one
     * ({@code contexts}, {@code nodes}: nodes belong to no namespace) does not offer it.
     */
    static final Map<String, String> NAMESPACE_HELP = Map.of(
            "kube", "The Kubernetes namespace, for the subcommands that use one (default: the context's; where and "
                    + "secrets: every namespace). Each subcommand's --help says what it means there.",
            "where", "Only pods of this namespace (default: every namespace).",
            "policy", "The namespace of POD (default: the context's). Not used with -f: a manifest's pods are decided "
                    + "as they are written.",
            "why", "The namespace of POD (default: the context's).",
            "secrets", "Only this namespace (default: every namespace).",
            "pull-secret", "The namespace the secret goes into (default: the context's); pods use pull secrets of "
                    + "their own namespace only.",
            "prepull", "The namespace the DaemonSet goes into (default: the context's); --pull-secret names secrets "
                    + "of this namespace.");

    /**
     * Removes the inherited {@code --store} and {@code --endpoint} from {@code kube} and its
     * subcommands: they choose an image store, which no kube command uses, so help does not offer
     * them and a command line giving them is refused. Gives {@code -n/--namespace} its Kubernetes
     * meaning ({@link #NAMESPACE_HELP}), or removes it where no namespace is used.
     */
    static void dropEngineOptions(picocli.CommandLine kube) {
        CommandSpec spec = kube.getCommandSpec();
        for (String name : List.of("--store", "--endpoint")) {
            picocli.CommandLine.Model.OptionSpec option = spec.findOption(name);
            if (option != null) {
                spec.remove(option);
            }
        }
        picocli.CommandLine.Model.OptionSpec namespace = spec.findOption("--namespace");
        if (namespace != null) {
            spec.remove(namespace);
            String help = NAMESPACE_HELP.get(spec.name());
            if (help != null) {
                // local: the subcommands get their own words below, not a copy of these
                spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(namespace).description(help)
                        .scopeType(picocli.CommandLine.ScopeType.LOCAL).build());
            }
        }
        for (picocli.CommandLine sub : kube.getSubcommands().values()) {
            dropEngineOptions(sub);
        }
    }

    Clusters clusters() {
        return parent.services.clusters();
    }

    /** {@code --context NAME}, on each subcommand. */
    static final class ContextOption {
        @Option(names = "--context", paramLabel = "NAME",
                description = "The kubeconfig context (default: the current one; gantry kube contexts lists them).")
        String context;

        Optional<String> chosen() {
            return Optional.ofNullable(context).filter(c -> !c.isBlank());
        }
    }

    /** What every kube subcommand has: the parent (for the services and -n), its spec, {@code --format}. */
    abstract static class KubeSubcommand implements Callable<Integer> {
        @ParentCommand
        KubeCommand kube;
        @Spec
        CommandSpec spec;
        @Mixin
        OutputFormat output;
    }

    /** A subcommand that talks to a cluster: also {@code --context}. */
    abstract static class ClusterSubcommand extends KubeSubcommand {
        @Mixin
        ContextOption context;
    }

    /** A JSON row: keys and values alternating, in order. */
    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    @Command(name = "contexts", mixinStandardHelpOptions = true, description = "List the contexts of your kubeconfig, the current one first.")
    static final class Contexts extends KubeSubcommand {

        @Override
        public Integer call() {
            List<KubeContext> contexts = kube.clusters().contexts();
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, contexts.stream().map(c -> row("name", c.name(), "current", c.current(),
                        "cluster", c.cluster(), "server", c.server(), "user", c.user(),
                        "namespace", c.namespaceOrDefault(), "file", c.file().toString())).toList());
                return 0;
            }
            if (contexts.isEmpty()) {
                spec.commandLine().getErr().println("No kubeconfig context found: set KUBECONFIG or create ~/.kube/config.");
                return 0;
            }
            Table table = new Table("CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE", "SERVER");
            for (KubeContext c : contexts) {
                table.row(c.current() ? "*" : "", c.name(), c.cluster(), c.user(), c.namespace().orElse(""), c.server());
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "nodes", mixinStandardHelpOptions = true, description = {"List the nodes with the images their kubelets report "
            + "(node.status.images), disk pressure and readiness.",
            "The kubelet reports at most the 50 largest images of a node by default: a node showing 50+ may hold more.",
            "Where Gantry reaches a node's own CRI, the images come from it instead (all of them, with digests; FROM "
                    + "says which): a containerd socket on this machine whose CRI answers, when the node's name is this "
                    + "machine's host name and its reported containerd version (if any) is that containerd's."})
    static final class Nodes extends ClusterSubcommand {

        @Option(names = "--images", description = "Also list each node's images with their sizes.")
        boolean images;

        @Option(names = "--kubelet-config", description = "Read each node's image GC thresholds from its kubelet's live "
                + "configuration (through the API server; needs the nodes/proxy permission). Without it the kubelet's "
                + "defaults are shown: GC starts above 85%% of the image filesystem and frees down to 80%%.")
        boolean kubeletConfig;

        @Override
        public Integer call() {
            List<ClusterNode> nodes;
            Map<String, Optional<Cluster.ImageGcThresholds>> gc = new LinkedHashMap<>();
            try (Cluster cluster = kube.clusters().connect(context.chosen());
                 NodeCris cris = kube.parent.services.nodeCris()) {
                nodes = cris.preferCri(cluster.nodes());
                for (ClusterNode node : nodes) {
                    gc.put(node.name(), kubeletConfig ? cluster.kubeletImageGc(node.name()) : Optional.empty());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ClusterNode node : nodes) {
                    Map<String, Object> row = row("name", node.name(),
                            "ready", node.ready(),
                            "diskPressure", node.diskPressure(),
                            "kubeletVersion", node.kubeletVersion().orElse(""),
                            "containerRuntime", node.containerRuntime().orElse(""),
                            "imageListMayBeCut", node.imageListMayBeCut(),
                            "imagesFrom", node.imagesFromCri().map(cri -> "cri").orElse("nodeStatus"),
                            "cri", node.imagesFromCri().orElse(""),
                            "imageGc", row("highPercent", thresholds(gc, node).highPercent(),
                                    "lowPercent", thresholds(gc, node).lowPercent(),
                                    "source", gc.get(node.name()).isPresent() ? "kubelet" : "default"),
                            "images", node.images());
                    rows.add(row);
                }
                CliJson.print(out, rows);
                return 0;
            }
            Table table = new Table("NAME", "READY", "DISK PRESSURE", "IMAGES", "IMAGES SIZE", "FROM", "IMAGE GC",
                    "RUNTIME", "KUBELET");
            boolean anyCut = false;
            for (ClusterNode node : nodes) {
                anyCut |= node.imageListMayBeCut();
                long size = node.images().stream().mapToLong(ClusterNode.NodeImage::sizeBytes).sum();
                table.row(node.name(), node.ready() ? "yes" : "no", node.diskPressure() ? "YES" : "no",
                        node.images().size() + (node.imageListMayBeCut() ? "+" : ""),
                        (node.imageListMayBeCut() ? "≥ " : "") + ImageTable.humanSize(size), node.imagesSource(),
                        thresholds(gc, node).highPercent() + "%/" + thresholds(gc, node).lowPercent() + "%"
                                + (gc.get(node.name()).isPresent() ? "" : " (default)"),
                        node.containerRuntime().orElse("-"), node.kubeletVersion().orElse("-"));
            }
            table.print(out);
            if (anyCut) {
                out.println();
                out.println("50+: the kubelet reports only the " + ClusterNode.REPORTED_IMAGES_CAP + " largest images of "
                        + "a node (--node-status-max-images); it may hold more. Where Gantry reaches a node's own CRI it "
                        + "lists the whole cache from it instead (FROM: CRI); --help says when.");
            }
            if (!kubeletConfig) {
                out.println();
                out.println("IMAGE GC: image GC starts above the first share of the image filesystem and frees down to "
                        + "the second; (default) is the kubelet's default, --kubelet-config reads each node's own.");
            }
            if (images) {
                for (ClusterNode node : nodes) {
                    out.println();
                    out.println(io.gantry.core.PeerText.clean(node.name()) + ":");
                    Table list = new Table("IMAGE", "SIZE");
                    for (ClusterNode.NodeImage image : node.images()) {
                        list.row(image.names().isEmpty() ? "<none>" : String.join(", ", image.names()),
                                ImageTable.humanSize(image.sizeBytes()));
                    }
                    list.print(out);
                }
            }
            return 0;
        }
    }

    private static Cluster.ImageGcThresholds thresholds(Map<String, Optional<Cluster.ImageGcThresholds>> gc, ClusterNode node) {
        return gc.getOrDefault(node.name(), Optional.empty()).orElse(Cluster.ImageGcThresholds.DEFAULTS);
    }

    @Command(name = "where", mixinStandardHelpOptions = true, description = {"Where an image lives in the cluster: the nodes that hold it (from "
            + "node.status.images, or from the node's own CRI where Gantry reaches it: see gantry kube nodes --help) "
            + "and the pods that use it, with each container's effective pull policy and what the kubelet will do on "
            + "the pod's node.",
            "Pods of every namespace unless -n/--namespace is given."})
    static final class Where extends ClusterSubcommand {

        @Parameters(paramLabel = "IMAGE", description = "e.g. nginx:1.27, registry.example.com/team/app@sha256:…")
        String image;

        @Override
        public Integer call() {
            ImageReference reference = ImageReference.parse(image); // a malformed name needs no cluster
            Optional<String> namespace = Optional.ofNullable(kube.parent.namespace);
            ImageWhereabouts found;
            try (Cluster cluster = kube.clusters().connect(context.chosen());
                 NodeCris cris = kube.parent.services.nodeCris()) {
                found = ImageWhereabouts.find(reference, cris.preferCri(cluster.nodes()), cluster.pods(namespace));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, row("image", reference.toString(),
                        "nodes", found.nodes().stream().map(n -> row("node", n.node().name(),
                                "presence", n.presence().name(),
                                "from", n.node().imagesFromCri().map(cri -> "cri").orElse("nodeStatus"),
                                "sizeBytes", n.entry().map(ClusterNode.NodeImage::sizeBytes).orElse(0L))).toList(),
                        "pods", found.pods().stream().map(u -> decisionJson(u.pod(), u.decision())).toList()));
                return 0;
            }
            out.println("Image: " + reference.familiar());
            out.println();
            Table nodes = new Table("NODE", "HOLDS IT", "SIZE", "FROM");
            for (ImageWhereabouts.NodeHolding holding : found.nodes()) {
                nodes.row(holding.node().name(), switch (holding.presence()) {
                    case PRESENT -> "yes";
                    case ABSENT -> "no";
                    case NOT_LISTED, NO_NODE -> "not known (lists only its " + ClusterNode.REPORTED_IMAGES_CAP
                            + " largest images)";
                }, holding.entry().map(e -> ImageTable.humanSize(e.sizeBytes())).orElse("-"),
                        holding.node().imagesSource());
            }
            if (found.nodes().isEmpty()) {
                out.println("No nodes.");
            } else {
                nodes.print(out);
            }
            out.println();
            if (found.pods().isEmpty()) {
                out.println("No pod" + namespace.map(ns -> " in namespace " + io.gantry.core.PeerText.clean(ns))
                        .orElse("") + " uses it.");
                return 0;
            }
            Table pods = new Table("NAMESPACE", "POD", "CONTAINER", "NODE", "POLICY", "KUBELET WILL");
            for (ImageWhereabouts.PodUse use : found.pods()) {
                pods.row(use.pod().namespace(), use.pod().name(), containerLabel(use.image()),
                        use.pod().nodeName().orElse("(not scheduled)"), policyLabel(use.decision()),
                        use.decision().action());
            }
            pods.print(out);
            return 0;
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true, description = {"What the kubelet will do for each image of a pod: pull, use the node's "
            + "copy, or fail (ErrImageNeverPull), and why: the pull policy (or its default: Always for :latest or no "
            + "tag, IfNotPresent otherwise, decided when the object is created), the tag, whether the node holds it.",
            "Give a pod of the cluster (POD, in -n/--namespace or the context's namespace), or a manifest with -f "
                    + "(a Pod or a workload: Deployment, StatefulSet, DaemonSet, Job, CronJob…; - for standard input); "
                    + "image volumes are included."})
    static final class Policy extends ClusterSubcommand {

        @Parameters(paramLabel = "POD", arity = "0..1", description = "A pod of the cluster.")
        String podName;

        @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "A manifest (YAML or JSON); - reads "
                + "standard input. Read locally: the cluster is asked only for the node's images.")
        String file;

        @Option(names = "--node", paramLabel = "NODE", description = "Decide for this node (default: the node the pod "
                + "is scheduled on, if any).")
        String node;

        @Override
        public Integer call() {
            if ((podName == null) == (file == null)) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "kube policy", "give either a POD or -f FILE", null,
                        0, "e.g. gantry kube policy -f pod.yaml, or gantry kube policy web-7d4b9 -n shop", null);
            }
            List<ClusterPod> pods;
            Optional<Cluster> cluster = Optional.empty();
            try {
                if (file != null) {
                    pods = kube.clusters().readManifest(readManifest());
                } else {
                    cluster = Optional.of(kube.clusters().connect(context.chosen()));
                    String namespace = Optional.ofNullable(kube.parent.namespace)
                            .orElse(cluster.get().context().namespaceOrDefault());
                    pods = List.of(cluster.get().pod(namespace, podName).orElseThrow(() -> new GantryException(
                            ErrorKind.NOT_FOUND, "kube policy", "no pod " + podName + " in namespace " + namespace,
                            null, 0, "List the pods with kubectl get pods -n " + namespace + ", or give -n.", null)));
                }
                boolean needsNodes = node != null || pods.stream().anyMatch(p -> p.nodeName().isPresent());
                List<ClusterNode> nodes = List.of();
                if (needsNodes) {
                    if (cluster.isEmpty()) {
                        cluster = Optional.of(kube.clusters().connect(context.chosen()));
                    }
                    try (NodeCris cris = kube.parent.services.nodeCris()) {
                        nodes = cris.preferCri(cluster.get().nodes());
                    }
                }
                print(pods, nodes);
            } finally {
                cluster.ifPresent(Cluster::close);
            }
            return 0;
        }

        private String readManifest() {
            try {
                if (file.equals("-")) {
                    InputStream in = System.in;
                    byte[] bytes = in.readNBytes((1 << 20) + 1); // one byte over the cap, for the reader to refuse
                    return new String(bytes, StandardCharsets.UTF_8);
                }
                Path path = Path.of(file);
                if (Files.size(path) > (1 << 20)) {
                    throw new GantryException(ErrorKind.INVALID_INPUT, "kube policy", file + " is larger than 1 MiB",
                            null, 0, "Give the manifest of one workload.", null);
                }
                return Files.readString(path);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.NOT_FOUND, "kube policy", "cannot read " + file, null, 0,
                        "Check the file name.", e);
            }
        }

        private void print(List<ClusterPod> pods, List<ClusterNode> nodes) {
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> json = new ArrayList<>();
            Table table = new Table("POD", "CONTAINER", "IMAGE", "NODE", "POLICY", "KUBELET WILL", "WHY");
            for (ClusterPod pod : pods) {
                Optional<String> nodeName = Optional.ofNullable(node).or(pod::nodeName);
                Optional<ClusterNode> onNode = nodeName.flatMap(n -> nodes.stream().filter(x -> x.name().equals(n))
                        .findFirst());
                if (nodeName.isPresent() && onNode.isEmpty()) {
                    throw new GantryException(ErrorKind.NOT_FOUND, "kube policy", "no node " + nodeName.get(), null, 0,
                            "gantry kube nodes lists them.", null);
                }
                for (PodImage image : pod.images()) {
                    PullDecision decision = KubeletPullRules.decide(image, onNode);
                    json.add(decisionJson(pod, decision));
                    table.row(pod.name(), containerLabel(image), image.image(), nodeName.orElse("-"),
                            policyLabel(decision), decision.action(), decision.reason());
                }
            }
            if (output.json()) {
                CliJson.print(out, json);
            } else {
                table.print(out);
            }
        }
    }

    @Command(name = "why", mixinStandardHelpOptions = true, description = {"Why a pod's images do not pull "
            + "(ErrImagePull, ImagePullBackOff, ErrImageNeverPull, InvalidImageName) and what to do: no such image or "
            + "tag, login refused or missing (which pull secrets the pod names), unknown host, unreachable registry, "
            + "rate limit, untrusted certificate.",
            "Read from the containers' waiting state and the pod's events; the kubelet's own words are shown too. "
                    + "Then Gantry asks the registry itself, with the logins of the pod's pull secrets (its service "
                    + "account's included): whether the image is there and which login is refused."})
    static final class Why extends ClusterSubcommand {

        @Parameters(paramLabel = "POD", description = "A pod (in -n/--namespace or the context's namespace).")
        String podName;

        @Option(names = "--no-registry-check", description = "Do not ask the registry (nor read the pod's pull secrets).")
        boolean noRegistryCheck;

        @Override
        public Integer call() {
            List<PullFailures.PullFailure> failures;
            Map<PullFailures.PullFailure, PodRegistryCheck.Verdict> checks = new LinkedHashMap<>();
            ClusterPod pod;
            try (Cluster cluster = kube.clusters().connect(context.chosen())) {
                String namespace = Optional.ofNullable(kube.parent.namespace).orElse(cluster.context().namespaceOrDefault());
                pod = cluster.pod(namespace, podName).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND,
                        "kube why", "no pod " + podName + " in namespace " + namespace, null, 0,
                        "List the pods with kubectl get pods -n " + namespace + ", or give -n.", null));
                boolean failing = pod.images().stream().anyMatch(i -> i.waitingReason()
                        .filter(PullFailures.PULL_REASONS::contains).isPresent());
                failures = failing ? PullFailures.explain(pod, cluster.podEvents(namespace, podName)) : List.of();
                List<PullFailures.PullFailure> checkable = failures.stream()
                        .filter(f -> f.cause() != PullFailures.Cause.NEVER_PULL && f.cause() != PullFailures.Cause.INVALID_NAME)
                        .toList();
                if (!noRegistryCheck && !checkable.isEmpty()) {
                    PodRegistryCheck registryCheck = kube.parent.services.podRegistryCheck();
                    for (PullFailures.PullFailure failure : checkable) {
                        checks.put(failure, registryCheck.check(cluster, pod, failure.image().image(),
                                io.gantry.core.Cancellation.none()));
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, failures.stream().map(f -> {
                    Map<String, Object> row = row("container", f.image().name(),
                            "kind", f.image().kind().name(),
                            "image", f.image().image(),
                            "state", f.state(),
                            "cause", f.cause().name(),
                            "kubeletSaid", f.kubeletSaid(),
                            "whatToDo", f.whatToDo());
                    Optional.ofNullable(checks.get(f)).ifPresent(v -> row.put("registryCheck", row("outcome",
                            v.outcome().name(), "secret", v.secret().orElse(""), "user", v.user().orElse(""),
                            "detail", v.detail(), "unreadableSecrets", v.unreadableSecrets())));
                    return row;
                }).toList());
                return 0;
            }
            if (failures.isEmpty()) {
                out.println("No image of pod " + io.gantry.core.PeerText.clean(pod.namespace() + "/" + pod.name())
                        + " is failing to pull.");
                return 0;
            }
            for (PullFailures.PullFailure failure : failures) {
                out.println(io.gantry.core.PeerText.clean(containerLabel(failure.image()) + ": " + failure.image().image()
                        + " — " + failure.state() + ": " + failure.cause()));
                out.println("  What to do: " + io.gantry.core.PeerText.clean(failure.whatToDo()));
                if (!failure.kubeletSaid().isBlank()) {
                    out.println("  The kubelet said: " + io.gantry.core.PeerText.clean(failure.kubeletSaid()));
                }
                PodRegistryCheck.Verdict verdict = checks.get(failure);
                if (verdict != null) {
                    out.println("  Gantry asked the registry: " + io.gantry.core.PeerText.clean(verdict.detail()) + ".");
                    if (!verdict.unreadableSecrets().isEmpty()) {
                        out.println("  Not used (missing, or not readable with your permissions): secret "
                                + io.gantry.core.PeerText.clean(String.join(", ", verdict.unreadableSecrets())) + ".");
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "secrets", mixinStandardHelpOptions = true, description = {"Which pods and service accounts "
            + "reference which image pull secrets, problems first: a secret missing from the namespace, or one that "
            + "is no pull secret (type other than kubernetes.io/dockerconfigjson).",
            "Secrets are read by name and type only; nothing of their content is shown. Every namespace unless "
                    + "-n/--namespace is given."})
    static final class Secrets extends ClusterSubcommand {

        @Override
        public Integer call() {
            Optional<String> namespace = Optional.ofNullable(kube.parent.namespace);
            List<io.gantry.engine.cluster.PullSecretReferences.Reference> references;
            try (Cluster cluster = kube.clusters().connect(context.chosen())) {
                references = io.gantry.engine.cluster.PullSecretReferences.check(cluster.pods(namespace),
                        cluster.serviceAccounts(namespace), cluster.secrets(namespace));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, references.stream().map(r -> {
                    Map<String, Object> row = row("namespace", r.namespace(),
                            "holder", r.holder(),
                            "secret", r.secret(),
                            "state", r.state().name());
                    return row;
                }).toList());
                return 0;
            }
            if (references.isEmpty()) {
                out.println("No pod or service account" + namespace.map(ns -> " in namespace "
                        + io.gantry.core.PeerText.clean(ns)).orElse("") + " references an image pull secret.");
                return 0;
            }
            Table table = new Table("NAMESPACE", "REFERENCED BY", "SECRET", "STATE");
            for (var reference : references) {
                table.row(reference.namespace(), reference.holder(), reference.secret(), reference.state());
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "pull-secret", mixinStandardHelpOptions = true, description = {"Make an image pull secret "
            + "(kubernetes.io/dockerconfigjson) from your own Docker credentials (config.json auths, credsStore, "
            + "credHelpers) for the registries given, and show it as YAML with the credentials redacted.",
            "Nothing is changed unless --apply is given: then the secret is created in -n/--namespace (default: the "
                    + "context's), or replaced if a pull secret of that name is there, and with --service-account "
                    + "added to that service account's imagePullSecrets, so its pods use it."})
    static final class MakePullSecret extends ClusterSubcommand {

        @Option(names = "--registry", paramLabel = "REGISTRY", required = true, description = "A registry to put your "
                + "login for in the secret (registry.example.com, localhost:5000, docker.io); repeat for several.")
        List<String> registries;

        @Option(names = "--name", paramLabel = "NAME", description = "The secret's name (default: pull-REGISTRY, "
                + "e.g. pull-registry.example.com).")
        String name;

        @Option(names = "--apply", description = "Create (or replace) the secret in the cluster.")
        boolean apply;

        @Option(names = {"--service-account", "--sa"}, paramLabel = "SA", description = "With --apply: also add the "
                + "secret to this service account's imagePullSecrets (e.g. default).")
        String serviceAccount;

        @Override
        public Integer call() {
            List<io.gantry.engine.RegistryLogin> logins = new ArrayList<>();
            for (String registry : registries) {
                String host = registryHost(registry);
                logins.add(kube.parent.services.registryLogins().loginFor(host).orElseThrow(() -> new GantryException(
                        ErrorKind.NOT_FOUND, "kube pull-secret", "your Docker credentials hold no login for " + host,
                        null, 0, "Log in first (docker login " + host + "), then retry.", null)));
            }
            String secretName = Optional.ofNullable(name).orElseGet(() -> PullSecret.defaultName(
                    registryHost(registries.get(0))));
            Optional<String> namespace = Optional.ofNullable(kube.parent.namespace);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!apply && namespace.isPresent()) { // a preview with its namespace needs no cluster
                PullSecret secret = new PullSecret(namespace.get(), secretName, logins);
                print(out, secret, Optional.empty(), Optional.empty());
                err.println("Nothing was changed: add --apply to create it" + alsoAttach() + ".");
                return 0;
            }
            try (Cluster cluster = kube.clusters().connect(context.chosen())) {
                PullSecret secret = new PullSecret(namespace.orElse(cluster.context().namespaceOrDefault()),
                        secretName, logins);
                if (!apply) {
                    print(out, secret, Optional.empty(), Optional.empty());
                    err.println("Nothing was changed: add --apply to create it on context "
                            + io.gantry.core.PeerText.clean(cluster.context().name()) + alsoAttach() + ".");
                    return 0;
                }
                Cluster.Applied applied = cluster.applyPullSecret(secret);
                Optional<Boolean> attached = Optional.ofNullable(serviceAccount)
                        .map(sa -> cluster.attachPullSecret(secret.namespace(), sa, secret.name()));
                print(out, secret, Optional.of(applied), attached);
                if (!output.json()) {
                    err.println((applied == Cluster.Applied.CREATED ? "Created" : "Replaced") + " secret "
                            + secret.namespace() + "/" + secret.name() + " on context "
                            + io.gantry.core.PeerText.clean(cluster.context().name()) + ".");
                    attached.ifPresent(added -> err.println(added
                            ? "Added it to the imagePullSecrets of service account " + io.gantry.core.PeerText.clean(serviceAccount) + "."
                            : "Service account " + io.gantry.core.PeerText.clean(serviceAccount) + " already names it."));
                }
            }
            return 0;
        }

        private String alsoAttach() {
            return serviceAccount == null ? "" : " and add it to service account "
                    + io.gantry.core.PeerText.clean(serviceAccount);
        }

        private void print(PrintWriter out, PullSecret secret, Optional<Cluster.Applied> applied, Optional<Boolean> attached) {
            if (!output.json()) {
                out.print(secret.redactedYaml());
                out.flush();
                return;
            }
            Map<String, Object> doc = row("namespace", secret.namespace(),
                    "name", secret.name(),
                    "type", PullSecret.TYPE,
                    "registries", secret.logins().stream().map(l -> Map.of("server", l.serverAddress(),
                    "username", l.username())).toList(),
                    "applied", applied.map(Enum::name).orElse("NO"));
            attached.ifPresent(added -> {
                doc.put("serviceAccount", serviceAccount);
                doc.put("addedToServiceAccount", added);
            });
            CliJson.print(out, doc);
        }

        /** {@code https://ghcr.io/v2/} → {@code ghcr.io}: the host a login is kept under. */
        static String registryHost(String given) {
            String host = given.trim();
            int scheme = host.indexOf("://");
            if (scheme >= 0) {
                host = host.substring(scheme + 3);
            }
            int slash = host.indexOf('/');
            host = (slash >= 0 ? host.substring(0, slash) : host).toLowerCase(java.util.Locale.ROOT);
            if (host.isEmpty()) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "kube pull-secret", "'" + given
                        + "' names no registry", null, 0, "Give a registry host, e.g. --registry registry.example.com.",
                        null);
            }
            return host;
        }
    }

    @Command(name = "prepull", mixinStandardHelpOptions = true, description = {"Pre-pull an image onto every node (or "
            + "those --nodes selects): through a node's own CRI where Gantry reaches it, else with a DaemonSet whose "
            + "pod on each node has the image as an init container, so the kubelet pulls it, then a pause container "
            + "that keeps the pod (and so the image) there.",
            "Without --apply it prints the DaemonSet as YAML and changes nothing. --status shows each node's progress "
                    + "(from the pods' statuses and the nodes' image lists); --delete removes the pre-puller when done. "
                    + "The DaemonSet tolerates every taint; it goes into -n/--namespace (default: the context's).",
            "A node whose own CRI Gantry reaches (see gantry kube nodes --help) pulls through that CRI directly, as "
                    + "the kubelet pulls, with your login for the registry, and the DaemonSet leaves it out (a node "
                    + "affinity on its name); --via daemonset sends every node through the DaemonSet."})
    static final class PrePull extends ClusterSubcommand {

        @Parameters(paramLabel = "IMAGE", description = "The image, as pods name it (e.g. registry.example.com/team/app:1.4).")
        String image;

        @Option(names = "--nodes", paramLabel = "LABELS", description = "Only nodes with these labels: key=value[,key=value…] "
                + "(e.g. kubernetes.io/os=linux).")
        String nodes;

        @Option(names = "--name", paramLabel = "NAME", description = "The DaemonSet's name (default: gantry-prepull-REPO-HASH, "
                + "the same for the same image).")
        String name;

        @Option(names = "--pull-secret", paramLabel = "SECRET", description = "A pull secret of the namespace for the "
                + "image's registry (gantry kube pull-secret makes one); repeat for several.")
        List<String> pullSecrets = new ArrayList<>();

        @Option(names = "--apply", description = "Create (or replace) the DaemonSet in the cluster.")
        boolean apply;

        @Option(names = "--status", description = "Show each node's progress of this image's pre-puller.")
        boolean status;

        @Option(names = "--delete", description = "Delete this image's pre-puller (the images stay on the nodes until "
                + "the kubelet's image GC removes unused ones).")
        boolean delete;

        @Option(names = "--wait", description = "With --apply, or alone for a pre-puller already applied: follow it "
                + "until every node it selects holds the image (from the nodes' statuses and its pods), printing each "
                + "node as it changes. Exit code 0 when all have it, 1 when a pull fails or --timeout passes.")
        boolean waitForNodes;

        @Option(names = "--via", paramLabel = "WAY", defaultValue = "auto", description = "auto: nodes whose own CRI "
                + "Gantry reaches pull through it, the others through the DaemonSet; daemonset: every node through the "
                + "DaemonSet (default: ${DEFAULT-VALUE}).")
        String via;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = "How long --wait "
                + "follows it: 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
        String timeout;

        /** How often --wait reads the nodes and the pods. */
        static final Duration WAIT_POLL = Duration.ofSeconds(2);
        /** How often a pull through a node's CRI says how far it got. */
        static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

        @Override
        public Integer call() {
            if ((apply ? 1 : 0) + (status ? 1 : 0) + (delete ? 1 : 0) > 1) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "kube prepull", "give one of --apply, --status, --delete",
                        null, 0, "Preview first (no option), then --apply, then --status until every node has it.", null);
            }
            if (waitForNodes && delete) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "kube prepull", "--wait follows a pre-puller; "
                        + "--delete removes it", null, 0, "Give --wait with --apply, or alone.", null);
            }
            Duration waitLimit = parseDuration(timeout);
            boolean throughCri = switch (via.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> true;
                case "daemonset" -> false;
                default -> throw new GantryException(ErrorKind.INVALID_INPUT, "kube prepull", "--via " + via
                        + " is no way to pre-pull", null, 0, "Give --via auto or --via daemonset.", null);
            };
            String daemonSet = Optional.ofNullable(name).orElseGet(() -> io.gantry.engine.cluster.PrePuller.defaultName(image));
            Optional<String> namespace = Optional.ofNullable(kube.parent.namespace);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean preview = !apply && !status && !delete && !waitForNodes;
            if (preview && !throughCri) {
                // every node by the DaemonSet: the YAML needs no cluster, only -n or the context's namespace
                // from the kubeconfig (connecting sends nothing until the cluster is asked something)
                String ns = namespace.isPresent() ? namespace.get() : contextNamespace();
                out.print(prePuller(ns, daemonSet).yaml());
                out.flush();
                err.println("Nothing was changed: add --apply to create it.");
                return 0;
            }
            try (Cluster cluster = kube.clusters().connect(context.chosen());
                 NodeCris cris = kube.parent.services.nodeCris()) {
                String ns = namespace.orElse(cluster.context().namespaceOrDefault());
                String where = ns + "/" + daemonSet;
                if (delete) {
                    boolean deleted = cluster.deletePrePuller(ns, daemonSet);
                    err.println(deleted ? "Deleted pre-puller " + where + "." : "There is no pre-puller " + where + ".");
                    return deleted ? 0 : GantryCli.EXIT_NOT_FOUND;
                }
                io.gantry.engine.cluster.PrePuller everyNode = prePuller(ns, daemonSet);
                if (status && !waitForNodes) {
                    io.gantry.engine.cluster.PrePullStatus progress = cluster.prePullStatus(ns, daemonSet)
                            .orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, "kube prepull", "there is no "
                                    + "pre-puller " + where, null, 0, "Create it with --apply (same image, -n and --name).", null));
                    printStatus(out, progress, cris.preferCri(cluster.nodes()));
                    return 0;
                }
                PrePulls.Plan plan = PrePulls.plan(cluster, cris, everyNode, throughCri, Optional.empty());
                if (!apply) { // the preview, or --wait alone for a pre-puller applied before
                    if (waitForNodes) {
                        return follow(cluster, cris, everyNode, !plan.daemonSetNeeded(), waitLimit, out, err);
                    }
                    printPlan(out, err, plan, " on context " + io.gantry.core.PeerText.clean(cluster.context().name()));
                    return 0;
                }
                boolean failed = false;
                for (Map.Entry<String, NodeCris.NodeCri> node : plan.direct().entrySet()) {
                    failed |= !pullThroughCri(node.getKey(), node.getValue(), out);
                }
                boolean needed = plan.daemonSetNeeded();
                if (needed) {
                    Cluster.Applied applied = PrePulls.applyDaemonSet(cluster, plan);
                    err.println((applied == Cluster.Applied.CREATED ? "Created" : "Replaced") + " pre-puller " + where
                            + " on context " + io.gantry.core.PeerText.clean(cluster.context().name()) + ". Follow it with: "
                            + "gantry kube prepull " + image + " -n " + ns + (name == null ? "" : " --name " + name)
                            + (waitForNodes ? " --wait" : " --status"));
                } else {
                    err.println("No DaemonSet: every selected node pulls through its own CRI.");
                }
                if (failed) {
                    return GantryCli.EXIT_FAILURE;
                }
                if (waitForNodes) {
                    return follow(cluster, cris, everyNode, !needed, waitLimit, out, err);
                }
            }
            return 0;
        }

        /** The chosen context's namespace, from the kubeconfig alone: connecting sends nothing until the cluster is asked. */
        private String contextNamespace() {
            try (Cluster cluster = kube.clusters().connect(context.chosen())) {
                return cluster.context().namespaceOrDefault();
            }
        }

        /** The preview: the DaemonSet (when some node needs it) and the nodes that pull through their CRI. */
        private void printPlan(PrintWriter out, PrintWriter err, PrePulls.Plan plan, String onContext) {
            out.print(plan.yaml());
            out.flush();
            if (!plan.direct().isEmpty()) {
                err.println("Through their own CRI, not the DaemonSet: " + plan.direct().entrySet().stream()
                        .map(e -> io.gantry.core.PeerText.clean(e.getKey() + " (" + e.getValue().name() + ")"))
                        .collect(java.util.stream.Collectors.joining(", ")) + ".");
            }
            err.println("Nothing was changed: add --apply to " + (plan.daemonSetNeeded()
                    ? "create it" + onContext : "pull") + ".");
        }

        /** Pulls onto {@code node} through its CRI, printing a line every 5 s while it runs; false when it fails. */
        private boolean pullThroughCri(String node, NodeCris.NodeCri cri, PrintWriter out) {
            String who = io.gantry.core.PeerText.clean(node);
            String via = io.gantry.core.PeerText.clean(cri.name());
            out.println(who + ": pulling through its CRI (" + via + ")");
            out.flush();
            long[] said = {System.nanoTime()};
            try {
                io.gantry.engine.NodePullResult result = PrePulls.pullThroughCri(cri, image, p -> {
                    if (System.nanoTime() - said[0] >= PROGRESS_EVERY.toNanos()) {
                        said[0] = System.nanoTime();
                        out.println(who + ": pulling through its CRI, " + ImageTable.humanSize(p.bytesSeen())
                                + " seen arriving so far");
                        out.flush();
                    }
                }, kube.parent.ctrlC());
                out.println(who + ": has the image (pulled through its CRI " + via + " in "
                        + String.format(java.util.Locale.ROOT, "%.1f", result.elapsed().toMillis() / 1000.0) + " s)");
                out.flush();
                return true;
            } catch (GantryException e) {
                out.println(who + ": the pull fails (" + io.gantry.core.PeerText.clean(e.getMessage()) + ")");
                e.action().ifPresent(action -> out.println("  " + io.gantry.core.PeerText.clean(action)));
                out.flush();
                return false;
            }
        }

        /**
         * Reads the pre-puller's pods and the nodes every {@link #WAIT_POLL} until every node it selects
         * holds the image, a pull fails, or {@code limit} passes; prints a line for each node whose state
         * changed, then the outcome.
         */
        private int follow(Cluster cluster, NodeCris cris, io.gantry.engine.cluster.PrePuller prePuller,
                           boolean noDaemonSet, Duration limit, PrintWriter out, PrintWriter err) {
            String where = prePuller.namespace() + "/" + prePuller.name();
            long deadline = System.nanoTime() + limit.toNanos();
            Map<String, String> said = new java.util.HashMap<>();
            while (true) {
                io.gantry.engine.cluster.PrePullProgress progress = PrePulls.progress(cluster, cris, prePuller,
                        Optional.empty(), !noDaemonSet).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND,
                        "kube prepull", "there is no pre-puller " + where, null, 0,
                        "Create it with --apply (same image, -n and --name).", null));
                for (io.gantry.engine.cluster.PrePullProgress.NodeProgress node : progress.nodes()) {
                    String line = node.state() + " (" + node.detail() + ")";
                    if (!line.equals(said.put(node.node(), line))) {
                        out.println(io.gantry.core.PeerText.clean(node.node()) + ": " + io.gantry.core.PeerText.clean(line));
                        out.flush();
                    }
                }
                String count = progress.holding() + " of " + progress.nodes().size() + " node(s) have " + image;
                if (progress.done()) {
                    out.println("Done: " + count + ".");
                    return GantryCli.EXIT_OK;
                }
                if (!progress.failed().isEmpty()) {
                    err.println("The pull fails on " + progress.failed().stream().map(n -> io.gantry.core.PeerText.clean(
                            n.node())).collect(java.util.stream.Collectors.joining(", ")) + "; " + count + ". "
                            + progress.failed().get(0).pod().map(pod -> "gantry kube why " + pod + " -n "
                            + prePuller.namespace() + " explains it.").orElse(""));
                    return GantryCli.EXIT_FAILURE;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    err.println("Gave up after " + timeout + ": " + count + (progress.nodes().isEmpty()
                            ? " (no node matches --nodes)" : "") + ". The pre-puller keeps going; follow it with "
                            + "--status or --wait.");
                    return GantryCli.EXIT_FAILURE;
                }
                try {
                    Thread.sleep(Math.min(WAIT_POLL.toMillis(), Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GantryException(ErrorKind.CANCELLED, "kube prepull", "interrupted");
                }
            }
        }

        /** {@code 90s}, {@code 10m}, {@code 1h}, or plain seconds. */
        static Duration parseDuration(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([smh]?)").matcher(text.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "kube prepull", "'" + text + "' is no duration",
                        null, 0, "Give --timeout as 90s, 10m or 1h.", null);
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }

        private io.gantry.engine.cluster.PrePuller prePuller(String namespace, String daemonSet) {
            return new io.gantry.engine.cluster.PrePuller(namespace, daemonSet, image,
                    io.gantry.engine.cluster.PrePuller.parseSelector(nodes), pullSecrets);
        }

        private void printStatus(PrintWriter out, io.gantry.engine.cluster.PrePullStatus progress, List<ClusterNode> nodes) {
            Map<String, ImageWhereabouts.NodeHolding> holding = new LinkedHashMap<>();
            ImageWhereabouts.find(ImageReference.parse(image), nodes, List.of()).nodes()
                    .forEach(h -> holding.put(h.node().name(), h));
            if (output.json()) {
                Map<String, Object> doc = row("image", image,
                        "desiredNodes", progress.desiredNodes(),
                        "pulled", progress.pulled(),
                        "nodes", progress.pods().stream().map(p -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("node", p.node());
                    row.put("pod", p.pod());
                    row.put("state", p.state().name());
                    row.put("nodeReportsIt", nodeReports(holding, p.node()));
                    row.put("detail", p.detail());
                    return row;
                }).toList());
                CliJson.print(out, doc);
                return;
            }
            Table table = new Table("NODE", "POD", "STATE", "NODE REPORTS IT", "DETAIL");
            for (io.gantry.engine.cluster.PrePullStatus.NodePull pull : progress.pods()) {
                table.row(pull.node(), pull.pod(), pull.state(), nodeReports(holding, pull.node()), pull.detail());
            }
            table.print(out);
            out.println(progress.pulled() + " of " + Math.max(progress.desiredNodes(), progress.pods().size())
                    + " node(s) have the image"
                    + (progress.pods().stream().anyMatch(p -> p.state() == io.gantry.engine.cluster.PrePullStatus.State.FAILED)
                    ? "; gantry kube why POD explains a failed pull." : "."));
        }

        private static String nodeReports(Map<String, ImageWhereabouts.NodeHolding> holding, String node) {
            ImageWhereabouts.NodeHolding h = holding.get(node);
            if (h == null) {
                return "-";
            }
            return switch (h.presence()) {
                case PRESENT -> "yes";
                case ABSENT -> "no";
                case NOT_LISTED, NO_NODE -> "not known";
            };
        }
    }

    static String containerLabel(PodImage image) {
        return image.label();
    }

    static String policyLabel(PullDecision decision) {
        return decision.policyLabel();
    }

    static Map<String, Object> decisionJson(ClusterPod pod, PullDecision decision) {
        Map<String, Object> row = row("namespace", pod.namespace(),
                "pod", pod.name(),
                "node", pod.nodeName().orElse(""),
                "container", decision.image().name(),
                "kind", decision.image().kind().name(),
                "image", decision.image().image(),
                "policy", decision.policy().map(Object::toString).orElse(""),
                "defaulted", decision.defaulted(),
                "presence", decision.presence().name(),
                "action", decision.action().name(),
                "reason", decision.reason());
        decision.image().waitingReason().ifPresent(reason -> row.put("waitingReason", reason));
        return row;
    }
}
