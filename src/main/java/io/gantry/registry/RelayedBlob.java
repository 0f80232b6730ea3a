package io.gantry.registry;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A blob of one registry read as the upload body for another, with no temporary copy: every
 * {@link #open()} starts a download ({@link RegistryClient#pullBlob}, on a thread of its own) into
 * a 1 MiB pipe that the upload reads. The download verifies size and digest as it streams and
 * ends the stream only once both match; bad content breaks the stream instead, so the upload
 * fails (the target registry checks the digest of what it was sent, too). A retried upload opens
 * a new download. Closing the stream early stops the download.
 */
final class RelayedBlob implements BlobSource {

    private static final int PIPE_BYTES = 1 << 20;

    private final RegistryClient client;
    private final Repository from;
    private final Descriptor blob;
    private final Cancellation cancellation;
    /** Why the latest download failed; each {@link #open()} has its own, so a late one cannot blur it. */
    private volatile AtomicReference<GantryException> latestFailure = new AtomicReference<>();

    RelayedBlob(RegistryClient client, Repository from, Descriptor blob, Cancellation cancellation) {
        this.client = client;
        this.from = from;
        this.blob = blob;
        this.cancellation = cancellation;
    }

    @Override
    public long size() {
        return blob.size();
    }

    /** Why the last download failed, when it did: the cause of a failed upload, not its symptom. */
    Optional<GantryException> sourceFailure() {
        return Optional.ofNullable(latestFailure.get());
    }

    @Override
    public InputStream open() throws IOException {
        AtomicReference<GantryException> sourceFailure = new AtomicReference<>();
        latestFailure = sourceFailure;
        PipedInputStream in = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream out = new PipedOutputStream(in);
        Cancellation download = new Cancellation();
        Cancellation.Registration outer = cancellation.onCancel(download::cancel);
        PipeSink sink = new PipeSink(out);
        Thread thread = new Thread(() -> {
            try {
                client.pullBlob(from, blob, sink, ProgressListener.NONE, download);
            } catch (GantryException e) {
                sourceFailure.set(e);
            } catch (RuntimeException e) {
                sourceFailure.set(GantryException.unexpected("copy blob " + blob.digest() + " from " + from, e));
            } finally {
                sink.closeQuietly();
                outer.close();
            }
        }, "gantry-copy-blob-" + blob.digest().shortHex());
        thread.setDaemon(true);
        thread.start();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = in.read(b, off, len);
                } catch (IOException e) {
                    throw broken(e);
                }
                if (n < 0 && !sink.committed) {
                    throw broken(null); // the pipe ended without a verified blob
                }
                return n;
            }

            private IOException broken(IOException cause) {
                // the download closes the pipe only after it recorded why it stopped (PipeSink.abort)
                GantryException failed = sourceFailure.get();
                return failed != null ? new IOException("the source registry stopped sending: " + failed.getMessage(), failed)
                        : new IOException("the source registry stopped sending", cause);
            }

            @Override
            public void close() throws IOException {
                download.cancel(); // an upload that stops early stops the download
                in.close();
            }
        };
    }

    /**
     * Writes the download into the pipe; ends it on commit (the blob verified), else only after the
     * failure is recorded.
     */
    private static final class PipeSink implements BlobSink {
        private final PipedOutputStream out;
        private byte[] transfer = new byte[0];
        private volatile boolean committed;

        PipeSink(PipedOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            if (bytes.hasArray()) {
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                bytes.position(bytes.limit());
            } else {
                int length = bytes.remaining();
                if (transfer.length < length) {
                    transfer = new byte[length];
                }
                bytes.get(transfer, 0, length);
                out.write(transfer, 0, length);
            }
        }

        @Override
        public void restart() throws IOException {
            throw new IOException("the registry sent the blob again from its start; the bytes already relayed "
                    + "cannot be taken back");
        }

        @Override
        public void commit() throws IOException {
            committed = true;
            out.close();
        }

        @Override
        public void abort() {
            // the pipe is closed by the download's thread once it has recorded why it failed, so
            // that the upload, seeing the end, always finds the reason
        }

        void closeQuietly() {
            try {
                out.close();
            } catch (IOException ignored) {
                // the reader sees the end and asks whether the blob was committed
            }
        }
    }
}
