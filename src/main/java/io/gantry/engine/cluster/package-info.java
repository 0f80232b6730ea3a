/**
 * Kubernetes clusters, as Gantry sees them: the port ({@link io.gantry.engine.cluster.Clusters}, the
 * contexts of the user's kubeconfig; {@link io.gantry.engine.cluster.Cluster}, one context's API
 * server, read-only but for the writes the user asks for) in Gantry's own records, the pull secret
 * built from the user's registry logins ({@link io.gantry.engine.cluster.PullSecret}, redacted in
 * every preview), the pre-puller DaemonSet ({@link io.gantry.engine.cluster.PrePuller}) and its
 * progress ({@link io.gantry.engine.cluster.PrePullStatus} per pod, {@link
 * io.gantry.engine.cluster.PrePullProgress} per node), and the kubelet's image rules as pure code
 * ({@link io.gantry.engine.cluster.KubeletPullRules}: the default pull policy and what the kubelet
 * does for each container image on a node; {@link io.gantry.engine.cluster.ImageWhereabouts}:
 * which nodes hold an image and which pods use it).
 *
 * <p>The adapter over fabric8's Kubernetes client is {@code engine.cluster.fabric8}; nothing else
 * imports fabric8 (ArchitectureTest). The rules here import only {@code core}, the engine's
 * {@code RegistryLogin} and this package.
 */
package io.gantry.engine.cluster;
