package io.gantry.service.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a thread of its own, a few buffers ahead of the thread that consumes it: the
 * layer scanner's decompression runs beside its tar parsing, as {@code gzip -dc | tar -t} runs on
 * two cores. For a layer of 100,000 small files, inflating was about half of the scan.
 *
 * <p>What the reader sees is exactly the stream underneath: the same bytes, and the same exception
 * object after the same bytes (so {@code ZipException}, {@code EOFException} and
 * {@link SourceInputStream.SourceFailure} are told apart as before). For that, every read of the
 * stream underneath asks for {@value #READ_SIZE} bytes, what the scanner's buffered stream asked a
 * decompressor for before: a decompressor that fails drops what it inflated in the failing read, so
 * larger reads would lose more entries before a corrupt spot. A buffer holds several such reads
 * (fewer hand-overs between the threads). The thread fills at most {@value #BUFFERS} buffers of
 * {@value #BUFFER_SIZE} bytes ahead, so memory is constant and a compression bomb is inflated no
 * further than that past where the reader stopped.
 *
 * <p>The reader's thread is the one that can be cancelled: an interrupt stops {@link #read} with an
 * {@link InterruptedIOException}. {@link #close} stops the read-ahead thread (it exits at its next
 * step; a read blocked in the source ends when the caller closes the source). The read-ahead
 * thread is the only one that touches the stream underneath; it is not closed here.
 */
final class ReadAhead extends InputStream {

    static final int READ_SIZE = 64 * 1024;
    static final int BUFFER_SIZE = 4 * READ_SIZE;
    static final int BUFFERS = 4;

    /** One filled buffer, the end of the stream, or the failure that ended it. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {
        static final Chunk END = new Chunk(new byte[0], -1, null);
    }

    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread reader;
    private volatile boolean closed;

    private Chunk current;
    private int position;
    private boolean ended;
    private Throwable failure;

    ReadAhead(InputStream in, String threadName) {
        for (int i = 0; i < BUFFERS; i++) {
            empty.add(new byte[BUFFER_SIZE]);
        }
        reader = new Thread(() -> readAll(in), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** The read-ahead thread: fills empty buffers until the stream ends, fails or this is closed. */
    private void readAll(InputStream in) {
        try {
            while (!closed) {
                byte[] buffer = empty.take();
                int length = 0;
                int n = 0;
                try {
                    while (buffer.length - length >= READ_SIZE && (n = in.read(buffer, length, READ_SIZE)) >= 0) {
                        length += n;
                    }
                } catch (Throwable e) {
                    if (length > 0) {
                        filled.put(new Chunk(buffer, length, null)); // the bytes read before the failure
                    }
                    throw e;
                }
                if (length > 0) {
                    filled.put(new Chunk(buffer, length, null));
                } else {
                    empty.add(buffer);
                }
                if (n < 0) {
                    filled.put(Chunk.END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed: nobody reads any more
        } catch (Throwable e) {
            // handed over as it is (a reader waiting for a chunk must never be left waiting); the
            // queue has room for it, as at most BUFFERS chunks are ever filled
            filled.offer(new Chunk(null, 0, e));
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current.bytes, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length - position;
    }

    /** Makes {@link #current} a chunk with bytes left; {@code false} at the end of the stream. */
    private boolean next() throws IOException {
        if (current != null && position < current.length) {
            return true;
        }
        if (failure != null) {
            rethrow(failure);
        }
        if (ended) {
            return false;
        }
        if (current != null) {
            empty.add(current.bytes);
            current = null;
        }
        Chunk chunk;
        try {
            chunk = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("layer scan interrupted");
        }
        if (chunk.failure != null) {
            failure = chunk.failure;
            rethrow(failure);
        }
        if (chunk == Chunk.END) {
            ended = true;
            return false;
        }
        current = chunk;
        position = 0;
        return true;
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failure;
    }

    /** The read-ahead thread (for tests: whether it waits, whether it has ended). */
    Thread thread() {
        return reader;
    }

    /** Stops the read-ahead thread; bytes not yet read are dropped. */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }
}
