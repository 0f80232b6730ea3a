package io.gantry.registry;

import java.nio.ByteBuffer;

/**
 * The direct buffers a big blob download rotates through, kept per thread for its next
 * download. Direct buffers let the file write take a chunk without copying it again; allocating
 * them per blob would leave freeing that memory to the garbage collector, hence the cache (4 MiB
 * for each thread that has downloaded a big blob).
 */
final class ChunkBuffers {

    /**
     * Buffers in turn: four rather than two give the hashing thread slack when the registry,
     * the reading thread and it share two cores (in a by-hand loopback experiment, 524 MB took
     * 0.93 s instead of 1.08 s, medians of six; RegistryPullBenchmark did not see a difference
     * beyond its run-to-run noise).
     */
    static final int COUNT = 4;
    private static final ThreadLocal<ByteBuffer[]> BUFFERS = new ThreadLocal<>();

    private ChunkBuffers() {
    }

    /** This thread's direct buffers of {@code size} bytes; a download must be done with them before it returns. */
    static ByteBuffer[] forThisThread(int size) {
        ByteBuffer[] buffers = BUFFERS.get();
        if (buffers == null || buffers[0].capacity() != size) {
            buffers = new ByteBuffer[COUNT];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocateDirect(size);
            }
            BUFFERS.set(buffers);
        }
        return buffers;
    }
}
