package io.gantry.engine.docker;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A body whose reads restart an idle deadline and say so when it passed. */
final class IdleBoundedStream extends FilterInputStream {
    private final Deadline deadline;

    IdleBoundedStream(InputStream in, Deadline deadline) {
        super(in);
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            deadline.restart();
            return b;
        } catch (IOException | RuntimeException e) {
            throw translated(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int n = super.read(buffer, offset, length);
            deadline.restart();
            return n;
        } catch (IOException | RuntimeException e) {
            throw translated(e);
        }
    }

    private IOException translated(Exception e) {
        if (deadline.fired()) {
            return new IOException("no data for " + deadline.after().toSeconds() + " s", e);
        }
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
}
