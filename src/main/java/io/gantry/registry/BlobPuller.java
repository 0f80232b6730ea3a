package io.gantry.registry;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import io.gantry.core.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * {@code GET /v2/<name>/blobs/<digest>}: streams a blob into a {@link BlobSink}, hashing and
 * counting on the fly (Jib's {@code BlobPuller}). Only when the size and digest match the
 * descriptor does it commit the sink; a blob that is too long or hashes wrong fails with
 * {@link ErrorKind#BAD_CONTENT} and the caller aborts the sink.
 *
 * <p>When the connection drops mid-blob, the caller retries and this endpoint asks for the rest
 * with {@code Range: bytes=<received>-}, continuing the same hash; a registry that answers 200
 * instead of 206 sends it all again, and the download restarts from byte 0.
 *
 * <p>A sink that kept the first bytes of an earlier, interrupted download ({@link BlobSink#kept()})
 * is continued the same way, from its kept bytes and their hash.
 *
 * <p>A registry that keeps the connection alive with a trickle (a byte a second never trips the
 * read timeout) fails at the {@link TransportSettings.MinimumSpeed minimum speed} without a retry;
 * what arrived stays in the sink for the next attempt.
 *
 * <p>One instance per download: it holds the progress. Big blobs are hashed on a helper thread
 * while the next chunk is written and read.
 */
final class BlobPuller implements RegistryEndpoint<Digest> {

    /** Big chunks keep per-chunk costs (hand-over to the hashing helper, progress call) small. */
    private static final int CHUNK_BYTES = 1024 * 1024;
    /**
     * The most one write to the sink hands the file system. On the test VM the kernel's copy into
     * the page cache cost several times as much for 1 MiB write calls as for 256 KiB ones (500 MB:
     * 0.4-0.8 s of system time against 0.13-0.2 s; docs/benchmarks.md, PullBenchmark), and a few
     * thousand more system calls cost next to nothing.
     */
    private static final int WRITE_BYTES = 256 * 1024;
    private static final int MIN_CHUNK_BYTES = 8 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final Repository repository;
    private final Descriptor blob;
    private final BlobSink sink;
    private final ProgressListener progress;
    private final MessageDigest hasher;
    private final TransportSettings.MinimumSpeed minimumSpeed;
    /** Bytes written to the sink (and hashed, once pending hashes are awaited) so far. */
    private long received;

    BlobPuller(Repository repository, Descriptor blob, BlobSink sink, ProgressListener progress,
               TransportSettings.MinimumSpeed minimumSpeed) {
        this.minimumSpeed = minimumSpeed;
        this.repository = repository;
        this.blob = blob;
        this.sink = sink;
        this.progress = progress;
        Optional<BlobSink.Kept> kept = sink.kept();
        if (kept.isPresent() && kept.get().bytes() > 0 && kept.get().bytes() < blob.size()) {
            // an earlier attempt stopped part-way: ask only for the rest (see request())
            this.hasher = kept.get().hash();
            this.received = kept.get().bytes();
        } else {
            this.hasher = Digests.hasher(blob.digest().algorithm());
            if (kept.isPresent()) {
                try {
                    sink.restart(); // nothing usable kept (or all of it, never verified): start over
                } catch (IOException e) {
                    throw storageError(e);
                }
            }
        }
    }

    @Override
    public String description() {
        return "pull blob " + blob.digest() + " from " + repository;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url = Urls.repositoryUrl(base, repository, "blobs").addPathSegment(blob.digest().toString()).build();
        Request.Builder request = new Request.Builder().url(url).get();
        if (received > 0) {
            request.header("Range", "bytes=" + received + "-");
        }
        return request.build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(repository));
    }

    @Override
    public boolean streaming() {
        return true;
    }

    @Override
    public boolean handles(int status) {
        return status == 200 || status == 206;
    }

    @Override
    public Digest handle(Response response) throws IOException {
        long start = response.code() == 206 ? rangeStart(response.header("Content-Range")) : 0;
        if (start != received) {
            restart();
            if (start != 0) {
                throw new IOException("the registry resumed at byte " + start + " instead of " + received);
            }
        }
        copyVerifying(response.body().source());
        if (received < blob.size()) {
            throw new IOException("the blob ended after " + received + " of " + blob.size() + " bytes");
        }
        Digest actual = Digests.result(blob.digest().algorithm(), hasher);
        if (!actual.equals(blob.digest())) {
            throw ManifestPuller.mismatch(description(), blob.digest(), actual);
        }
        try {
            sink.commit();
        } catch (IOException e) {
            throw storageError(e);
        }
        return actual;
    }

    /**
     * Copies the body to the sink in chunks, hashing each. For a big blob the hashing runs on a
     * helper thread while this thread writes the chunk and reads the next one, so SHA-256 costs
     * little wall time; the buffers are used in turn, and one is refilled only once its hash is done.
     * The buffers are direct, so the file write takes them without another copy.
     * A dropped connection still keeps what arrived before it, so a resume starts exactly there.
     */
    private void copyVerifying(BufferedSource source) throws IOException {
        long remaining = blob.size() - received;
        SpeedFloor floor = new SpeedFloor(minimumSpeed, description(), System::nanoTime, received);
        boolean pipelined = remaining > 2L * CHUNK_BYTES;
        ByteBuffer[] buffers = pipelined ? ChunkBuffers.forThisThread(CHUNK_BYTES)
                : new ByteBuffer[] {ByteBuffer.allocate((int) Math.max(MIN_CHUNK_BYTES, Math.min(CHUNK_BYTES, remaining + 1)))};
        Future<?> done = CompletableFuture.completedFuture(null);
        List<Future<?>> hashing = new ArrayList<>(java.util.Collections.nCopies(buffers.length, done));
        ExecutorService helper = pipelined ? Executors.newSingleThreadExecutor(BlobPuller::helperThread) : null;
        int current = 0;
        try {
            while (true) {
                ByteBuffer chunk = buffers[current];
                await(hashing.get(current));
                chunk.clear();
                int n = 0;
                Exception dropped = null;
                try {
                    while (chunk.hasRemaining() && (n = source.read(chunk)) != -1) {
                        // fill the chunk (fewer hand-overs and write calls), as long as the bytes come fast enough
                        floor.check(received + chunk.position());
                    }
                } catch (IOException | GantryException e) {
                    dropped = e; // what arrived is stored first, so that a resume starts after it
                }
                chunk.flip();
                int length = chunk.remaining();
                if (length > 0) {
                    if (received + length > blob.size()) {
                        throw new GantryException(ErrorKind.BAD_CONTENT, description(), "the registry sent more than the "
                                + blob.size() + " bytes the manifest declares", "SIZE_INVALID", 0, null, null);
                    }
                    ByteBuffer toHash = chunk.duplicate();
                    if (helper == null) {
                        hasher.update(toHash);
                    } else {
                        hashing.set(current, helper.submit(() -> hasher.update(toHash)));
                        current = (current + 1) % buffers.length;
                    }
                    write(chunk, length);
                }
                if (dropped != null || n == -1) {
                    hashing.forEach(this::await);
                    if (dropped instanceof IOException io) {
                        throw io;
                    }
                    if (dropped != null) {
                        throw (GantryException) dropped;
                    }
                    return;
                }
            }
        } finally {
            if (helper != null) {
                stop(helper);
            }
        }
    }

    /** Stops the hashing helper and waits until it no longer reads the buffers, which the thread's next download reuses. */
    private static void stop(ExecutorService helper) {
        helper.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (helper.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stores and counts one chunk that arrived (its hash is taken care of by the caller), {@link #WRITE_BYTES} at a time. */
    private void write(ByteBuffer chunk, int length) {
        int end = chunk.limit();
        try {
            while (chunk.position() < end) {
                chunk.limit(Math.min(end, chunk.position() + WRITE_BYTES));
                sink.write(chunk); // all of the slice: the sink writes everything remaining
            }
        } catch (IOException e) {
            throw storageError(e);
        } finally {
            chunk.limit(end);
        }
        received += length;
        progress.progress(received, blob.size());
    }

    private void await(Future<?> pending) {
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, description(), "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new GantryException(ErrorKind.INTERNAL, description(), String.valueOf(e.getCause()), e.getCause());
        }
    }

    private static Thread helperThread(Runnable task) {
        Thread thread = new Thread(task, "gantry-blob-verify");
        thread.setDaemon(true);
        return thread;
    }

    private void restart() {
        try {
            sink.restart();
        } catch (IOException e) {
            throw storageError(e);
        }
        hasher.reset();
        received = 0;
        progress.progress(0, blob.size());
    }

    private GantryException storageError(IOException e) {
        return new GantryException(ErrorKind.STORAGE, description(), "cannot store the blob: " + IoProblem.describe(e), e);
    }

    private static long rangeStart(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
