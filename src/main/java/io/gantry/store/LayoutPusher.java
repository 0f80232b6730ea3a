package io.gantry.store;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.ParallelWork;
import io.gantry.core.Repository;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushProgress.Phase;
import io.gantry.engine.PushResult;
import io.gantry.registry.BlobSource;
import io.gantry.registry.PushOutcome;
import io.gantry.registry.RegistryClient;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The push pipeline of the embedded store, as {@code docker push}: the image a local name names
 * goes to the registry in that name. Its layers are uploaded {@code parallelUploads} at a time
 * (a layer the repository has is skipped, one that another repository of the same registry holds
 * under a name this store knows is mounted from there), then the config, then the manifest with
 * the bytes the registry or archive gave it (the original Docker v2 manifest where the layout
 * keeps its OCI form), so the digest is the one the image was pulled or loaded with.
 *
 * <p>A push started again after a cancel or a failure skips the blobs the first one finished (the
 * registry has them). Events are delivered on the calling thread; the store is held shared while
 * blobs are read, so garbage collection never removes them meanwhile.
 */
final class LayoutPusher {

    private final OciLayoutStore store;
    private final Supplier<RegistryClient> clients;
    private final Executor executor;
    private final int parallelUploads;

    LayoutPusher(OciLayoutStore store, Supplier<RegistryClient> clients, Executor executor, int parallelUploads) {
        this.store = store;
        this.clients = clients;
        this.executor = executor;
        this.parallelUploads = Math.max(1, parallelUploads);
    }

    PushResult push(io.gantry.core.ImageKey source, Repository repository, Optional<String> tag,
                    Consumer<PushProgress> progress, Cancellation caller) {
        String op = "push " + tag.map(t -> repository.tag(t).familiar()).orElse(source + " to " + repository);
        Cancellation cancellation = new Cancellation();
        try (Cancellation.Registration registration = caller.onCancel(cancellation::cancel);
             StoreLocks.Held lease = store.lease(op)) {
            return push(source, repository, tag, op, progress, cancellation);
        } catch (GantryException e) {
            throw caller.isCancelled() ? Cancellation.cancelledError(op) : e;
        } catch (Exception e) {
            throw GantryException.unexpected(op, e);
        }
    }

    private PushResult push(io.gantry.core.ImageKey source, Repository repository, Optional<String> tag, String op,
                            Consumer<PushProgress> progress, Cancellation cancellation) {
        LayoutImage image = find(source, op);
        Descriptor original = image.sourceManifest().orElse(image.manifest());
        byte[] manifestBytes = store.readBlob(original);
        RegistryClient client = clients.get();
        progress.accept(status("The push refers to repository [" + repository + "]"));
        Digest manifestDigest = Digest.sha256(manifestBytes);
        ImageReference target = tag.map(repository::tag).orElseGet(() -> repository.digest(manifestDigest));

        Map<Digest, Repository> mountSources = mountSources(repository, image);
        Map<Digest, Descriptor> layers = new LinkedHashMap<>();
        List<Descriptor> topFirst = new ArrayList<>(image.content().layers());
        java.util.Collections.reverse(topFirst); // docker lists the top layer first
        for (Descriptor layer : topFirst) {
            layers.putIfAbsent(layer.digest(), layer);
        }
        for (Descriptor layer : layers.values()) {
            progress.accept(new PushProgress(id(layer), Phase.PREPARING, 0, 0, "Preparing"));
        }
        int i = 0;
        for (Descriptor layer : layers.values()) {
            if (i++ >= parallelUploads) {
                progress.accept(new PushProgress(id(layer), Phase.WAITING, 0, 0, "Waiting"));
            }
        }
        uploadLayers(client, target.repo(), new ArrayList<>(layers.values()), mountSources, progress, cancellation, op);
        cancellation.throwIfCancelled(op);
        Descriptor config = image.content().config();
        client.pushBlob(target.repo(), config.digest(), source(config), Optional.ofNullable(mountSources.get(config.digest())),
                io.gantry.registry.ProgressListener.NONE, cancellation);
        cancellation.throwIfCancelled(op);
        Digest digest = client.pushManifest(target, original.mediaType(), manifestBytes, cancellation);
        // as docker's reference store: the image now also goes by repo@digest, so "outdated" can compare it
        try {
            store.recordDigest(source, target.repo().digest(digest));
        } catch (GantryException e) {
            // a read-only store pushes but cannot note it; the push itself succeeded
        }
        progress.accept(new PushProgress("", Phase.DIGEST, 0, 0,
                tag.orElse(digest.toString()) + ": digest: " + digest + " size: " + manifestBytes.length));
        return new PushResult(target.familiar(), digest, manifestBytes.length);
    }

    /** The local image {@code source} names; docker's words when there is none. */
    private LayoutImage find(io.gantry.core.ImageKey source, String op) {
        try {
            return store.image(source.toString());
        } catch (GantryException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            String shown = source.reference().map(ImageReference::familiar).orElse(source.toString());
            throw new GantryException(ErrorKind.NOT_FOUND, op, "an image does not exist locally with the tag: "
                    + shown, null, 0, "Tag a local image with that name first (gantry tag IMAGE " + shown + ").", null);
        }
    }

    /**
     * For each blob of {@code image}, a repository of the target's registry other than the target
     * that holds it by a name in this store (where it was pulled from or pushed to), to mount from.
     */
    private Map<Digest, Repository> mountSources(Repository target, LayoutImage image) {
        Map<Digest, Repository> sources = new HashMap<>();
        for (LayoutImage other : store.images()) {
            Optional<Repository> there = other.names().stream().map(ImageName::reference).flatMap(Optional::stream)
                    .map(ImageReference::repo)
                    .filter(r -> r.registry().equals(target.registry()) && !r.equals(target)).findFirst();
            if (there.isEmpty()) {
                continue;
            }
            for (Descriptor blob : other.content().layers()) {
                sources.putIfAbsent(blob.digest(), there.get());
            }
            sources.putIfAbsent(other.content().config().digest(), there.get());
        }
        // only blobs of this image matter; keep the map small
        java.util.Set<Digest> mine = new java.util.HashSet<>();
        image.content().layers().forEach(l -> mine.add(l.digest()));
        mine.add(image.content().config().digest());
        sources.keySet().retainAll(mine);
        return sources;
    }

    private void uploadLayers(RegistryClient client, Repository target, List<Descriptor> layers,
                              Map<Digest, Repository> mountSources, Consumer<PushProgress> progress,
                              Cancellation cancellation, String op) {
        Optional<GantryException> failed = ParallelWork.run(layers, parallelUploads, executor,
                (Descriptor layer, Consumer<PushProgress> events, Cancellation stop) -> upload(client, target, layer,
                        Optional.ofNullable(mountSources.get(layer.digest())), events, stop),
                progress, cancellation, op);
        if (failed.isPresent() && failed.get().kind() != ErrorKind.CANCELLED) {
            throw failed.get();
        }
        cancellation.throwIfCancelled(op);
    }

    private void upload(RegistryClient client, Repository target, Descriptor layer, Optional<Repository> mountFrom,
                        Consumer<PushProgress> events, Cancellation cancellation) {
        String id = id(layer);
        long[] lastReported = {-1};
        PushOutcome outcome = client.pushBlob(target, layer.digest(), source(layer), mountFrom, (sent, total) -> {
            if (sent == total || sent - lastReported[0] >= 512 * 1024 || sent < lastReported[0]) {
                lastReported[0] = sent;
                events.accept(new PushProgress(id, Phase.PUSHING, sent, total, "Pushing"));
            }
        }, cancellation);
        events.accept(switch (outcome) {
            case EXISTED -> new PushProgress(id, Phase.ALREADY_EXISTS, 0, 0, "Layer already exists");
            case MOUNTED -> new PushProgress(id, Phase.MOUNTED, 0, 0, "Mounted from " + mountFrom.map(Repository::path).orElse("?"));
            case UPLOADED -> new PushProgress(id, Phase.PUSHED, layer.size(), layer.size(), "Pushed");
        });
    }

    /** A stored blob as the registry client reads it (again, when an upload starts over). */
    private BlobSource source(Descriptor blob) {
        long size = store.blobSize(blob.digest());
        return new BlobSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() {
                return store.openBlob(blob.digest());
            }
        };
    }

    private static String id(Descriptor layer) {
        return layer.digest().shortHex();
    }

    private static PushProgress status(String text) {
        return new PushProgress("", Phase.STATUS, 0, 0, text);
    }
}
