/**
 * containerd as an endpoint: {@link io.gantry.engine.containerd.ContainerdStore} implements the
 * {@link io.gantry.engine.ImageStore} port over containerd's own gRPC API on its unix socket
 * (grpc-java, Netty's epoll transport for unix domain sockets), one namespace at a time: version,
 * namespaces, images, content, containers and tasks.
 *
 * <p>The stubs are generated at build time from {@code src/main/proto/containerd/*.proto}, which
 * Gantry keeps itself: only the services, messages and fields it uses, with containerd's package
 * names and field numbers (the wire format), in {@code io.gantry.engine.containerd.api.*}. Every
 * call carries the {@code containerd-namespace} header and a deadline; answers are capped at
 * 16 MiB, whole blobs read at 4 MiB and checked against their digest.
 *
 * <p>Images are containerd's image records grouped by the config their target resolves to, sizes
 * are the layer blobs' (as the embedded store counts them), SHARED comes from core's
 * {@code ChainSharing} (by blob, as the content store keeps layers). A listing reads content only
 * for targets it has not seen: what it needs of each ({@code ListingFacts}) is kept by target
 * digest, in a file per socket and namespace when the store is opened with a directory for it, and
 * used while {@code Content/List} shows the blobs. Deletes and prunes are planned by
 * {@code engine.rules} with the namespace's containers first, because containerd removes an image
 * a container uses without refusing.
 * {@code ContainerdPulls} pulls through Gantry's registry client into the content store under a
 * lease and then names the image; {@code ContainerdLoads} loads an OCI archive stream the same way
 * (blobs written as they arrive, the names created only once all are in), {@code tag} creates an
 * image record pointing where the source's does (so a copy can name the image anew), and {@code save} writes
 * images of a namespace as an archive with the shared {@code engine.archive.ArchiveWriter} (so a
 * namespace can be a copy's source); {@code ContainerdDiscovery} finds the sockets; {@code ContainerdNode}
 * reads the CRI plugin's image service ({@code src/main/proto/cri}) for the Kubernetes node view;
 * {@code CriPulls} pulls onto the node through the CRI's {@code PullImage} with the user's login as
 * the CRI's {@code AuthConfig}, watching the content store's ingests for progress;
 * {@code CriRuntime} reads the CRI's runtime service (pod and container names, the configured
 * sandbox image, pinned images) and {@code NodeKeeps} makes the latter two images the node keeps. {@code ContainerdEvents} follows
 * containerd's event stream (every namespace's image, container, task and namespace events).
 */
package io.gantry.engine.containerd;
