package io.gantry.registry;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.ParallelWork;
import io.gantry.core.Platform;
import io.gantry.core.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Copies an image, or a whole index, from one repository to another ({@link RegistryClient#copy}),
 * as {@code skopeo copy docker://… docker://…} does:
 *
 * <ol>
 *   <li>the source manifest is read; with a platform, an index is narrowed to that child;</li>
 *   <li>every blob of every image is sent once (a layer two children share is one row), config
 *       after layers: skipped when the target has it, mounted from the source repository when both
 *       are in the same registry, else streamed from the source to the target through a pipe
 *       ({@link RelayedBlob}: no temporary copy);</li>
 *   <li>each child manifest is put by digest, then the copied manifest under the target's tag (or
 *       digest), always with the bytes the source served, so every digest stays the same.</li>
 * </ol>
 *
 * <p>Blobs go {@value #PARALLEL_UPLOADS} at a time, as {@code docker push} sends layers, each on a
 * thread of this copy; the listener is called on the calling thread only. The first blob that
 * fails stops the others (they are cancelled) and is the copy's error; a cancelled copy puts no
 * manifest.
 */
final class RegistryCopier {

    /** Blobs copied at once: docker push's default ({@code max-concurrent-uploads}). */
    static final int PARALLEL_UPLOADS = 3;

    private final RegistryClient client;
    private final BlobPusher pusher;
    private final int parallelUploads;

    RegistryCopier(RegistryClient client, RegistryCaller caller) {
        this(client, caller, PARALLEL_UPLOADS);
    }

    RegistryCopier(RegistryClient client, RegistryCaller caller, int parallelUploads) {
        this.client = client;
        this.pusher = new BlobPusher(caller);
        this.parallelUploads = Math.max(1, parallelUploads);
    }

    Descriptor copy(ImageReference source, ImageReference target, Optional<Platform> platform, Consumer<CopyEvent> listener,
                Cancellation cancellation) {
        String op = "copy " + source.familiar() + " to " + target.familiar();
        FetchedManifest top = platform.isPresent() ? client.pullImageManifest(source, platform.get(), cancellation)
                : client.pullManifest(source, cancellation);
        if (target.digest().isPresent() && !target.digest().get().equals(top.digest())) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "the target names digest " + target.digest().get()
                    + ", but the image copied has " + top.digest(), null, 0,
                    "Name the target by a tag, or by the digest of what is copied.", null);
        }
        List<FetchedManifest> children = new ArrayList<>();
        if (top.index().isPresent()) {
            for (Descriptor child : top.index().get().manifests()) {
                cancellation.throwIfCancelled(op);
                FetchedManifest fetched = client.pullManifest(source.repo().digest(child.digest()), cancellation);
                if (fetched.index().isPresent()) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, op, "the index nests another index ("
                            + child.digest() + "), which Gantry does not copy");
                }
                children.add(fetched);
            }
        } else {
            children.add(top);
        }
        Map<Digest, CopyEvent> blobs = blobsOnce(children);
        blobs.values().forEach(listener);
        Repository from = source.repo();
        Repository to = target.repo();
        copyBlobs(from, to, List.copyOf(blobs.values()), listener, cancellation, op);
        if (top.index().isPresent()) {
            for (FetchedManifest child : children) {
                cancellation.throwIfCancelled(op);
                client.pushManifest(to.digest(child.digest()), child.mediaType(), child.bytes(), cancellation);
            }
        }
        cancellation.throwIfCancelled(op);
        ImageReference destination = target.tag().isPresent()
                ? new ImageReference(target.registry(), target.repository(), target.tag(), Optional.empty())
                : to.digest(top.digest());
        client.pushManifest(destination, top.mediaType(), top.bytes(), cancellation);
        return top.descriptor();
    }

    /** Every image's layers (top first, as docker lists them), then its config; each digest once. */
    private static Map<Digest, CopyEvent> blobsOnce(List<FetchedManifest> images) {
        Map<Digest, CopyEvent> layers = new LinkedHashMap<>();
        Map<Digest, CopyEvent> configs = new LinkedHashMap<>();
        for (FetchedManifest image : images) {
            Manifest manifest = image.manifest().orElseThrow();
            List<Descriptor> topFirst = new ArrayList<>(manifest.layers());
            java.util.Collections.reverse(topFirst);
            for (Descriptor layer : topFirst) {
                layers.putIfAbsent(layer.digest(), new CopyEvent(layer, true, CopyEvent.Step.PREPARING, 0));
            }
            configs.putIfAbsent(manifest.config().digest(), new CopyEvent(manifest.config(), false, CopyEvent.Step.PREPARING, 0));
        }
        Map<Digest, CopyEvent> all = new LinkedHashMap<>(layers);
        configs.forEach(all::putIfAbsent);
        return all;
    }

    /**
     * Copies {@code blobs} on up to {@link #parallelUploads} threads of their own; their events are
     * handed to {@code listener} here, on the calling thread, until every thread has ended.
     */
    private void copyBlobs(Repository from, Repository to, List<CopyEvent> blobs, Consumer<CopyEvent> listener,
                           Cancellation caller, String op) {
        Cancellation stop = new Cancellation(); // also cancelled by the first failure
        Optional<GantryException> failure;
        try (Cancellation.Registration linked = caller.onCancel(stop::cancel)) {
            failure = ParallelWork.run(blobs, parallelUploads, ParallelWork.ownThreads("gantry-copy-" + to.path()),
                    (CopyEvent blob, Consumer<CopyEvent> events, Cancellation cancellation) ->
                            copyBlob(from, to, blob, events, cancellation), listener, stop, op);
        }
        if (caller.isCancelled()) {
            throw Cancellation.cancelledError(op);
        }
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    private void copyBlob(Repository from, Repository to, CopyEvent prepared, Consumer<CopyEvent> listener,
                          Cancellation cancellation) {
        Descriptor blob = prepared.blob();
        boolean layer = prepared.layer();
        Optional<Repository> mountFrom = from.registry().equals(to.registry()) && !from.equals(to)
                ? Optional.of(from) : Optional.empty();
        RelayedBlob relayed = new RelayedBlob(client, from, blob, cancellation);
        long[] reported = {-1};
        PushOutcome outcome;
        try {
            outcome = pusher.push(to, blob.digest(), relayed, mountFrom, (sent, total) -> {
                if (sent == total || sent - reported[0] >= 512 * 1024 || sent < reported[0]) {
                    reported[0] = sent;
                    listener.accept(new CopyEvent(blob, layer, CopyEvent.Step.PUSHING, sent));
                }
            }, cancellation);
        } catch (GantryException e) {
            // a source that failed broke the upload: its error is the cause
            Optional<GantryException> cause = relayed.sourceFailure();
            throw cause.isPresent() && !cancellation.isCancelled() ? cause.get() : e;
        }
        listener.accept(switch (outcome) {
            case EXISTED -> new CopyEvent(blob, layer, CopyEvent.Step.EXISTED, 0);
            case MOUNTED -> new CopyEvent(blob, layer, CopyEvent.Step.MOUNTED, 0);
            case UPLOADED -> new CopyEvent(blob, layer, CopyEvent.Step.PUSHED, blob.size());
        });
    }
}
