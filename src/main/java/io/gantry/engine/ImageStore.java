package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.function.Consumer;

/**
 * The port every endpoint implements, so the GUI and the CLI treat the embedded store and a
 * Docker-compatible engine alike. Every method may block on I/O and throws
 * {@link io.gantry.core.GantryException} on failure; callers run it off the UI thread. An endpoint
 * that does not answer fails with {@code UNAVAILABLE}, and answers again on a later call once it is
 * back: there is no separate reconnect step.
 *
 * <p>Images are named by strings ({@code "alpine"}, {@code "localhost:5000/app:1"}, an image ID or
 * ID prefix) as the user types them, and platforms as {@code "os/arch[/variant]"}; these become the
 * core {@code ImageReference} and {@code Platform} types once those land.
 *
 * <p>The rules (untag versus delete, conflicts, prune, shared size) are Docker's, as DESIGN.md
 * describes them; an endpoint without containers or parent links (the embedded store) simply never
 * has the conflicts those cause.
 */
public interface ImageStore extends AutoCloseable {

    /** Which endpoint this is; available without I/O. */
    Endpoint endpoint();

    /** Asks the endpoint about itself; fails with {@code UNAVAILABLE} when it does not answer. */
    EngineInfo info();

    /**
     * Every image, tagged and dangling (as {@code docker images}; intermediate build images are
     * left out), with size, shared and unique size as {@code docker system df -v} computes them,
     * and the number of containers using each.
     */
    List<ImageSummary> listImages();

    /**
     * Bytes the images take on disk, each layer counted once however many images share it, as
     * {@code docker system df} gives the Images' SIZE; empty when the endpoint cannot say. (The sum of
     * {@link ImageSummary#size()} counts a shared layer once per image.)
     */
    default java.util.OptionalLong diskUsage() {
        return java.util.OptionalLong.empty();
    }

    /** One image in full; {@code NOT_FOUND} when there is no such image. */
    ImageDetails inspect(String image);

    /** An image's history, newest step first; {@code NOT_FOUND} when there is no such image. */
    List<HistoryEntry> history(String image);

    /** Every container, running and stopped, newest first; empty for an endpoint without containers. */
    List<ContainerRef> containers();

    /** The containers (running and stopped) created from the image with this ID, running ones first. */
    default List<ContainerRef> containersUsing(Digest imageId) {
        return containers().stream().filter(c -> c.imageId().equals(imageId))
                .sorted((a, b) -> Boolean.compare(b.running(), a.running())).toList();
    }

    /** The IDs of the images whose parent is this image (built or committed on it), sorted. */
    List<Digest> children(Digest imageId);

    /**
     * Pulls an image, reporting per-layer progress to {@code progress} on the calling thread.
     * Fails with {@code CANCELLED} when {@code cancel} fires, {@code NOT_FOUND} when the registry
     * has no such image, {@code UNAUTHORIZED}/{@code DENIED} when credentials are missing or wrong.
     */
    PullResult pull(PullRequest request, Consumer<PullProgress> progress, CancelSignal cancel);

    /**
     * Deletes or untags an image as {@code docker rmi [--force]} does. A refusal by the delete
     * rules is a result with a typed {@link DeleteConflict}, not an exception; {@code NOT_FOUND}
     * when there is no such image.
     */
    DeleteResult delete(String image, boolean force);

    /**
     * Removes dangling or all unused images as {@code docker image prune [-a]} does; with
     * {@code dryRun} removes nothing and returns exactly what the real run would remove and the
     * bytes it would reclaim.
     */
    PruneResult prune(PruneMode mode, boolean dryRun);

    /**
     * The image as the {@code docker save} tar stream ({@code GET /images/{name}/get}), for reading
     * its layers without writing them to disk; the caller closes it. Endpoints that keep layer blobs
     * of their own (the embedded store) need not support it: the default fails with
     * {@code INVALID_INPUT}.
     */
    default java.io.InputStream export(String image) {
        throw new io.gantry.core.GantryException(io.gantry.core.ErrorKind.INVALID_INPUT, "export " + image,
                endpoint().name() + " cannot export images as a stream");
    }

    /**
     * Follows the endpoint's image and container events until the subscription is closed,
     * reconnecting by itself when the endpoint goes away and comes back.
     */
    Subscription subscribe(StoreEventListener listener);

    @Override
    void close();
}
