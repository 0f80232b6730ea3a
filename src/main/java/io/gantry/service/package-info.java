/**
 * Use cases over the endpoints, plain Java (no JavaFX); the GUI and the CLI are both thin layers
 * over them:
 * <ul>
 *   <li>{@link io.gantry.service.EndpointCatalog} and {@link io.gantry.service.ImageTable}: the
 *       endpoints and how {@code docker images} presents them;</li>
 *   <li>{@link io.gantry.service.PullService}: the one pull path of the window and the CLI, into
 *       any endpoint, progress in batches of at most about ten a second
 *       ({@link io.gantry.service.ThrottledProgress}); {@link io.gantry.service.PullBoard} keeps the
 *       per-layer rows both front ends draw;</li>
 *   <li>{@link io.gantry.service.RegistryBrowser}: registry search and tag lists, and a tag read without
 *       pulling ({@link io.gantry.service.RemoteImage}), whose layers {@link io.gantry.service.LocalLayers}
 *       marks where an endpoint already has them;</li>
 *   <li>{@link io.gantry.service.ImageCopier}: an image from one endpoint into another (the
 *       source's archive stream piped into the destination's load, the image ID checked), or
 *       between an endpoint and a registry (the destination's pull, the source's push), with a
 *       row per layer from {@link io.gantry.service.ArchiveLayers} (the archive's tar headers read
 *       as they stream past), a push's rows from {@link io.gantry.service.PushRows} (which also reads
 *       the registry reference a user types as a copy's target);</li>
 *   <li>{@link io.gantry.service.RegistryCopy}: an image or index from one registry to another (or
 *       within one), digests kept, in {@code docker push}'s words;</li>
 *   <li>{@link io.gantry.service.PodRegistryCheck}: a Kubernetes pod's failing image asked of its
 *       registry with the logins of the pod's own pull secrets;</li>
 *   <li>{@link io.gantry.service.NodeCris}: which containerd endpoint on this machine is a
 *       Kubernetes node's own CRI, so that node's images come from the CRI (all of them, with
 *       digests) instead of the kubelet's capped {@code node.status.images};</li>
 *   <li>{@link io.gantry.service.PrePulls}: a pre-pull onto a cluster's nodes, the one path of
 *       {@code gantry kube prepull} and the window's "Pre-pull to nodes…": the plan (which nodes pull
 *       through their own CRI, the DaemonSet for the others), the CRI pulls, the DaemonSet applied,
 *       each node's progress;</li>
 *   <li>{@link io.gantry.service.LayerRows}: an image's layers with the images sharing each, on
 *       top of {@code service.analysis};</li>
 *   <li>{@code service.analysis}: chain IDs, shared and unique size, reclaim planning, layer
 *       contents.</li>
 * </ul>
 */
package io.gantry.service;
