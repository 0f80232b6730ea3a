package io.gantry.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Where a blob download goes. The client writes bytes as they arrive, and only once size and
 * digest are verified does it {@link #commit()}; when the content is bad it calls
 * {@link #abort()}, so a sink never presents unverified bytes as a complete blob
 * ({@link FileBlobSink} keeps them in a temporary file until then).
 *
 * <p>A sink may keep what arrived when a download stops early ({@link #suspend()}) and offer it
 * to the next attempt ({@link #kept()}), which then asks the registry only for the rest.
 */
public interface BlobSink {

    /** Appends the bytes that arrived (not yet verified): all of {@code bytes}' remaining ones. */
    void write(ByteBuffer bytes) throws IOException;

    /** Drops everything written so far: the download restarts from byte 0. */
    void restart() throws IOException;

    /** The bytes written are the complete, verified blob: make them visible. */
    void commit() throws IOException;

    /** The content is bad (or the caller gives up on it): discard what was written. Must not throw. */
    void abort();

    /**
     * The download stopped before the end (cancelled, the connection lost, the registry failing):
     * a sink that can resume keeps what was written for a later attempt; by default it is
     * discarded like {@link #abort()}. Must not throw.
     */
    default void suspend() {
        abort();
    }

    /**
     * Bytes an earlier, interrupted download of this blob left in the sink, and the hash of those
     * bytes to continue from; empty when the download starts at byte 0.
     */
    default Optional<Kept> kept() {
        return Optional.empty();
    }

    /**
     * The first {@code bytes} bytes of a blob, already in the sink, and their hash so far
     * ({@code hash} is the caller's to continue: the sink must not use it again).
     */
    record Kept(long bytes, MessageDigest hash) {
    }
}
