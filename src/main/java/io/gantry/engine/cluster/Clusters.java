package io.gantry.engine.cluster;

import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes clusters of the user's kubeconfig ({@code KUBECONFIG}, several files merged as
 * kubectl merges them, else {@code ~/.kube/config}).
 */
public interface Clusters {

    /**
     * Every context, the current one first, then by name; empty when there is no kubeconfig.
     *
     * @throws io.gantry.core.GantryException {@code INVALID_INPUT} when a kubeconfig file cannot be read
     */
    List<KubeContext> contexts();

    /**
     * Connects to the API server of {@code context} (empty: the current context). Nothing is sent
     * until a method of the cluster is called.
     *
     * @throws io.gantry.core.GantryException {@code NOT_FOUND} when there is no such context (or no
     *     kubeconfig at all), naming the contexts there are
     */
    Cluster connect(Optional<String> context);

    /**
     * The pods a manifest describes (a Pod, or the pod template of a Deployment, StatefulSet,
     * DaemonSet, ReplicaSet, Job or CronJob; several documents separated by {@code ---}), as they
     * were written: a pull policy the author left out stays empty, for
     * {@link KubeletPullRules} to default.
     *
     * @throws io.gantry.core.GantryException {@code INVALID_INPUT} when the text is no such manifest
     */
    List<ClusterPod> readManifest(String yaml);
}
