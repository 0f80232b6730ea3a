package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {

    @TempDir
    Path dir;

    @Test
    void asksForAFlushEveryStepAndNeverTwoAtOnceForOneFile() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WriteBehind writeBehind = new WriteBehind(() -> {
            flushes.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writeBehind.wrote(WriteBehind.STEP - 1);
        assertThat(flushes).hasValue(0);
        writeBehind.wrote(1);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        writeBehind.wrote(3 * WriteBehind.STEP); // the first flush still runs: no second one
        release.countDown();
        waitUntilIdle(writeBehind);
        assertThat(flushes).hasValue(1);
        writeBehind.wrote(WriteBehind.STEP);
        waitUntilIdle(writeBehind);
        assertThat(flushes).hasValue(2);
    }

    @Test
    void aBlobWrittenWhileItsFlushesRunIsStoredWhole() throws Exception {
        byte[] bytes = new byte[(int) (2 * WriteBehind.STEP + 12345)];
        new java.util.Random(7).nextBytes(bytes);
        io.gantry.core.Digest digest = io.gantry.core.Digest.sha256(bytes);
        try (OciLayoutStore store = OciLayoutStore.open(dir, StoreOptions.defaults())) {
            try (BlobWrite write = store.beginBlob(digest, bytes.length)) {
                for (int offset = 0; offset < bytes.length; offset += 1 << 20) {
                    write.write(ByteBuffer.wrap(bytes, offset, Math.min(1 << 20, bytes.length - offset)));
                }
                write.commit();
            }
            assertThat(Files.readAllBytes(dir.resolve("blobs/sha256/" + digest.hex()))).isEqualTo(bytes);
            assertThat(store.verify().ok()).isTrue();
        }
    }

    /** Waits for the background thread to finish what was asked of it before now. */
    private static void waitUntilIdle(WriteBehind writeBehind) throws InterruptedException {
        CountDownLatch idle = new CountDownLatch(1);
        WriteBehind probe = new WriteBehind(idle::countDown);
        probe.wrote(WriteBehind.STEP); // one thread runs the flushes in order: this one comes last
        assertThat(idle.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
