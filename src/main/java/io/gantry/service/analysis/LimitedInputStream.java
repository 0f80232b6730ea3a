package io.gantry.service.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The decompressed tar stream, cut off after a fixed number of bytes: the guard against compression
 * bombs. Reads and skips both count; going past the limit throws {@link LimitExceeded} and nothing
 * is buffered, so memory stays constant however much the data would expand. An interrupted thread
 * stops at the next read ({@link InterruptedIOException}), so even one huge entry can be cancelled.
 */
final class LimitedInputStream extends InputStream {

    /** Thrown when the limit is passed. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("more than " + limit + " bytes of uncompressed data");
        }
    }

    private final InputStream in;
    private final long limit;
    private final byte[] skipBuffer = new byte[64 * 1024];
    private long count;
    private boolean reachedEnd;

    LimitedInputStream(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    long count() {
        return count;
    }

    long remaining() {
        return limit - count;
    }

    /** Whether the data underneath has ended: a reader failing after that met a truncated archive. */
    boolean reachedEnd() {
        return reachedEnd;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            add(1);
        } else {
            reachedEnd = true;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("layer scan interrupted");
        }
        // Ask for at most one byte more than allowed: enough to notice the overflow.
        int allowed = (int) Math.min(length, Math.max(1, limit - count + 1));
        int n = in.read(buffer, offset, allowed);
        if (n > 0) {
            add(n);
        } else if (n < 0) {
            reachedEnd = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n) {
            int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    /** Reads and discards the rest, so the decompressor checks its trailer (gzip CRC and length). */
    void drain() throws IOException {
        while (read(skipBuffer, 0, skipBuffer.length) >= 0) {
            // discard
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void add(long n) throws LimitExceeded {
        count += n;
        if (count > limit) {
            throw new LimitExceeded(limit);
        }
    }
}
