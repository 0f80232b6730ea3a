package io.gantry.ui.cluster;

import io.gantry.engine.cluster.Clusters;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the composition root hands the window for Kubernetes clusters: the contexts of the user's
 * kubeconfig and a way to reach each one's API server (the same port the CLI's {@code gantry kube}
 * uses). The port is made on first use, on a worker: the Kubernetes client's classes are not
 * loaded while the window starts.
 *
 * @param clusters makes the port (called once, off the FX thread)
 */
public record ClusterAccess(Supplier<Clusters> clusters) {

    public ClusterAccess {
        Objects.requireNonNull(clusters, "clusters");
    }

    /** Access to {@code clusters}, made already (tests). */
    public static ClusterAccess of(Clusters clusters) {
        Objects.requireNonNull(clusters, "clusters");
        return new ClusterAccess(() -> clusters);
    }
}
