package io.gantry.service.analysis;

import io.gantry.core.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Completed layer scans by diff ID, so a base layer that twenty images share is read once.
 * Bounded: least recently used scans are dropped beyond {@code maxLayers} (a scan's memory is about
 * 150 bytes per file). Thread-safe; concurrent requests for the same layer wait for one computation.
 * Failed scans are not kept, so a layer that failed because its source hiccuped is read again next time.
 */
public final class LayerScanCache {

    private final int maxLayers;
    private final Map<Digest, CompletableFuture<LayerScan>> entries;

    public LayerScanCache(int maxLayers) {
        if (maxLayers < 1) {
            throw new IllegalArgumentException("cache must hold at least one layer");
        }
        this.maxLayers = maxLayers;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * The cached scan for {@code key}, or the result of {@code compute} run once on this thread. A
     * caller asking while another computes the same key waits for that result.
     */
    public LayerScan get(Digest key, Supplier<LayerScan> compute) {
        CompletableFuture<LayerScan> mine = new CompletableFuture<>();
        CompletableFuture<LayerScan> existing;
        synchronized (entries) {
            existing = entries.get(key);
            if (existing == null) {
                entries.put(key, mine);
                evict();
            }
        }
        if (existing != null) {
            return await(existing);
        }
        LayerScan scan;
        try {
            scan = compute.get();
        } catch (RuntimeException | Error e) {
            forget(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        if (!scan.complete()) {
            forget(key, mine);
        }
        mine.complete(scan);
        return scan;
    }

    /** Number of layers held (completed or being computed). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    private void evict() {
        var it = entries.entrySet().iterator();
        while (entries.size() > maxLayers && it.hasNext()) {
            var eldest = it.next();
            if (eldest.getValue().isDone()) {
                it.remove();
            }
        }
    }

    private void forget(Digest key, CompletableFuture<LayerScan> future) {
        synchronized (entries) {
            entries.remove(key, future);
        }
    }

    private static LayerScan await(CompletableFuture<LayerScan> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LayerScan(java.util.List.of(), Compression.NONE, 0, 0, java.util.Optional.of(
                    new ScanFailure(ScanFailure.Problem.CANCELLED, "cancelled while another analysis read this layer")));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
