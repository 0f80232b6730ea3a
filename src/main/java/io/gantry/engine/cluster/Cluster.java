package io.gantry.engine.cluster;

import java.util.List;
import java.util.Optional;

/**
 * One context's API server. It is read only, except for the writes the user asks for by name
 * ({@link #applyPullSecret}, {@link #attachPullSecret}, {@link #applyPrePuller},
 * {@link #deletePrePuller}). Every call has a deadline; lists are read
 * page by page.
 * Errors are {@link io.gantry.core.GantryException}s: {@code UNAVAILABLE} (the API server cannot be
 * reached or did not answer in time), {@code UNAUTHORIZED}, {@code DENIED} (RBAC forbids it),
 * {@code NOT_FOUND}.
 */
public interface Cluster extends AutoCloseable {

    /** The kubeconfig context this cluster was reached through. */
    KubeContext context();

    /** Every node with the images its kubelet reports ({@code node.status.images}). */
    List<ClusterNode> nodes();

    /** The pods of {@code namespace}, or of every namespace when empty. */
    List<ClusterPod> pods(Optional<String> namespace);

    /** One pod. */
    Optional<ClusterPod> pod(String namespace, String name);

    /** The service accounts of {@code namespace} (every namespace when empty) with their pull secrets. */
    List<PullSecretReferences.ServiceAccountRef> serviceAccounts(Optional<String> namespace);

    /** The secrets of {@code namespace} (every namespace when empty), by name and type only: their data is never kept. */
    List<PullSecretReferences.SecretRef> secrets(Optional<String> namespace);

    /**
     * The registry logins in pull secret {@code name} of {@code namespace}, as the kubelet reads
     * them ({@value PullSecret#TYPE}, or the older {@code kubernetes.io/dockercfg}; a login is a
     * user name and password, or an {@code auth} holding both). Empty when there is no such secret;
     * an empty list when it is no pull secret or holds no usable login. For checking a registry as
     * the pod would: the logins must never be shown or logged.
     */
    Optional<List<io.gantry.engine.RegistryLogin>> pullSecretLogins(String namespace, String name);

    /** The events about pod {@code name} in {@code namespace}, oldest first. */
    List<PodEvent> podEvents(String namespace, String name);

    /** A kubelet's image GC thresholds ({@code imageGCHighThresholdPercent}, {@code imageGCLowThresholdPercent}). */
    record ImageGcThresholds(int highPercent, int lowPercent) {
        /** The kubelet's defaults: GC starts above 85% of the image filesystem and frees down to 80%. */
        public static final ImageGcThresholds DEFAULTS = new ImageGcThresholds(85, 80);
    }

    /**
     * The image GC thresholds of {@code node}'s kubelet, read from its live configuration through
     * the API server ({@code /api/v1/nodes/NODE/proxy/configz}, which needs the {@code nodes/proxy}
     * permission); empty when the kubelet does not say (a default it does not spell out, or no
     * answer), so the caller shows the defaults.
     *
     * @throws io.gantry.core.GantryException {@code DENIED} when RBAC forbids reading it
     */
    Optional<ImageGcThresholds> kubeletImageGc(String node);

    /**
     * The image filesystem of {@code node} as its kubelet measures it, read from the kubelet's summary
     * API through the API server ({@code /api/v1/nodes/NODE/proxy/stats/summary}, which needs the
     * {@code nodes/proxy} permission); empty when the kubelet does not answer or does not report it.
     *
     * @throws io.gantry.core.GantryException {@code DENIED} when RBAC forbids reading it
     */
    Optional<NodeImageFs> imageFilesystem(String node);

    /** What {@link #applyPullSecret} did. */
    enum Applied { CREATED, REPLACED }

    /**
     * Creates {@code secret}, or replaces the pull secret of that name (only one of type
     * {@value PullSecret#TYPE}: another secret of that name is left alone).
     *
     * @throws io.gantry.core.GantryException {@code NOT_FOUND} when the namespace does not exist,
     *     {@code CONFLICT} when a secret of that name has another type or changed meanwhile
     */
    Applied applyPullSecret(PullSecret secret);

    /**
     * Adds {@code secret} to the {@code imagePullSecrets} of service account {@code serviceAccount};
     * false when it is there already.
     *
     * @throws io.gantry.core.GantryException {@code NOT_FOUND} when there is no such service account
     */
    boolean attachPullSecret(String namespace, String serviceAccount, String secret);

    /**
     * Creates the DaemonSet of {@code prePuller}, or replaces one of that name Gantry made (labelled
     * {@code app.kubernetes.io/managed-by: gantry}); another DaemonSet of that name is left alone.
     *
     * @throws io.gantry.core.GantryException {@code NOT_FOUND} when the namespace does not exist,
     *     {@code CONFLICT} when a DaemonSet of that name is not Gantry's or changed meanwhile
     */
    Applied applyPrePuller(PrePuller prePuller);

    /** The progress of pre-puller {@code name} in {@code namespace}; empty when there is no such DaemonSet. */
    Optional<PrePullStatus> prePullStatus(String namespace, String name);

    /**
     * Deletes pre-puller {@code name} (its pods go with it); false when there was none.
     *
     * @throws io.gantry.core.GantryException {@code CONFLICT} when the DaemonSet of that name is not Gantry's
     */
    boolean deletePrePuller(String namespace, String name);

    @Override
    void close();
}
