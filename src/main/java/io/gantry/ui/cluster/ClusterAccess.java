package io.gantry.ui.cluster;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.cluster.Clusters;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.service.NodeCris;
import io.gantry.service.PodRegistryCheck;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    private final Supplier<Optional<PodRegistryCheck>> registryCheck;
    private final Supplier<NodeCris> nodeCris;
    private volatile Clusters clusters;

    /**
     * @param make   makes the port; called once, on the first worker that needs it
     * @param logins the user's registry logins (a helper may run: call off the FX thread)
     */
    public ClusterAccess(Supplier<Clusters> make, EngineCredentials logins) {
        this(make, logins, Optional::empty, NodeCris::none);
    }

    private ClusterAccess(Supplier<Clusters> make, EngineCredentials logins,
                          Supplier<Optional<PodRegistryCheck>> registryCheck, Supplier<NodeCris> nodeCris) {
        this.make = Objects.requireNonNull(make, "make");
        this.logins = Objects.requireNonNull(logins, "logins");
        this.registryCheck = Objects.requireNonNull(registryCheck, "registryCheck");
        this.nodeCris = Objects.requireNonNull(nodeCris, "nodeCris");
    }

    /**
     * The same access, whose "why does it not pull?" also asks the registry with the pod's logins
     * ({@code check}, made on first use on a worker).
     */
    public ClusterAccess withRegistryCheck(Supplier<PodRegistryCheck> check) {
        Objects.requireNonNull(check, "check");
        return new ClusterAccess(make, logins, () -> Optional.of(check.get()), nodeCris);
    }

    /**
     * The same access, reading a node's images from its own CRI where one on this machine is that
     * node ({@link NodeCris#RULE}); {@code open} is called on a worker for each read and closed after it.
     */
    public ClusterAccess withNodeCris(Supplier<NodeCris> open) {
        Objects.requireNonNull(open, "open");
        return new ClusterAccess(make, logins, registryCheck, open);
    }

    /**
     * {@code nodes}, those whose CRI Gantry reaches with the CRI's images ({@link NodeCris#preferCri}).
     * Call off the FX thread: it asks the CRIs.
     */
    List<ClusterNode> preferCri(List<ClusterNode> nodes) {
        try (NodeCris cris = nodeCris.get()) {
            return cris.preferCri(nodes);
        }
    }

    /** The nodes' CRIs, opened on first use; the caller closes them. Call off the FX thread. */
    NodeCris openNodeCris() {
        return nodeCris.get();
    }

    /** The check of a pod's image at its registry, when the window has one. Call off the FX thread. */
    Optional<PodRegistryCheck> registryCheck() {
        return registryCheck.get();
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
