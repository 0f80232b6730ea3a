package io.gantry.service.analysis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The raw layer blob: counts the bytes read (the compressed size, for throughput figures) and marks
 * the source's own I/O errors as {@link SourceFailure}, so the scanner can tell "the engine stopped
 * sending" from "the data is corrupt".
 */
final class SourceInputStream extends FilterInputStream {

    /** An I/O error of the store or engine delivering the layer, not of its content. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    // written by the thread that decompresses (see ReadAhead), read by the scanner's
    private volatile long count;

    SourceInputStream(InputStream in) {
        super(in);
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Read rather than skip, so every byte is counted and errors are classified.
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
