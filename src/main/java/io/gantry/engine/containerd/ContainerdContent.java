package io.gantry.engine.containerd;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.containerd.api.content.ContentGrpc;
import io.gantry.engine.containerd.api.content.ReadContentRequest;
import io.gantry.engine.containerd.api.content.ReadContentResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads blobs from containerd's content store ({@code Content.Read}, a stream of chunks): small ones
 * (manifests, indexes, configs) whole, size-capped and digest-checked, and cached by digest
 * (content is immutable); layers as a stream.
 */
final class ContainerdContent {

    /** The largest manifest, index or config Gantry reads whole. */
    static final int MAX_SMALL_BLOB = 4 * 1024 * 1024;
    private static final Duration SMALL_READ = Duration.ofSeconds(30);
    /** A layer stream may take long, but not forever: the deadline of one whole layer read. */
    private static final Duration LAYER_READ = Duration.ofMinutes(30);
    private static final int CACHE_LIMIT = 4096;

    private final ContainerdConnection connection;
    private final Map<Digest, byte[]> cache = new ConcurrentHashMap<>();

    ContainerdContent(ContainerdConnection connection) {
        this.connection = connection;
    }

    /** The whole blob, checked against its digest; {@code BAD_CONTENT} when larger than {@link #MAX_SMALL_BLOB}. */
    byte[] readSmall(String namespace, Digest digest, String operation) {
        byte[] cached = cache.get(digest);
        if (cached != null) {
            return cached;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Iterator<ReadContentResponse> chunks = connection.bind(ContentGrpc.newBlockingStub(connection.channel()),
                    namespace, SMALL_READ).read(ReadContentRequest.newBuilder().setDigest(digest.toString()).build());
            while (chunks.hasNext()) {
                ReadContentResponse chunk = chunks.next();
                if (out.size() + chunk.getData().size() > MAX_SMALL_BLOB) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, operation, "blob " + digest + " is larger than "
                            + MAX_SMALL_BLOB / (1024 * 1024) + " MiB, too large for a manifest or config");
                }
                chunk.getData().writeTo(out);
            }
        } catch (StatusRuntimeException e) {
            throw connection.failure(operation, e);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, operation, e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        if (!Digest.sha256(bytes).equals(digest)) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation, "blob " + digest
                    + " in containerd's content store does not match its digest");
        }
        if (cache.size() < CACHE_LIMIT) {
            cache.put(digest, bytes);
        }
        return bytes;
    }

    /**
     * A layer blob as a stream, read chunk by chunk as the caller consumes it and checked against its
     * digest at the end ({@code BAD_CONTENT} then); closing it cancels the call.
     */
    InputStream open(String namespace, Digest digest, String operation) {
        Context.CancellableContext call = Context.current().withCancellation();
        Iterator<ReadContentResponse> chunks;
        Context previous = call.attach();
        try {
            chunks = connection.bind(ContentGrpc.newBlockingStub(connection.channel()), namespace, LAYER_READ)
                    .read(ReadContentRequest.newBuilder().setDigest(digest.toString()).build());
        } catch (StatusRuntimeException e) {
            call.cancel(null);
            throw connection.failure(operation, e);
        } finally {
            call.detach(previous);
        }
        MessageDigest sha = Digest.newSha256();
        return new InputStream() {
            private byte[] buffer = new byte[0];
            private int position;
            private boolean done;

            private boolean fill() throws IOException {
                while (position >= buffer.length) {
                    if (done) {
                        return false;
                    }
                    try {
                        if (!chunks.hasNext()) {
                            done = true;
                            Digest actual = new Digest("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
                            if (!actual.equals(digest)) {
                                throw new IOException("blob " + digest + " read from containerd does not match its digest");
                            }
                            return false;
                        }
                        buffer = chunks.next().getData().toByteArray();
                    } catch (StatusRuntimeException e) {
                        throw new IOException(connection.failure(operation, e).getMessage(), e);
                    }
                    sha.update(buffer);
                    position = 0;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return fill() ? buffer[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, buffer.length - position);
                System.arraycopy(buffer, position, b, off, n);
                position += n;
                return n;
            }

            @Override
            public void close() {
                call.cancel(null);
            }
        };
    }
}
