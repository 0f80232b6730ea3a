package io.gantry.ui.cluster;

import io.gantry.engine.cluster.Clusters;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the composition root hands the window for Kubernetes clusters: the contexts of the user's
 * kubeconfig and a way to reach each one's API server (the same port the CLI's {@code gantry kube}
 * uses). The port is made on first use, on a worker: the Kubernetes client's classes are not
 * loaded while the window starts.
 */
public final class ClusterAccess {

    private final Supplier<Clusters> make;
    private volatile Clusters clusters;

    /** @param make makes the port; called once, on the first worker that needs it */
    public ClusterAccess(Supplier<Clusters> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    /** Access to {@code clusters}, made already (tests). */
    public static ClusterAccess of(Clusters clusters) {
        Objects.requireNonNull(clusters, "clusters");
        return new ClusterAccess(() -> clusters);
    }

    /** The port; made by the first caller. Call off the FX thread. */
    Clusters clusters() {
        Clusters made = clusters;
        if (made == null) {
            synchronized (this) {
                if (clusters == null) {
                    clusters = Objects.requireNonNull(make.get(), "clusters");
                }
                made = clusters;
            }
        }
        return made;
    }
}
