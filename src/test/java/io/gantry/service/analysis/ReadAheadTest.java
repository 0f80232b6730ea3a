package io.gantry.service.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The layer scanner's second thread: same bytes, same failure, bounded, stoppable. */
class ReadAheadTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void deliversExactlyTheBytesOfTheStreamUnderneath() throws IOException {
        SplittableRandom random = new SplittableRandom(20);
        byte[] data = new byte[3 * ReadAhead.BUFFER_SIZE * ReadAhead.BUFFERS + 12_345];
        random.nextBytes(data);
        ReadAhead in = new ReadAhead(new ShortReads(data, random.split()), "read-ahead-test");
        try {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[100_000];
            while (true) {
                int n = random.nextInt(4) == 0 ? singleByte(in, buffer) : in.read(buffer, 0, 1 + random.nextInt(buffer.length));
                if (n < 0) {
                    break;
                }
                read.write(buffer, 0, n);
            }
            assertThat(read.toByteArray()).isEqualTo(data);
            assertThat(in.read(buffer, 0, 10)).isEqualTo(-1);
        } finally {
            in.close();
        }
    }

    @Test
    void aFailureComesAfterExactlyTheBytesReadBeforeItAndStays() throws IOException {
        IOException failure = new IOException("the source failed");
        int before = 2 * ReadAhead.BUFFER_SIZE + 777;
        InputStream source = new InputStream() {
            private int given;

            @Override
            public int read() throws IOException {
                throw new AssertionError("read in blocks only");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given == before) {
                    throw failure;
                }
                int n = Math.min(len, before - given);
                given += n;
                return n;
            }
        };
        ReadAhead in = new ReadAhead(source, "read-ahead-test");
        try {
            byte[] buffer = new byte[1000];
            long total = 0;
            IOException thrown = null;
            try {
                int n;
                while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
                    total += n;
                }
            } catch (IOException e) {
                thrown = e;
            }
            assertThat(thrown).isSameAs(failure);
            assertThat(total).isEqualTo(before);
            assertThatThrownBy(() -> in.read(buffer, 0, 1)).isSameAs(failure);
        } finally {
            in.close();
        }
    }

    @Test
    void readsNoMoreThanItsBuffersAheadAndStopsWhenClosed() throws IOException {
        AtomicLong given = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read in blocks only");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                given.addAndGet(len);
                return len;
            }
        };
        ReadAhead in = new ReadAhead(endless, "read-ahead-test");
        try {
            assertThat(in.read()).isEqualTo(0);
            // every buffer full (one being read here): the thread waits for one to come back
            awaitTrue(() -> in.thread().getState() == Thread.State.WAITING && in.available() > 0);
            assertThat(given.get()).isLessThanOrEqualTo((long) ReadAhead.BUFFERS * ReadAhead.BUFFER_SIZE);
        } finally {
            in.close();
        }
        awaitTrue(() -> !in.thread().isAlive());
    }

    @Test
    void anInterruptedReaderStopsWaitingAndTheThreadEndsWhenClosed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InputStream stalled = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read in blocks only");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted");
                }
                return -1;
            }
        };
        ReadAhead in = new ReadAhead(stalled, "read-ahead-test");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> in.read(new byte[10], 0, 10)).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
            in.close();
        }
        awaitTrue(() -> !in.thread().isAlive());
        release.countDown();
    }

    private static int singleByte(InputStream in, byte[] buffer) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buffer[0] = (byte) b;
        return 1;
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within %s", DEADLINE).isLessThan(end);
            LockSupport.parkNanos(5_000_000); // a polling interval, not a timing assumption
        }
    }

    /** A byte array read back in pieces of random length, as a decompressor returns them. */
    private static final class ShortReads extends InputStream {
        private final byte[] data;
        private final SplittableRandom random;
        private int at;

        ShortReads(byte[] data, SplittableRandom random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            throw new AssertionError("read in blocks only");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(20_000)), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }
}
