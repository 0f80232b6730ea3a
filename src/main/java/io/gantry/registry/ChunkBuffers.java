package io.gantry.registry;

import java.nio.ByteBuffer;

/**
 * The two direct buffers a big blob download alternates between, kept per thread for its next
 * download. Direct buffers let the file write take a chunk without copying it again; allocating
 * them per blob would leave freeing that memory to the garbage collector, hence the cache (2 MiB
 * for each thread that has downloaded a big blob).
 */
final class ChunkBuffers {

    private static final ThreadLocal<ByteBuffer[]> PAIRS = new ThreadLocal<>();

    private ChunkBuffers() {
    }

    /** This thread's pair of direct buffers of {@code size} bytes; a download must be done with them before it returns. */
    static ByteBuffer[] pair(int size) {
        ByteBuffer[] pair = PAIRS.get();
        if (pair == null || pair[0].capacity() != size) {
            pair = new ByteBuffer[] {ByteBuffer.allocateDirect(size), ByteBuffer.allocateDirect(size)};
            PAIRS.set(pair);
        }
        return pair;
    }
}
