package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.engine.LoadResult;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Copies an image between endpoints ({@code gantry cp}, the window's "Copy to…"):
 *
 * <ul>
 *   <li>endpoint to endpoint: the source's archive stream ({@link ImageStore#save} in the format the
 *       destination loads best, or an engine's {@link ImageStore#export}, {@code docker save}'s) piped
 *       straight into the destination's {@link ImageStore#load}, no temp copy of the whole image by
 *       Gantry (the embedded store itself spools a stream it loads into its own work dir, because a
 *       {@code docker save} archive needs random access). The image ID, the config digest, is the same
 *       on both sides, and checked;</li>
 *   <li>registry to endpoint: the destination's own pull (layers it has are not fetched);</li>
 *   <li>endpoint to registry: the source's push (layers the registry has are not sent, or mounted),
 *       one row per layer in {@code docker push}'s words ({@link PushRows}).</li>
 * </ul>
 *
 * <p>Nothing on the destination changes until its load has the whole archive: a stream that breaks
 * off, a source that fails, or a cancel leaves it as it was (the stores name an image only once
 * its content is in). Progress is the bytes streamed and, between endpoints, one row per layer
 * ({@link ArchiveLayers} reads the archive's tar headers as they pass); the caller throttles.
 */
public final class ImageCopier {

    private static final int PIPE = 1 << 20;

    /**
     * What moved.
     *
     * @param imageId  the image's ID (config digest), the same on both sides
     * @param names    the names the destination gave it
     * @param streamed the bytes of the archive streamed between the endpoints (0 for a pull or push)
     * @param written  the bytes of blobs the destination did not have, where it says
     */
    public record CopyResult(Digest imageId, List<String> names, long streamed, OptionalLong written) {
        public CopyResult {
            Objects.requireNonNull(imageId, "imageId");
            names = List.copyOf(names);
        }
    }

    /**
     * One progress line of a copy.
     *
     * @param text  what happens, for display ("Copying", "Pushing", a pull's or push's own line)
     * @param bytes bytes streamed or transferred so far (0 when not known)
     * @param layer the row of the layer this is about (as a pull's rows): between endpoints
     *              {@code Waiting}, {@code Copying} with bytes, {@code Copied}; to a registry the
     *              push's words ({@link PushRows}), and its digest line
     */
    public record CopyProgress(String text, long bytes, Optional<PullProgress> layer) {
        public CopyProgress {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(layer, "layer");
        }

        /** A line about the whole copy. */
        public CopyProgress(String text, long bytes) {
            this(text, bytes, Optional.empty());
        }

        /** A layer's row: {@code Waiting}, {@code Copying} with its bytes, {@code Copied} (see {@link ArchiveLayers}). */
        static CopyProgress ofLayer(PullProgress layer, long bytes) {
            return new CopyProgress(layer.layer() + ": " + layer.text(), bytes, Optional.of(layer));
        }
    }

    /**
     * Copies {@code image} of {@code from} into {@code to}, named {@code as} there when given (the
     * destination must then be able to tag). Fails with {@code INVALID_INPUT} when one side cannot
     * take part (by its capabilities), {@code NOT_FOUND} when {@code from} has no such image,
     * {@code CANCELLED} when cancelled, or the failing side's own error.
     */
    public CopyResult copy(ImageStore from, ImageKey image, ImageStore to, Optional<ImageReference> as,
                           Consumer<CopyProgress> progress, Cancellation cancellation) {
        String op = "copy " + image + " from " + from.endpoint().name() + " to " + to.endpoint().name();
        boolean save = from.capabilities().has(Capability.SAVE);
        if (!save && !from.capabilities().export()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, from.endpoint().name() + " cannot give its images "
                    + "as an archive", null, 0, "Copy from the embedded store, a Docker-compatible engine or a "
                    + "containerd namespace, or push to a registry and pull from there.", null);
        }
        if (!to.capabilities().has(Capability.LOAD)) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, to.endpoint().name() + " cannot load images", null, 0,
                    "Copy into the embedded store, an engine or a containerd namespace.", null);
        }
        if (as.isPresent() && !to.capabilities().tag()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, to.endpoint().name() + " cannot give an image another "
                    + "name", null, 0, "Copy it under its own name (leave out the new name).", null);
        }
        if (from.endpoint().equals(to.endpoint()) && from.namespace().equals(to.namespace())) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "source and destination are the same endpoint",
                    null, 0, "Use gantry tag to give the image another name there.", null);
        }
        ImageDetails details = from.inspect(image); // NOT_FOUND in the port's words, before anything moves
        cancellation.throwIfCancelled(op);
        progress.accept(new CopyProgress("Copying " + image + " (" + details.id().shortHex() + ") from "
                + from.endpoint().name() + " to " + to.endpoint().name(), 0));

        Counting[] reading = new Counting[1];
        ArchiveLayers rows = new ArchiveLayers(from.layers(image),
                row -> progress.accept(CopyProgress.ofLayer(row, reading[0] == null ? 0 : reading[0].count)));
        rows.started();
        AtomicReference<Throwable> sourceFailure = new AtomicReference<>();
        PipedInputStream pipeIn = new PipedInputStream(PIPE);
        PipedOutputStream pipeOut;
        try {
            pipeOut = new PipedOutputStream(pipeIn);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, op, e.getMessage(), e);
        }
        Thread producer = new Thread(() -> {
            try (OutputStream out = pipeOut) {
                if (save) {
                    from.save(List.of(image), to.loadFormat(), out);
                } else {
                    try (InputStream exported = from.export(image)) {
                        exported.transferTo(out);
                    }
                }
            } catch (Throwable t) {
                sourceFailure.set(t);
                try {
                    pipeOut.close();
                } catch (IOException ignored) {
                    // the reader sees the failure below
                }
            }
        }, "gantry-copy-source");
        producer.setDaemon(true);
        Counting counted = new Counting(pipeIn, sourceFailure, progress, rows, cancellation);
        reading[0] = counted;
        LoadResult loaded;
        try (Cancellation.Registration hook = cancellation.onCancel(counted::abort)) {
            producer.start();
            loaded = to.load(counted);
        } catch (GantryException e) {
            throw failure(op, e, sourceFailure, cancellation);
        } catch (RuntimeException e) {
            throw failure(op, new GantryException(ErrorKind.INTERNAL, op, e.getMessage(), e), sourceFailure, cancellation);
        } finally {
            try {
                pipeIn.close(); // unblocks a source still writing into a pipe nobody reads
            } catch (IOException ignored) {
                // closed already
            }
            try {
                producer.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sourceFailure.get() != null) {
            throw sourceError(op, sourceFailure.get());
        }
        rows.finished();
        LoadResult.Loaded image0 = loaded.images().stream().filter(l -> l.id().equals(details.id())).findFirst()
                .orElseThrow(() -> new GantryException(ErrorKind.BAD_CONTENT, op, to.endpoint().name()
                        + " gave the image another ID than " + details.id().shortHex(), null, 0,
                        "Compare both with gantry inspect; the image was changed on the way.", null));
        List<String> names = image0.names();
        if (as.isPresent()) {
            to.tag(ImageKey.of(details.id()), as.get());
            names = List.of(as.get().familiar());
        }
        long written = loaded.images().stream().mapToLong(LoadResult.Loaded::bytes).sum();
        boolean says = to.capabilities().has(Capability.VERIFY) || to.capabilities().namespaces();
        return new CopyResult(details.id(), names, counted.count, says ? OptionalLong.of(written) : OptionalLong.empty());
    }

    /**
     * Pulls {@code source} from its registry into {@code to} (the destination's own pull, so layers
     * it has are not fetched again), then names it {@code as} there when given.
     */
    public CopyResult pullInto(ImageReference source, ImageStore to, Optional<ImageReference> as,
                               Consumer<CopyProgress> progress, Cancellation cancellation) {
        long[] bytes = new long[1];
        PullResult result = to.pull(PullRequest.of(source), (PullProgress p) -> {
            if (p.phase() == PullProgress.Phase.DOWNLOADING) {
                bytes[0] = Math.max(bytes[0], p.current());
            }
            progress.accept(new CopyProgress(p.isLayerEvent() ? p.layer() + ": " + p.text() : p.text(), bytes[0]));
        }, cancellation);
        List<String> names = List.of(result.reference());
        if (as.isPresent()) {
            to.tag(ImageKey.of(result.imageId()), as.get());
            names = List.of(as.get().familiar());
        }
        return new CopyResult(result.imageId(), names, 0, OptionalLong.empty());
    }

    /**
     * Pushes {@code image} of {@code from} to the registry as {@code target} (the source's own
     * push: layers the registry has are skipped or mounted).
     */
    public CopyResult pushFrom(ImageStore from, ImageKey image, ImageReference target, Consumer<CopyProgress> progress,
                               Cancellation cancellation) {
        String op = "copy " + image + " from " + from.endpoint().name() + " to " + target.familiar();
        if (!from.capabilities().push()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, from.endpoint().name() + " cannot push images", null,
                    0, "Copy the image into the embedded store or an engine first.", null);
        }
        ImageDetails details = from.inspect(image);
        // a row per layer in docker push's words; bytes stay 0: a push counts per layer, not in one stream
        Consumer<PushProgress> lines = p -> progress.accept(new CopyProgress(
                p.isLayerEvent() ? p.layer() + ": " + p.text() : p.text(), 0, PushRows.row(p)));
        boolean sameName = image.reference().map(r -> r.familiar().equals(target.familiar())).orElse(false);
        PushResult pushed;
        if (sameName) {
            pushed = from.push(target, lines, cancellation);
        } else if (from.capabilities().tag() && !from.capabilities().daemon()) {
            pushed = from.push(image, target.repo(), target.tag(), lines, cancellation);
        } else if (tagsBeforePush(from) && target.digest().isEmpty()) {
            // an engine pushes an image by a name it has, as docker tag + docker push do; the tag stays
            from.tag(image, target);
            progress.accept(new CopyProgress(taggedLine(image, target, from), 0));
            pushed = from.push(target, lines, cancellation);
        } else {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, from.endpoint().name() + " pushes an image under its "
                    + "own name only", null, 0, "Tag it there first (gantry --endpoint … tag " + image + " "
                    + target.familiar() + "), then copy that name.", null);
        }
        return new CopyResult(details.id(), List.of(pushed.reference()), 0, OptionalLong.empty());
    }

    /**
     * Whether {@link #pushFrom} of {@code from} under another name tags the image with that name
     * there first: an engine, which pushes only by a name it has (the tag stays, as after docker tag).
     */
    public static boolean tagsBeforePush(ImageStore from) {
        return from.capabilities().push() && from.capabilities().tag() && from.capabilities().daemon();
    }

    /** The progress line of that tag, in the words the window and the CLI show. */
    static String taggedLine(ImageKey image, ImageReference target, ImageStore on) {
        return "Tagged " + image + " as " + target.familiar() + " on " + on.endpoint().name() + " (an engine pushes "
                + "an image by its own name)";
    }

    private static GantryException failure(String op, GantryException loadError, AtomicReference<Throwable> source,
                                           Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return Cancellation.cancelledError(op);
        }
        // a source that failed broke the stream: its error is the cause, the load's only the symptom
        return source.get() != null ? sourceError(op, source.get()) : loadError;
    }

    private static GantryException sourceError(String op, Throwable t) {
        return t instanceof GantryException g ? g
                : new GantryException(ErrorKind.UNAVAILABLE, op, "the source stopped sending: " + t.getMessage(), t);
    }

    /** The destination's side of the pipe: counts bytes, reports them, and fails once cancelled. */
    private static final class Counting extends InputStream {
        private final InputStream in;
        private final AtomicReference<Throwable> sourceFailure;
        private final Consumer<CopyProgress> progress;
        private final ArchiveLayers rows;
        private final Cancellation cancellation;
        private volatile boolean aborted;
        private long count;
        private long reported;

        Counting(InputStream in, AtomicReference<Throwable> sourceFailure, Consumer<CopyProgress> progress,
                 ArchiveLayers rows, Cancellation cancellation) {
            this.in = in;
            this.rows = rows;
            this.sourceFailure = sourceFailure;
            this.progress = progress;
            this.cancellation = cancellation;
        }

        void abort() {
            aborted = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader fails on its next read
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (aborted || cancellation.isCancelled()) {
                throw new IOException("the copy was cancelled");
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
            if (n < 0) {
                if (sourceFailure.get() != null) {
                    throw failed(null); // not an end: the source broke off
                }
                return n;
            }
            count += n;
            rows.passed(b, off, n);
            if (count - reported >= (1 << 20)) {
                reported = count;
                progress.accept(new CopyProgress("Copying", count));
            }
            return n;
        }

        private IOException failed(IOException cause) {
            if (aborted || cancellation.isCancelled()) {
                return new IOException("the copy was cancelled", cause);
            }
            Throwable source = sourceFailure.get();
            return source != null ? new IOException("the source stopped sending: " + source.getMessage(), source)
                    : cause;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
