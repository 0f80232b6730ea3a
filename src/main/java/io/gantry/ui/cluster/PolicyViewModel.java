package io.gantry.ui.cluster;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.KubeletPullRules;
import io.gantry.engine.cluster.KubeletPullRules.PullDecision;
import io.gantry.ui.FxTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The pull-policy preview (issue 16): for a pod of the cluster, or the pods a pasted manifest
 * describes (a Pod, Deployment, Job…), on its node or a node chosen, what the kubelet will do for
 * each image — pull, use the node's copy, or fail — and why: {@link KubeletPullRules#decide}, the
 * rules of {@code gantry kube policy}. Read-only; a manifest is read locally, the cluster is asked
 * for the pod and the nodes' images only.
 */
public final class PolicyViewModel {

    /** The largest manifest read, as {@code gantry kube policy -f}. */
    static final int MAX_MANIFEST_CHARS = 1 << 20;

    /** One image of one pod, with the node it was decided for (empty: none known) and the decision. */
    public record Row(ClusterPod pod, Optional<String> node, PullDecision decision) {
    }

    private final ClusterAccess access;
    private final FxTasks tasks;
    private final KubeContext context;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper working = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private long asks;

    public PolicyViewModel(ClusterAccess access, FxTasks tasks, KubeContext context) {
        this.access = access;
        this.tasks = tasks;
        this.context = context;
    }

    public KubeContext context() {
        return context;
    }

    /** The decisions of the last question. */
    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    /** Why the last question could not be answered (no class names, with what to do); empty when it was. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Decides for pod {@code name} of {@code namespace} on its node, or on {@code node} when given. */
    public void decideForPod(String namespace, String name, Optional<String> node) {
        String ns = namespace == null || namespace.isBlank() ? context.namespaceOrDefault() : namespace.trim();
        if (name == null || name.isBlank()) {
            fail("Name a pod of namespace " + ns + ".");
            return;
        }
        ask(cluster -> List.of(cluster.pod(ns, name.trim()).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND,
                "pull policy", "no pod " + name.trim() + " in namespace " + ns + " on " + context.name(), null, 0,
                "Check the name and the namespace (kubectl get pods -n " + ns + ").", null))), node);
    }

    /** Decides for the pods {@code manifest} describes, on the node it names or {@code node}. */
    public void decideForManifest(String manifest, Optional<String> node) {
        if (manifest == null || manifest.isBlank()) {
            fail("Paste a Pod or a workload's manifest (Deployment, StatefulSet, DaemonSet, Job, CronJob…).");
            return;
        }
        if (manifest.length() > MAX_MANIFEST_CHARS) {
            fail("The manifest is larger than 1 MiB: give the manifest of one workload.");
            return;
        }
        ask(cluster -> access.clusters().readManifest(manifest), node);
    }

    @FunctionalInterface
    private interface PodSource {
        List<ClusterPod> pods(Cluster cluster);
    }

    private void ask(PodSource source, Optional<String> chosenNode) {
        long ask = ++asks;
        rows.clear();
        error.set("");
        working.set(true);
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(context.name()))) {
                List<ClusterPod> pods = source.pods(cluster);
                boolean needsNodes = chosenNode.isPresent() || pods.stream().anyMatch(p -> p.nodeName().isPresent());
                List<ClusterNode> nodes = needsNodes ? access.preferCri(cluster.nodes()) : List.of();
                List<Row> decided = new ArrayList<>();
                for (ClusterPod pod : pods) {
                    Optional<String> nodeName = chosenNode.or(pod::nodeName);
                    Optional<ClusterNode> onNode = nodeName.flatMap(n -> nodes.stream()
                            .filter(x -> x.name().equals(n)).findFirst());
                    if (nodeName.isPresent() && onNode.isEmpty()) {
                        throw new GantryException(ErrorKind.NOT_FOUND, "pull policy", "no node " + nodeName.get()
                                + " on " + context.name(), null, 0, "Choose one of the cluster's nodes.", null);
                    }
                    for (ClusterPod.PodImage image : pod.images()) {
                        decided.add(new Row(pod, nodeName, KubeletPullRules.decide(image, onNode)));
                    }
                }
                return decided;
            }
        }, decided -> {
            if (ask == asks) {
                working.set(false);
                rows.setAll(decided);
            }
        }, failure -> {
            if (ask == asks) {
                working.set(false);
                error.set(WhereViewModel.describe(failure));
            }
        });
    }

    private void fail(String why) {
        asks++;
        rows.clear();
        working.set(false);
        error.set(why);
    }

    /** "Why does it not pull?" for {@code pod} of this cluster. */
    WhyViewModel why(io.gantry.engine.cluster.ClusterPod pod) {
        return new WhyViewModel(access, tasks, context, pod.namespace(), pod.name());
    }
}
