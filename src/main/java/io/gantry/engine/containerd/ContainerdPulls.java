package io.gantry.engine.containerd;

import com.google.protobuf.ByteString;
import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.core.Manifest;
import io.gantry.core.Platform;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.containerd.api.content.ContentGrpc;
import io.gantry.engine.containerd.api.content.InfoRequest;
import io.gantry.engine.containerd.api.content.WriteAction;
import io.gantry.engine.containerd.api.content.WriteContentRequest;
import io.gantry.engine.containerd.api.content.WriteContentResponse;
import io.gantry.engine.containerd.api.images.CreateImageRequest;
import io.gantry.engine.containerd.api.images.GetImageRequest;
import io.gantry.engine.containerd.api.images.Image;
import io.gantry.engine.containerd.api.images.ImagesGrpc;
import io.gantry.engine.containerd.api.images.UpdateImageRequest;
import io.gantry.engine.containerd.api.leases.CreateRequest;
import io.gantry.engine.containerd.api.leases.DeleteRequest;
import io.gantry.engine.containerd.api.leases.LeasesGrpc;
import io.gantry.registry.FetchedManifest;
import io.gantry.registry.RegistryClient;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pulls into a containerd namespace through Gantry's registry client (credentials, plain HTTP for
 * loopback and the registries the user allowed, verified downloads): each blob is downloaded to a
 * verified temp file, then written into containerd's content store ({@code Content.Write}) under a
 * lease, so containerd's garbage collector keeps it until the image record exists; the manifest
 * (and the index it came through) carry containerd's {@code containerd.io/gc.ref.content.*} labels
 * so that the image keeps its blobs afterwards; then {@code Images.Create} (or {@code Update} when
 * the name exists) names the image, and the lease is deleted. Layers are not unpacked into a
 * snapshotter: a container runtime (the CRI, {@code ctr run}) unpacks on first use.
 */
final class ContainerdPulls {

    private static final Metadata.Key<String> LEASE_HEADER = Metadata.Key.of("containerd-lease",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final int CHUNK = 1024 * 1024;
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration WRITE_ANSWER = Duration.ofMinutes(2);

    private final ContainerdConnection connection;
    private final Supplier<RegistryClient> registry;
    private final Path tempDir;

    ContainerdPulls(ContainerdConnection connection, Supplier<RegistryClient> registry, Path tempDir) {
        this.connection = connection;
        this.registry = registry;
        this.tempDir = tempDir;
    }

    PullResult pull(String namespace, PullRequest request, Platform defaultPlatform, Consumer<PullProgress> progress,
                    Cancellation cancellation) {
        ImageReference reference = request.reference().tag().isEmpty() && request.reference().digest().isEmpty()
                ? request.reference().withTag(ImageReference.DEFAULT_TAG) : request.reference();
        String op = "pull " + reference.familiar() + " into namespace " + namespace;
        Platform platform = request.platform().orElse(defaultPlatform);
        RegistryClient client = registry.get();
        progress.accept(new PullProgress("", Phase.STATUS, 0, 0, "Pulling from " + reference.familiarName()));
        FetchedManifest top = client.pullManifest(reference, cancellation);
        FetchedManifest image = top;
        Optional<FetchedManifest> index = Optional.empty();
        if (top.content() instanceof ImageIndex idx) {
            Descriptor chosen = idx.manifestFor(platform).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, op,
                    "no image for " + platform + " in " + reference.familiar(), RegistryClient.NO_MATCHING_PLATFORM, 0,
                    "Choose one of the platforms the image offers.", null));
            image = client.pullManifest(reference.withDigest(chosen.digest()), cancellation);
            index = Optional.of(top);
        }
        if (!(image.content() instanceof Manifest manifest)) {
            throw new GantryException(ErrorKind.BAD_CONTENT, op, "indexes nest too deeply");
        }
        String lease = "gantry-pull-" + UUID.randomUUID();
        try {
            bind(LeasesGrpc.newBlockingStub(connection.channel()), namespace, null).create(CreateRequest.newBuilder()
                    .setId(lease).putLabels("containerd.io/gc.expire", Instant.now().plus(Duration.ofHours(2)).toString())
                    .build());
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        try {
            ImageReference repo = reference;
            pullBlob(namespace, lease, client, repo, manifest.config(), Optional.empty(), progress, cancellation, op);
            for (Descriptor layer : manifest.layers()) {
                pullBlob(namespace, lease, client, repo, layer, Optional.of(layer.digest().shortHex()), progress,
                        cancellation, op);
            }
            Map<String, String> manifestLabels = new LinkedHashMap<>();
            manifestLabels.put("containerd.io/gc.ref.content.config", manifest.config().digest().toString());
            for (int i = 0; i < manifest.layers().size(); i++) {
                manifestLabels.put("containerd.io/gc.ref.content.l." + i, manifest.layers().get(i).digest().toString());
            }
            write(namespace, lease, image.descriptor(), new ByteArrayInputStream(image.bytes()), manifestLabels, op,
                    cancellation);
            Descriptor target = image.descriptor();
            if (index.isPresent() && request.platform().isEmpty()) {
                Map<String, String> indexLabels = new LinkedHashMap<>();
                indexLabels.put("containerd.io/gc.ref.content.m.0", image.digest().toString());
                write(namespace, lease, index.get().descriptor(), new ByteArrayInputStream(index.get().bytes()),
                        indexLabels, op, cancellation);
                target = index.get().descriptor();
            }
            boolean upToDate = name(namespace, reference.toString(), target, op);
            progress.accept(new PullProgress("", Phase.DIGEST, 0, 0, "Digest: " + target.digest()));
            progress.accept(new PullProgress("", Phase.STATUS, 0, 0, upToDate
                    ? "Status: Image is up to date for " + reference.familiar()
                    : "Status: Downloaded newer image for " + reference.familiar()));
            return new PullResult(reference.familiar(), manifest.config().digest(), Optional.of(target.digest()), upToDate);
        } finally {
            try {
                bind(LeasesGrpc.newBlockingStub(connection.channel()), namespace, null)
                        .delete(DeleteRequest.newBuilder().setId(lease).build());
            } catch (StatusRuntimeException ignored) {
                // the lease expires by its gc.expire label
            }
        }
    }

    /** Creates (or points anew) the image record {@code name}; whether it already pointed at {@code target}. */
    boolean name(String namespace, String name, Descriptor target, String op) {
        return name(connection, namespace, name, target, op);
    }

    /** {@link #name(String, String, Descriptor, String)} on {@code connection}, without a lease. */
    static boolean name(ContainerdConnection connection, String namespace, String name, Descriptor target, String op) {
        Image record = Image.newBuilder().setName(name).setTarget(io.gantry.engine.containerd.api.types.Descriptor
                .newBuilder().setMediaType(target.mediaType()).setDigest(target.digest().toString())
                .setSize(target.size())).build();
        var images = connection.bind(ImagesGrpc.newBlockingStub(connection.channel()), namespace, CALL);
        try {
            Image existing = images.get(GetImageRequest.newBuilder().setName(name).build()).getImage();
            if (existing.getTarget().getDigest().equals(target.digest().toString())) {
                return true;
            }
            images.update(UpdateImageRequest.newBuilder().setImage(record)
                    .setUpdateMask(com.google.protobuf.FieldMask.newBuilder().addPaths("target")).build());
            return false;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw connection.failure(op, e);
            }
        }
        try {
            images.create(CreateImageRequest.newBuilder().setImage(record).build());
            return false;
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
    }

    private void pullBlob(String namespace, String lease, RegistryClient client, ImageReference reference,
                          Descriptor blob, Optional<String> layer, Consumer<PullProgress> progress,
                          Cancellation cancellation, String op) {
        if (exists(namespace, blob.digest(), op)) {
            layer.ifPresent(l -> progress.accept(new PullProgress(l, Phase.ALREADY_EXISTS, 0, 0, "Already exists")));
            return;
        }
        layer.ifPresent(l -> progress.accept(new PullProgress(l, Phase.PULLING_FS_LAYER, 0, 0, "Pulling fs layer")));
        Path file = null;
        try {
            Files.createDirectories(tempDir);
            file = Files.createTempFile(tempDir, "gantry-containerd-", ".blob");
            Files.delete(file); // the sink creates it once verified
            client.pullBlob(reference.repo(), blob, file, (done, total) -> layer.ifPresent(l -> progress.accept(
                    new PullProgress(l, Phase.DOWNLOADING, done, total, "Downloading"))), cancellation);
            layer.ifPresent(l -> progress.accept(new PullProgress(l, Phase.DOWNLOAD_COMPLETE, 0, 0, "Download complete")));
            try (InputStream in = Files.newInputStream(file)) {
                write(namespace, lease, blob, in, Map.of(), op, cancellation);
            }
            layer.ifPresent(l -> progress.accept(new PullProgress(l, Phase.PULL_COMPLETE, 0, 0, "Pull complete")));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, op, "cannot keep a downloaded blob in " + tempDir + ": "
                    + IoProblem.describe(e), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    boolean exists(String namespace, Digest digest, String op) {
        try {
            bind(ContentGrpc.newBlockingStub(connection.channel()), namespace, null)
                    .info(InfoRequest.newBuilder().setDigest(digest.toString()).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw connection.failure(op, e);
        }
    }

    /**
     * Writes {@code content} (verified already) into the content store under {@code lease}:
     * {@code WRITE} chunks, each answered before the next goes, then {@code COMMIT} with the
     * expected digest and size and {@code labels}. Content that exists already is fine.
     */
    void write(String namespace, String lease, Descriptor blob, InputStream content, Map<String, String> labels,
                       String op, Cancellation cancellation) {
        if (exists(namespace, blob.digest(), op)) {
            return;
        }
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        Object done = new Object();
        ContentGrpc.ContentStub stub = bind(ContentGrpc.newStub(connection.channel()), namespace, lease)
                .withDeadlineAfter(Duration.ofHours(1).toMillis(), TimeUnit.MILLISECONDS);
        StreamObserver<WriteContentRequest> requests = stub.write(new StreamObserver<>() {
            @Override
            public void onNext(WriteContentResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(t);
            }

            @Override
            public void onCompleted() {
                answers.add(done);
            }
        });
        String ref = "gantry-" + blob.digest().hex() + "-" + UUID.randomUUID();
        try {
            long offset = 0;
            byte[] buffer = new byte[CHUNK];
            int read;
            while ((read = content.readNBytes(buffer, 0, buffer.length)) > 0) {
                cancellation.throwIfCancelled(op);
                requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setRef(ref)
                        .setTotal(blob.size()).setExpected(blob.digest().toString()).setOffset(offset)
                        .setData(ByteString.copyFrom(buffer, 0, read)).build());
                await(answers, done, op);
                offset += read;
            }
            requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.COMMIT).setRef(ref)
                    .setTotal(blob.size()).setExpected(blob.digest().toString()).setOffset(offset)
                    .putAllLabels(labels).build());
            await(answers, done, op);
            requests.onCompleted();
        } catch (IOException e) {
            requests.onError(Status.CANCELLED.withDescription("abandoned").asRuntimeException());
            throw new GantryException(ErrorKind.STORAGE, op, "cannot read blob " + blob.digest() + ": "
                    + IoProblem.describe(e), e);
        } catch (RuntimeException e) {
            requests.onError(Status.CANCELLED.withDescription("abandoned").asRuntimeException());
            if (e instanceof GantryException g && g.kind() == ErrorKind.CONFLICT) {
                return; // ALREADY_EXISTS: someone stored it meanwhile
            }
            throw e;
        }
    }

    private void await(BlockingQueue<Object> answers, Object done, String op) {
        Object answer;
        try {
            answer = answers.poll(WRITE_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, op, "interrupted");
        }
        if (answer == null) {
            throw new GantryException(ErrorKind.UNAVAILABLE, op, "containerd did not answer a content write in time");
        }
        if (answer instanceof StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        if (answer instanceof Throwable t) {
            throw connection.failure(op, Status.fromThrowable(t).asRuntimeException());
        }
        if (answer == done) {
            throw new GantryException(ErrorKind.INTERNAL, op, "containerd ended a content write early");
        }
    }

    /** {@code stub} in {@code namespace} with a deadline, and the lease header when {@code lease} is given. */
    <S extends AbstractStub<S>> S bind(S stub, String namespace, String lease) {
        S bound = connection.bind(stub, namespace, CALL);
        if (lease == null) {
            return bound;
        }
        Metadata headers = new Metadata();
        headers.put(LEASE_HEADER, lease);
        return bound.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
