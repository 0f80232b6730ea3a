package io.gantry.store;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets a blob's bytes on their way to the disk while more are still arriving, so the fsync that
 * commits the blob has only the last few megabytes left to write.
 *
 * <p>Linux starts writing dirty pages back only when they are 30 s old or a tenth of memory is
 * dirty, so without this a pull of 500 MB wrote nothing to the disk until its commits, and the
 * last layer's fsync (about 0.3 s for 200 MB on the test machine) came after the last byte had
 * arrived. Every {@link #STEP} bytes a writer asks one background thread for an fdatasync of its
 * file; a request while one is still running for that file is dropped. The writer never waits:
 * this changes when bytes reach the disk, not what is visible in the layout (a blob appears only
 * by {@link BlobWrite#commit()}'s rename). Java has no {@code sync_file_range}, which would start
 * the writes without waiting for them; a thread that waits does the same for the writer.
 */
final class WriteBehind {

    /** Bytes a writer appends between two flush requests. */
    static final long STEP = 16L * 1024 * 1024;

    private static final ExecutorService FLUSHER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "gantry-write-behind");
        thread.setDaemon(true); // an fdatasync left undone at exit loses nothing: commits sync themselves
        return thread;
    });

    /** Writes a file's dirty pages to the disk (an fdatasync). */
    @FunctionalInterface
    interface Flush {
        void flush() throws IOException;
    }

    private final Flush flush;
    private final AtomicBoolean pending = new AtomicBoolean();
    private long sinceRequest;

    WriteBehind(Flush flush) {
        this.flush = flush;
    }

    /** Counts {@code bytes} just appended; every {@link #STEP} bytes, asks for a flush unless one is running. */
    void wrote(long bytes) {
        sinceRequest += bytes;
        if (sinceRequest >= STEP && pending.compareAndSet(false, true)) {
            sinceRequest = 0;
            FLUSHER.execute(() -> {
                try {
                    flush.flush();
                } catch (IOException e) {
                    // closed meanwhile (committed, discarded, suspended): its own fsync, if any, covers it
                } finally {
                    pending.set(false);
                }
            });
        }
    }
}
