package io.gantry.engine.cluster;

import java.util.List;
import java.util.Optional;

/**
 * One context's API server, read-only. Every call has a deadline; lists are read page by page.
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

    /** The events about pod {@code name} in {@code namespace}, oldest first. */
    List<PodEvent> podEvents(String namespace, String name);

    @Override
    void close();
}
