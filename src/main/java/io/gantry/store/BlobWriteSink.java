package io.gantry.store;

import io.gantry.registry.BlobSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The registry client's sink over a {@link BlobWrite}. The client's {@link #commit()} says the
 * bytes are verified; {@code LayoutPuller} then stores them (fsync, rename) off the download slot.
 */
final class BlobWriteSink implements BlobSink {
    private final BlobWrite write;

    BlobWriteSink(BlobWrite write) {
        this.write = write;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        write.write(bytes);
    }

    @Override
    public Optional<Kept> kept() {
        return write.offset() > 0 ? Optional.of(new Kept(write.offset(), write.hashOfKept()))
                : Optional.empty();
    }

    @Override
    public void suspend() {
        write.close(); // keeps the partial file: the next pull of this layer continues from it
    }

    @Override
    public void restart() {
        write.restart();
    }

    @Override
    public void commit() {
        // verified: LayoutPuller stores the blob once the client returns
    }

    @Override
    public void abort() {
        write.discard();
    }
}
