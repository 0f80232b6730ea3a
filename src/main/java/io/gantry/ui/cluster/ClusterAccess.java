package io.gantry.ui.cluster;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.cluster.Clusters;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the composition root hands the window for Kubernetes clusters: the contexts of the user's
 * kubeconfig and a way to reach each one's API server (the same port the CLI's {@code gantry kube}
 * uses), and the user's registry logins for pull secrets (the Docker credential chain {@code gantry
 * kube pull-secret} uses). The port is made on first use, on a worker: the Kubernetes client's classes are not
 * loaded while the window starts.
 */
public final class ClusterAccess {

    private final Supplier<Clusters> make;
    private final EngineCredentials logins;
    private volatile Clusters clusters;

    /**
     * @param make   makes the port; called once, on the first worker that needs it
     * @param logins the user's registry logins (a helper may run: call off the FX thread)
     */
    public ClusterAccess(Supplier<Clusters> make, EngineCredentials logins) {
        this.make = Objects.requireNonNull(make, "make");
        this.logins = Objects.requireNonNull(logins, "logins");
    }

    /** Access without registry logins: a pull secret finds none. */
    public ClusterAccess(Supplier<Clusters> make) {
        this(make, EngineCredentials.anonymous());
    }

    /** Access to {@code clusters}, made already (tests). */
    public static ClusterAccess of(Clusters clusters) {
        return of(clusters, EngineCredentials.anonymous());
    }

    /** Access to {@code clusters}, made already, with {@code logins} (tests). */
    public static ClusterAccess of(Clusters clusters, EngineCredentials logins) {
        Objects.requireNonNull(clusters, "clusters");
        return new ClusterAccess(() -> clusters, logins);
    }

    /** The user's registry logins. Call off the FX thread: a credential helper may run. */
    EngineCredentials logins() {
        return logins;
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
