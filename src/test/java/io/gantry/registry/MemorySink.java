package io.gantry.registry;

import java.util.Optional;

/** A sink in memory that keeps what arrived when a download is suspended, as the embedded store's does, and the size of each write. */
final class MemorySink implements BlobSink {
    final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    /** The size of each write, in order. */
    final java.util.List<Integer> writes = new java.util.ArrayList<>();
    boolean suspended;
    boolean aborted;
    boolean committed;

    @Override
    public void write(java.nio.ByteBuffer buffer) {
        writes.add(buffer.remaining());
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
    }

    @Override
    public void restart() {
        bytes.reset();
    }

    @Override
    public void commit() {
        committed = true;
    }

    @Override
    public void abort() {
        aborted = true;
        bytes.reset();
    }

    @Override
    public void suspend() {
        suspended = true;
    }

    @Override
    public Optional<Kept> kept() {
        if (bytes.size() == 0) {
            return Optional.empty();
        }
        java.security.MessageDigest hash = Digests.hasher("sha256");
        hash.update(bytes.toByteArray());
        return Optional.of(new Kept(bytes.size(), hash));
    }
}
