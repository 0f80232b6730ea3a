package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writing one blob whose digest (and usually size) is known in advance, resumably: bytes go to a
 * partial file under {@code .gantry/partial}, hashed as they arrive; {@link #commit()} checks size
 * and digest, fsyncs and renames the file into {@code blobs/}. Until then nothing is visible in the
 * layout. Closing without committing keeps the partial file, so the next attempt starts at
 * {@link #offset()} (for an HTTP Range request); a bad digest discards it.
 *
 * <p>A write holds a file lock on the partial, so two processes never append to it at once; open
 * one with {@link OciLayoutStore#beginBlob}. Not thread-safe: one writer thread.
 */
public final class BlobWrite implements AutoCloseable {

    private static final int BUFFER = 256 * 1024;

    private final LayoutPaths paths;
    private final Digest expected;
    private final long expectedSize;
    private final Path partial;
    private final String operation;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final MessageDigest hash;
    private final StoreLocks.Held storeHold;
    private long offset;
    private FileChannel channel;
    private long written;
    private boolean finished;
    private boolean verifiedBySource;
    private final Output output = new Output();
    private boolean discarded;
    private final WriteBehind writeBehind = new WriteBehind(() -> channel.force(false));

    private BlobWrite(LayoutPaths paths, Digest expected, long expectedSize, FileChannel lockChannel, FileLock lock,
                      StoreLocks.Held storeHold) throws IOException {
        this.paths = paths;
        this.storeHold = storeHold;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.partial = paths.partial(expected);
        this.operation = "store blob " + expected;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.hash = newHash(expected);
        long existing = Files.exists(partial) ? Files.size(partial) : 0;
        if (expectedSize >= 0 && existing > expectedSize) {
            Files.delete(partial);
            existing = 0;
        }
        this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (existing > 0) {
            existing = rehash(existing);
        }
        channel.position(existing);
        channel.truncate(existing);
        this.offset = existing;
        this.written = existing;
    }

    /**
     * Opens (or, when {@code wait} allows, waits for) the partial file of {@code expected}.
     * Returns null when another process is writing it and {@code wait} is false.
     */
    static BlobWrite open(LayoutPaths paths, Digest expected, long expectedSize, boolean wait, StoreLocks.Held storeHold) {
        String operation = "store blob " + expected;
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(paths.partials());
            lockChannel = FileChannel.open(paths.partialLock(expected), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            long sleep = 5;
            while (lock == null) {
                try {
                    lock = lockChannel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    if (!wait) {
                        lockChannel.close();
                        return null;
                    }
                    Thread.sleep(sleep);
                    sleep = Math.min(100, sleep * 2);
                }
            }
            return new BlobWrite(paths, expected, expectedSize, lockChannel, lock, storeHold);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(lockChannel);
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted");
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw FileOps.writeFailure(operation, paths.partials(), e);
        }
    }

    /** Bytes already stored from an earlier, interrupted attempt; continue the download from here. */
    public long offset() {
        return offset;
    }

    /**
     * Says that whoever writes the bytes verifies their digest itself before calling
     * {@link #commit()} (the registry client does, over exactly the bytes it hands on), so the
     * store does not hash them a second time. The size is still checked.
     */
    public void verifiedBySource() {
        verifiedBySource = true;
    }

    /** Drops what an earlier attempt stored, for a source that cannot resume: the next byte written is the first. */
    public void restart() {
        try {
            output.count = 0;
            channel.truncate(0);
            channel.position(0);
            hash.reset();
            written = 0;
            offset = 0;
        } catch (IOException e) {
            throw FileOps.writeFailure(operation, partial, e);
        }
    }

    /** Bytes stored so far, including {@link #offset()}. */
    public long written() {
        return written;
    }

    public Digest digest() {
        return expected;
    }

    /**
     * Where to write the bytes after {@link #offset()}. Writing more than the expected size fails
     * at once with {@code BAD_CONTENT}, so a peer lying about sizes cannot fill the disk.
     */
    public OutputStream output() {
        return output;
    }

    /**
     * Appends {@code bytes} (all its remaining bytes, which follow {@link #offset()} and whatever
     * was written before) with the same checks as {@link #output()}; a direct buffer reaches the
     * file without a copy.
     */
    public void write(ByteBuffer bytes) throws IOException {
        output.checkRoom(bytes.remaining());
        output.flushBuffer();
        output.writeThrough(bytes);
    }

    /**
     * The hash of the bytes kept from an earlier attempt (the first {@link #offset()} bytes), for a
     * source that verifies the whole blob itself and continues after them: a copy, the caller's to
     * update. Call it before writing anything.
     */
    public MessageDigest hashOfKept() {
        try {
            return (MessageDigest) hash.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 and SHA-512 can be cloned", e);
        }
    }

    /** Copies {@code in} (the bytes after {@link #offset()}) to the output. */
    public long copyFrom(InputStream in) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            output.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /**
     * Checks size and digest, fsyncs, and moves the blob into the layout. A mismatch discards the
     * partial file and fails with {@code BAD_CONTENT}; the layout is unchanged.
     */
    public void commit() {
        if (finished) {
            throw new IllegalStateException("already committed or discarded");
        }
        try {
            output.flushBuffer();
            if (expectedSize >= 0 && written != expectedSize) {
                discard();
                throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                        "truncated: got " + written + " of " + expectedSize + " bytes", "SIZE_MISMATCH", 0, null, null);
            }
            Digest actual = verifiedBySource ? expected
                    : new Digest(expected.algorithm(), HexFormat.of().formatHex(hash.digest()));
            if (!actual.equals(expected)) {
                discard();
                throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                        "digest mismatch: the content hashes to " + actual, "DIGEST_INVALID", 0,
                        "The source sent corrupt data; try again, or report it to the registry's owner.", null);
            }
            channel.force(false); // fdatasync: the data and the size; the rename below is synced with its directory
            channel.close();
            Path target = paths.blob(expected);
            Files.createDirectories(target.getParent());
            FileOps.moveAtomically(partial, target);
            finished = true;
        } catch (IOException e) {
            throw FileOps.writeFailure(operation, partial, e);
        } finally {
            if (finished) {
                releaseLock();
            }
        }
    }

    /** Forgets the partial file (bad content, or the caller wants a fresh start). */
    public void discard() {
        if (discarded) {
            return;
        }
        discarded = true;
        finished = true;
        closeQuietly(channel);
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // left for garbage collection
        }
        releaseLock();
    }

    /** Keeps what was written for a later resume (unless committed or discarded) and releases the lock. */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            try {
                output.flushBuffer();
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                // a partial that did not reach the disk is re-hashed and trimmed on resume
            }
            closeQuietly(channel);
            releaseLock();
        }
    }

    /**
     * Releases the partial's file lock. The lock file stays: deleting it while another process
     * waits on it would let two writers lock different inodes; garbage collection removes it.
     */
    private void releaseLock() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it
        }
        closeQuietly(lockChannel);
        storeHold.close();
    }

    /** Hashes the first {@code length} bytes already on disk; returns how many were read. */
    private long rehash(long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long read = 0;
        channel.position(0);
        while (read < length) {
            buffer.clear();
            if (length - read < buffer.capacity()) {
                buffer.limit((int) (length - read));
            }
            int n = channel.read(buffer);
            if (n <= 0) {
                break;
            }
            hash.update(buffer.array(), 0, n);
            read += n;
        }
        return read;
    }

    private static MessageDigest newHash(Digest digest) {
        try {
            return MessageDigest.getInstance(digest.algorithm().equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides SHA-256 and SHA-512", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing more to do
            }
        }
    }

    /** Buffers, hashes and size-checks what is written, then appends it to the partial file. */
    private final class Output extends OutputStream {
        private final byte[] buffer = new byte[BUFFER];
        private int count;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            checkRoom(len);
            if (count == 0 && len >= buffer.length / 2) {
                writeThrough(ByteBuffer.wrap(bytes, off, len)); // big chunks go straight to the file: one copy fewer
                return;
            }
            while (len > 0) {
                int chunk = Math.min(len, buffer.length - count);
                System.arraycopy(bytes, off, buffer, count, chunk);
                count += chunk;
                off += chunk;
                len -= chunk;
                if (count == buffer.length) {
                    flushBuffer();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
        }

        void flushBuffer() throws IOException {
            if (count == 0) {
                return;
            }
            int n = count;
            count = 0;
            writeThrough(ByteBuffer.wrap(buffer, 0, n));
        }

        /** Fails unless the write is open and {@code len} more bytes fit in the expected size. */
        void checkRoom(int len) throws IOException {
            if (finished) {
                throw new IOException("the blob write is closed");
            }
            if (expectedSize >= 0 && written + count + len > expectedSize) {
                discard();
                throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                        "the source sent more than the " + expectedSize + " bytes it announced", "SIZE_MISMATCH", 0,
                        "The registry's manifest and blob disagree; report it to the registry's owner.", null);
            }
        }

        /** Appends all of {@code bytes}' remaining bytes to the file (the buffer must be empty). */
        void writeThrough(ByteBuffer bytes) {
            int len = bytes.remaining();
            if (!verifiedBySource) {
                hash.update(bytes.duplicate());
            }
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                throw FileOps.writeFailure(operation, partial, e);
            }
            written += len;
            writeBehind.wrote(len);
        }
    }
}
