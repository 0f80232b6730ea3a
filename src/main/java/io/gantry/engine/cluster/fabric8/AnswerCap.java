package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A byte cap on every answer fabric8's HTTP client reads from the API server (an interceptor on the
 * body's consumer): an answer that grows past {@link #maxBytes()} fails with {@link TooLarge} (the
 * client then cancels the body's subscription: nothing more is read, and the request is not
 * retried), which {@link KubeErrors} says in words. Lists are read in pages, so a real answer
 * stays far below the cap; it guards against a proxy or a server that sends without end.
 */
final class AnswerCap implements Interceptor {

    /** The name the interceptor is installed under. */
    static final String NAME = "gantry-answer-cap";
    /** The default cap: a page of 500 large objects is a few MiB. */
    static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final long maxBytes;

    AnswerCap(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * The failure of an answer larger than the cap. Not an {@code IOException}: fabric8 retries a
     * request that failed with one, and a too large answer would be too large again.
     */
    static final class TooLarge extends RuntimeException {
        private final long maxBytes;

        TooLarge(long maxBytes) {
            super("the answer is larger than " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }

        long maxBytes() {
            return maxBytes;
        }
    }

    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
        return new AsyncBody.Consumer<>() {
            private long read;

            @Override
            public void consume(List<ByteBuffer> buffers, AsyncBody body) throws Exception {
                for (ByteBuffer buffer : buffers) {
                    read += buffer.remaining();
                }
                if (read > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                consumer.consume(buffers, body);
            }

            @Override
            public <U> U unwrap(Class<U> target) {
                return consumer.unwrap(target);
            }
        };
    }
}
