package io.gantry.engine;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The port every endpoint implements, so the GUI and the CLI treat the embedded store and a
 * Docker-compatible engine alike. Every method may block on I/O and throws
 * {@link io.gantry.core.GantryException} on failure; callers run it off the UI thread. An endpoint
 * that does not answer fails with {@code UNAVAILABLE}, and answers again on a later call once it is
 * back: there is no separate reconnect step.
 *
 * <p>Local images are named by an {@link ImageKey} (a reference, or an image ID or ID prefix, as
 * Docker's image commands take them), images to pull by an {@link ImageReference} and a
 * {@link io.gantry.core.Platform}, and long work is cancelled through a {@link Cancellation}, all
 * from {@code core}.
 *
 * <p>The rules (untag versus delete, conflicts, prune, shared size) are Docker's, as DESIGN.md
 * describes them; an endpoint without containers or parent links (the embedded store) simply never
 * has the conflicts those cause.
 *
 * <p>What an endpoint can do beyond listing, inspecting, pulling, deleting and pruning is in its
 * {@link #capabilities()}; callers enable actions from it and never ask which kind of endpoint
 * they hold. A method whose capability is missing fails with {@code INVALID_INPUT}.
 */
public interface ImageStore extends AutoCloseable {

    /**
     * Which endpoint this is; available without I/O. An engine found at an address that looked like
     * Docker's is labelled Podman once it has been asked something and answered as Podman.
     */
    Endpoint endpoint();

    /**
     * Whether the docker CLI would use this endpoint right now ({@code DOCKER_HOST} or its current
     * context); available without I/O.
     */
    default boolean dockerCurrent() {
        return false;
    }

    /** What this endpoint can do; available without I/O. */
    Capabilities capabilities();

    /**
     * The namespaces the endpoint keeps images in (containerd's {@code default}, {@code k8s.io},
     * {@code moby}…), sorted; empty for an endpoint without namespaces. Asks the endpoint.
     */
    default List<String> namespaces() {
        return List.of();
    }

    /** The namespace this store shows; empty for an endpoint without namespaces. Available without I/O. */
    default java.util.Optional<String> namespace() {
        return java.util.Optional.empty();
    }

    /**
     * The same endpoint showing {@code namespace} (over the same connection; closing either leaves
     * the other working). Needs {@code NAMESPACES}.
     */
    default ImageStore inNamespace(String namespace) {
        throw Capabilities.unsupported(endpoint(), "switch namespaces");
    }

    /**
     * The endpoint as a Kubernetes node's image cache, as the kubelet sees it through the CRI:
     * images with pinned and in-use, the image filesystem against the kubelet's GC thresholds.
     * Needs {@code NODE_IMAGES}.
     */
    default NodeImageCache nodeImageCache() {
        throw Capabilities.unsupported(endpoint(), "show a Kubernetes node's image cache");
    }

    /**
     * Pulls {@code image} into the node's image cache through its runtime (the CRI's
     * {@code PullImage}, as the kubelet pulls), with the user's registry credentials for the
     * image's registry. The runtime reports no progress; {@code progress} gets what can be seen
     * from outside ({@link NodePullProgress}) about twice a second. Needs {@code NODE_IMAGES}.
     */
    default NodePullResult pullToNode(ImageReference image, Consumer<NodePullProgress> progress,
                                      Cancellation cancellation) {
        throw Capabilities.unsupported(endpoint(), "pull onto a Kubernetes node");
    }

    /**
     * Images the endpoint must keep whatever Docker's rules allow (a Kubernetes node's sandbox image,
     * pinned images), with why; delete and prune plans hold them ({@code engine.rules.KeptImages}).
     * Empty by default; asks the endpoint.
     */
    default List<KeptImage> keptImages() {
        return List.of();
    }

    /** Asks the endpoint about itself; fails with {@code UNAVAILABLE} when it does not answer. */
    EngineInfo info();

    /**
     * Every image, tagged and dangling (as {@code docker images}; intermediate build images are
     * left out), with size, shared and unique size as {@code docker system df -v} computes them,
     * and the number of containers using each.
     */
    List<ImageSummary> listImages();

    /**
     * The manifest lists the endpoint keeps locally apart from its images (Podman's
     * {@code podman manifest create}); empty where it keeps none. They are not in
     * {@link #listImages()}, as Docker's compatible listing leaves them out too.
     */
    default List<ManifestList> manifestLists() {
        return List.of();
    }

    /**
     * Bytes the images take on disk, each layer counted once however many images share it, as
     * {@code docker system df} gives the Images' SIZE; empty when the endpoint cannot say. (The sum of
     * {@link ImageSummary#size()} counts a shared layer once per image.)
     */
    default java.util.OptionalLong diskUsage() {
        return java.util.OptionalLong.empty();
    }

    /** {@link #listImages()} and {@link #diskUsage()} together, as a listing view shows them. */
    record Listing(List<ImageSummary> images, java.util.OptionalLong diskUsage) {
        public Listing {
            images = List.copyOf(images);
        }
    }

    /**
     * {@link #listImages()} and {@link #diskUsage()} in one go. The default asks for each; an
     * endpoint whose listing and disk use come from one answer (an engine's {@code /system/df})
     * asks once.
     */
    default Listing listWithDiskUsage() {
        return new Listing(listImages(), diskUsage());
    }

    /** One image in full; {@code NOT_FOUND} when there is no such image. */
    ImageDetails inspect(ImageKey image);

    /** An image's history, newest step first; {@code NOT_FOUND} when there is no such image. */
    List<HistoryEntry> history(ImageKey image);

    /**
     * The image's layers, base first: diff ID, the stored blob where the endpoint keeps one, the
     * size the endpoint counts and the history step that made each. {@code NOT_FOUND} when there
     * is no such image.
     */
    List<ImageLayer> layers(ImageKey image);

    /**
     * Every image of {@link #listImages()} with its names, parent and layers, for Docker's image
     * rules and the layer analysis. The default asks for each image's details and layers; an
     * endpoint that has them at hand gives them in one read.
     */
    default List<LocalImage> localImages() {
        List<LocalImage> images = new java.util.ArrayList<>();
        for (ImageSummary summary : listImages()) {
            ImageKey id = ImageKey.of(summary.id());
            ImageDetails details = inspect(id);
            images.add(new LocalImage(summary.id(), details.repoTags(), details.repoDigests(), details.parent(),
                    layers(id)));
        }
        return images;
    }

    /** Every container, running and stopped, newest first; empty for an endpoint without containers. */
    List<ContainerRef> containers();

    /**
     * Each container's writable layer in bytes ({@code SizeRw}, what {@code docker system df}
     * and {@code docker ps -s} count), by full container ID; empty where the endpoint cannot tell.
     * Can be slow on an engine with many containers: ask only when the sizes are shown.
     */
    default Optional<Map<String, Long>> containerSizes() {
        return Optional.empty();
    }

    /** The containers (running and stopped) created from the image with this ID, running ones first. */
    default List<ContainerRef> containersUsing(Digest imageId) {
        return containers().stream().filter(c -> c.imageId().equals(imageId))
                .sorted((a, b) -> Boolean.compare(b.running(), a.running())).toList();
    }

    /**
     * Removes the containers with these IDs, one by one, as {@code docker rm} without {@code -f}:
     * a running container is never removed; the endpoint's refusal (in its own words) is that
     * container's result, and the others are still tried. Fails with {@code UNAVAILABLE} when the
     * endpoint does not answer. Needs {@code REMOVE_CONTAINERS}.
     */
    default List<ContainerRemoval> removeContainers(List<String> ids) {
        throw Capabilities.unsupported(endpoint(), "remove containers");
    }

    /** The IDs of the images whose parent is this image (built or committed on it), sorted. */
    List<Digest> children(Digest imageId);

    /**
     * Pulls an image, reporting per-layer progress to {@code progress} on the calling thread.
     * Fails with {@code CANCELLED} when {@code cancellation} is cancelled, {@code NOT_FOUND} when the registry
     * has no such image, {@code UNAUTHORIZED}/{@code DENIED} when credentials are missing or wrong.
     */
    PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation);

    /**
     * Pushes the local image {@code image} names to the registry in that name, as {@code docker push}:
     * layers the repository has are skipped, layers another repository of the registry has are
     * mounted, the manifest keeps its bytes (so its digest). Progress goes to {@code progress} on
     * the calling thread. Fails with {@code NOT_FOUND} when there is no such local image,
     * {@code UNAUTHORIZED}/{@code DENIED} as a pull does, {@code CANCELLED} when cancelled; a push
     * started again skips what the first one finished. Needs {@code PUSH}.
     */
    default PushResult push(ImageReference image, Consumer<PushProgress> progress, Cancellation cancellation) {
        throw Capabilities.unsupported(endpoint(), "push images");
    }

    /**
     * The manifest {@link #push} would send for the local image {@code source} (media type, digest,
     * size), where the endpoint keeps manifests; empty elsewhere or when there is no such image.
     */
    default java.util.Optional<io.gantry.core.Descriptor> pushedManifest(ImageKey source) {
        return java.util.Optional.empty();
    }

    /**
     * Pushes the local image {@code source} (a name or ID) into {@code repository}, under {@code tag}
     * or, without one, by its manifest's digest alone (a manifest list's child); otherwise as
     * {@link #push(ImageReference, Consumer, Cancellation)}. Needs {@code PUSH}; an endpoint that
     * pushes only under the image's own name (an engine) refuses.
     */
    default PushResult push(ImageKey source, io.gantry.core.Repository repository, java.util.Optional<String> tag,
                            Consumer<PushProgress> progress, Cancellation cancellation) {
        throw Capabilities.unsupported(endpoint(), "push an image under another name");
    }

    /**
     * Deletes or untags an image as {@code docker rmi [--force]} does. A refusal by the delete
     * rules is a result with a typed {@link DeleteConflict}, not an exception; {@code NOT_FOUND}
     * when there is no such image.
     */
    DeleteResult delete(ImageKey image, boolean force);

    /**
     * Removes dangling or all unused images as {@code docker image prune [-a]} does; with
     * {@code dryRun} removes nothing and returns exactly what the real run would remove and the
     * bytes it would reclaim.
     */
    PruneResult prune(PruneMode mode, boolean dryRun);

    /**
     * The image as the {@code docker save} tar stream ({@code GET /images/{name}/get}), for reading
     * its layers without writing them to disk; the caller closes it. Needs {@link Capabilities#export()}.
     */
    default InputStream export(ImageKey image) {
        throw Capabilities.unsupported(endpoint(), "export " + image + " as a stream");
    }

    /** A layer's stored blob, as {@link ImageLayer#blob()} names it; the caller closes it. Needs {@code LAYER_BLOBS}. */
    default InputStream openLayer(Digest blob) {
        throw Capabilities.unsupported(endpoint(), "read layer blobs");
    }

    /**
     * Gives the image {@code source} (a name or ID) the additional name {@code target}, as
     * {@code docker tag}: a name that named another image moves to this one. Needs {@code TAG}.
     */
    default void tag(ImageKey source, ImageReference target) {
        throw Capabilities.unsupported(endpoint(), "tag images");
    }

    /**
     * Writes images (names or IDs) as one archive, layers they share once, as {@code docker save}
     * does. Needs {@code SAVE}.
     */
    default void save(List<ImageKey> images, ArchiveFormat format, OutputStream out) {
        throw Capabilities.unsupported(endpoint(), "save images");
    }

    /** Loads the images of a docker save or OCI archive, gzipped or not. Needs {@code LOAD}. */
    default LoadResult load(InputStream archive) {
        throw Capabilities.unsupported(endpoint(), "load images");
    }

    /**
     * The archive format {@link #load} takes best (an image copied into this endpoint is streamed
     * in it): OCI where the endpoint keeps blobs as they are (no recompression, layers it has are
     * recognised by digest), {@code docker save}'s format where only that is sure to load.
     */
    default ArchiveFormat loadFormat() {
        return ArchiveFormat.DOCKER;
    }

    /** Loads the images of an archive file. Needs {@code LOAD}. */
    default LoadResult load(Path archive) {
        throw Capabilities.unsupported(endpoint(), "load images");
    }

    /** Checks the digest and size of every stored blob, like {@code git fsck}; repairs nothing. Needs {@code VERIFY}. */
    default VerifyReport verify() {
        throw Capabilities.unsupported(endpoint(), "verify its storage");
    }

    /**
     * Follows the endpoint's image and container events until the subscription is closed,
     * reconnecting by itself when the endpoint goes away and comes back.
     */
    Subscription subscribe(StoreEventListener listener);

    @Override
    void close();
}
