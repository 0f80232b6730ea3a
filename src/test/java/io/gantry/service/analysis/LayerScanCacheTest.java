package io.gantry.service.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LayerScanCacheTest {

    private static final LayerScan OK = new LayerScan(List.of(), Compression.NONE, 0, 0, Optional.empty());
    private static final LayerScan FAILED = new LayerScan(List.of(), Compression.NONE, 0, 0,
            Optional.of(new ScanFailure(ScanFailure.Problem.READ_FAILED, "gone")));

    @Test
    void concurrentRequestsForOneLayerComputeOnce() throws Exception {
        LayerScanCache cache = new LayerScanCache(4);
        AtomicInteger computations = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LayerScan>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> cache.get(Digest.sha256("layer"), () -> {
                    computations.incrementAndGet();
                    started.countDown();
                    await(release);
                    return OK;
                })));
            }
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100); // let the other requests arrive and wait
            release.countDown();
            for (Future<LayerScan> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isSameAs(OK);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(computations.get()).isEqualTo(1);
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondItsBound() {
        LayerScanCache cache = new LayerScanCache(2);
        AtomicInteger computations = new AtomicInteger();
        Digest a = Digest.sha256("a");
        Digest b = Digest.sha256("b");
        Digest c = Digest.sha256("c");
        cache.get(a, () -> count(computations));
        cache.get(b, () -> count(computations));
        cache.get(a, () -> count(computations)); // a is now the most recent
        cache.get(c, () -> count(computations)); // evicts b
        assertThat(cache.size()).isEqualTo(2);
        cache.get(a, () -> count(computations));
        assertThat(computations.get()).isEqualTo(3);
        cache.get(b, () -> count(computations));
        assertThat(computations.get()).isEqualTo(4);
    }

    @Test
    void failuresAreNotCachedAndExceptionsPropagate() {
        LayerScanCache cache = new LayerScanCache(2);
        Digest key = Digest.sha256("k");
        assertThat(cache.get(key, () -> FAILED)).isSameAs(FAILED);
        assertThat(cache.size()).isZero();
        assertThatThrownBy(() -> cache.get(key, () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(cache.get(key, () -> OK)).isSameAs(OK);
        assertThat(cache.size()).isEqualTo(1);
    }

    private static LayerScan count(AtomicInteger counter) {
        counter.incrementAndGet();
        return OK;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
