package io.gantry.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a blob to a temporary file next to {@code destination} and moves it into place (after
 * an fsync) only on {@link #commit()}; {@link #abort()} deletes the temporary file. So the
 * destination either does not exist or holds the verified blob.
 */
public final class FileBlobSink implements BlobSink {

    private final Path destination;
    private final boolean sync;
    private Path temp;
    private FileChannel channel;

    /** A sink that fsyncs before the move. */
    public FileBlobSink(Path destination) {
        this(destination, true);
    }

    /**
     * @param destination where the verified blob ends up
     * @param sync        whether to fsync before the move (skip it only for scratch files)
     */
    public FileBlobSink(Path destination, boolean sync) {
        this.destination = destination.toAbsolutePath();
        this.sync = sync;
    }

    public Path destination() {
        return destination;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (channel == null) {
            Files.createDirectories(destination.getParent());
            temp = Files.createTempFile(destination.getParent(), "." + destination.getFileName(), ".partial");
            channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public void restart() throws IOException {
        if (channel != null) {
            channel.truncate(0);
            channel.position(0);
        }
    }

    @Override
    public void commit() throws IOException {
        if (channel == null) {
            // an empty blob: nothing was written
            write(ByteBuffer.allocate(0));
        }
        if (sync) {
            channel.force(true);
        }
        channel.close();
        channel = null;
        try {
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
        }
        temp = null;
    }

    @Override
    public void abort() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // best effort: a leftover .partial file is ignored by readers
        } finally {
            channel = null;
            temp = null;
        }
    }
}
