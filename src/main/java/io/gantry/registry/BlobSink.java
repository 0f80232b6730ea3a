package io.gantry.registry;

import java.io.IOException;

/**
 * Where a blob download goes. The client writes bytes as they arrive, and only once size and
 * digest are verified does it {@link #commit()}; on any failure it calls {@link #abort()}, so a
 * sink never presents unverified bytes as a complete blob ({@link FileBlobSink} keeps them in a
 * temporary file until then).
 */
public interface BlobSink {

    /** Appends bytes that arrived (not yet verified). */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Drops everything written so far: the download restarts from byte 0. */
    void restart() throws IOException;

    /** The bytes written are the complete, verified blob: make them visible. */
    void commit() throws IOException;

    /** The download failed: discard what was written. Must not throw. */
    void abort();
}
