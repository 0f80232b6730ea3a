package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.NodePullProgress;
import io.gantry.engine.NodePullResult;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.PrePullProgress;
import io.gantry.engine.cluster.PrePullStatus;
import io.gantry.engine.cluster.PrePuller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A pre-pull onto a cluster's nodes (issue 16), the one path of {@code gantry kube prepull} and the
 * window's "Pre-pull to nodes…": which nodes it is for (those the {@link PrePuller}'s labels select,
 * narrowed to chosen names when the window chooses them), which of them pull through their own CRI
 * ({@link NodeCris#find}: the CRI's {@code PullImage} with the user's login, as the kubelet pulls) and
 * the DaemonSet for the others, which leaves the CRI ones and the ones not chosen out by a node
 * affinity on their names; then each node's progress from the pre-puller's pods and the nodes'
 * image lists ({@link PrePullProgress}). Plain Java; every call goes to the cluster or a CRI, so call
 * it off the FX thread.
 */
public final class PrePulls {

    private PrePulls() {
    }

    /**
     * What a pre-pull will do.
     *
     * @param context   the kubeconfig context, as named
     * @param prePuller the pre-puller for every node it is for (no node left out): what progress is read against
     * @param nodes     the nodes it is for (selected by the labels, and chosen), as the API server lists them
     * @param direct    those of them that pull through their own CRI, by name
     * @param daemonSet the DaemonSet to apply: {@code prePuller} leaving out the direct nodes and the ones not chosen
     */
    public record Plan(String context, PrePuller prePuller, List<ClusterNode> nodes, Map<String, NodeCris.NodeCri> direct,
                       PrePuller daemonSet) {
        public Plan {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(prePuller, "prePuller");
            nodes = List.copyOf(nodes);
            direct = java.util.Collections.unmodifiableMap(new TreeMap<>(direct));
            Objects.requireNonNull(daemonSet, "daemonSet");
        }

        /** Whether some node needs the DaemonSet: one its CRI does not cover, or no node at all (it may come later). */
        public boolean daemonSetNeeded() {
            return direct.isEmpty() || nodes.size() > direct.size();
        }

        /** The DaemonSet as YAML, as it is applied; empty when every node pulls through its CRI. */
        public String yaml() {
            return daemonSetNeeded() ? daemonSet.yaml() : "";
        }

        /** The names of the nodes the DaemonSet pulls onto (the ones not pulling through their CRI). */
        public List<String> throughDaemonSet() {
            return nodes.stream().map(ClusterNode::name).filter(n -> !direct.containsKey(n)).toList();
        }

        /** The names of the nodes it is for. */
        public Set<String> nodeNames() {
            Set<String> names = new TreeSet<>();
            nodes.forEach(n -> names.add(n.name()));
            return names;
        }
    }

    /**
     * The plan of {@code everyNode} on {@code cluster}: the nodes its labels select, only those named
     * in {@code chosen} when given; with {@code throughCri}, the ones whose CRI {@code cris} reaches pull
     * through it.
     */
    public static Plan plan(Cluster cluster, NodeCris cris, PrePuller everyNode, boolean throughCri,
                            Optional<Set<String>> chosen) {
        List<ClusterNode> selected = new ArrayList<>();
        Set<String> leftOut = new TreeSet<>();
        for (ClusterNode node : cluster.nodes()) {
            if (!everyNode.selects(node.labels())) {
                continue;
            }
            if (chosen.isPresent() && !chosen.get().contains(node.name())) {
                leftOut.add(node.name());
            } else {
                selected.add(node);
            }
        }
        Map<String, NodeCris.NodeCri> direct = new TreeMap<>();
        if (throughCri) {
            for (ClusterNode node : selected) {
                cris.find(node).ifPresent(cri -> direct.put(node.name(), cri));
            }
        }
        leftOut.addAll(direct.keySet());
        return new Plan(cluster.context().name(), everyNode, selected, direct, everyNode.withoutNodes(leftOut));
    }

    /**
     * Pulls {@code image} onto a node through its CRI, reporting what arrives; cancelled by {@code cancellation}.
     *
     * @throws GantryException when the pull fails (the runtime's words, and which login Gantry sent)
     */
    public static NodePullResult pullThroughCri(NodeCris.NodeCri cri, String image, Consumer<NodePullProgress> progress,
                                                Cancellation cancellation) {
        return cri.store().pullToNode(ImageReference.parse(image), progress, cancellation);
    }

    /** Creates or replaces the plan's DaemonSet ({@link Plan#daemonSet()}). */
    public static Cluster.Applied applyDaemonSet(Cluster cluster, Plan plan) {
        return cluster.applyPrePuller(plan.daemonSet());
    }

    /**
     * Where the pre-pull of {@code prePuller} stands on each node it is for (only those named in
     * {@code chosen} when given), the nodes' images from their CRIs where Gantry reaches them; empty
     * when {@code daemonSetExpected} and its DaemonSet is not there (deleted meanwhile, or never applied).
     */
    public static Optional<PrePullProgress> progress(Cluster cluster, NodeCris cris, PrePuller prePuller,
                                                     Optional<Set<String>> chosen, boolean daemonSetExpected) {
        Optional<PrePullStatus> found = cluster.prePullStatus(prePuller.namespace(), prePuller.name());
        if (found.isEmpty() && daemonSetExpected) {
            return Optional.empty();
        }
        List<ClusterNode> nodes = cris.preferCri(cluster.nodes()).stream()
                .filter(n -> chosen.isEmpty() || chosen.get().contains(n.name())).toList();
        return Optional.of(PrePullProgress.of(prePuller, found.orElse(new PrePullStatus(0, List.of())), nodes));
    }
}
