package io.gantry.engine.docker;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A JSON stream's body whose single messages may not exceed a size. */
final class MessageBoundedStream extends FilterInputStream {
    private final long limit;
    private long sinceMessage;

    MessageBoundedStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** The reader finished a message; the count starts again. */
    void nextMessage() {
        sinceMessage = 0;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        sinceMessage += n;
        if (sinceMessage > limit + 64 * 1024) { // the parser reads ahead a buffer
            throw new IOException("the engine sent a stream message larger than " + (limit >> 20)
                    + " MiB, more than any valid one");
        }
    }
}
