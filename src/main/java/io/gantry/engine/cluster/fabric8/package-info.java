/**
 * The {@link io.gantry.engine.cluster.Clusters} port over fabric8's Kubernetes client (its JDK
 * HTTP client, not Vert.x, every answer capped by {@link io.gantry.engine.cluster.fabric8.AnswerCap}):
 * the kubeconfig files merged as kubectl merges them
 * ({@link io.gantry.engine.cluster.fabric8.KubeconfigFiles}), one context's API server read with
 * a deadline on every call and lists read page by page
 * ({@link io.gantry.engine.cluster.fabric8.Fabric8Cluster}), fabric8's model translated into
 * Gantry's records at this boundary ({@link io.gantry.engine.cluster.fabric8.ModelTranslation}) and
 * its failures into {@link io.gantry.core.GantryException}s
 * ({@link io.gantry.engine.cluster.fabric8.KubeErrors}). Writes are few and asked for by the user: a
 * pull secret, a service account's pull secrets, a pre-puller DaemonSet
 * ({@link io.gantry.engine.cluster.fabric8.PrePullerObjects}); pull secrets are read back only as
 * logins for a registry check ({@link io.gantry.engine.cluster.fabric8.DockerConfigJson}).
 *
 * <p>This package alone imports fabric8 (ArchitectureTest); the composition root builds it.
 */
package io.gantry.engine.cluster.fabric8;
