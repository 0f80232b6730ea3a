package io.gantry.service;

import io.gantry.engine.PullProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Collects a pull's progress events on the pulling thread and hands them on in batches at most
 * once per period (as Jib's {@code ThrottledAccumulatingConsumer} does), so a fast download floods
 * neither the FX thread nor a terminal. Nothing but byte counts is dropped: a batch keeps every
 * event in arrival order, except that a layer's repeated events of one phase (Downloading 1 MB,
 * 2 MB, 3 MB…) collapse into the latest; every change of phase and every whole-pull line passes.
 * Call {@link #flush()} when the pull ends so the last state is never lost. Thread-safe.
 */
public final class ThrottledProgress implements Consumer<PullProgress> {

    /** About ten updates a second. */
    public static final long DEFAULT_PERIOD_NANOS = 100_000_000L;

    private final Consumer<List<PullProgress>> sink;
    private final LongSupplier nanoTime;
    private final long periodNanos;
    private final List<PullProgress> pending = new ArrayList<>();
    /** Where in {@link #pending} each layer's latest event is. */
    private final Map<String, Integer> latest = new HashMap<>();
    private long lastFlush;

    /**
     * @param sink        receives each batch (on the thread that called {@link #accept} or {@link #flush})
     * @param nanoTime    the clock, {@code System::nanoTime} outside tests
     * @param periodNanos the least time between two batches
     */
    public ThrottledProgress(Consumer<List<PullProgress>> sink, LongSupplier nanoTime, long periodNanos) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.periodNanos = periodNanos;
        this.lastFlush = nanoTime.getAsLong() - periodNanos;
    }

    @Override
    public void accept(PullProgress event) {
        List<PullProgress> batch = null;
        synchronized (this) {
            Integer at = event.isLayerEvent() ? latest.get(event.layer()) : null;
            if (at != null && pending.get(at).phase() == event.phase()) {
                pending.set(at, event); // more bytes of the same phase: the latest count is enough
            } else {
                if (event.isLayerEvent()) {
                    latest.put(event.layer(), pending.size());
                }
                pending.add(event);
            }
            long now = nanoTime.getAsLong();
            if (now - lastFlush >= periodNanos) {
                lastFlush = now;
                batch = drain();
            }
        }
        if (batch != null) {
            sink.accept(batch);
        }
    }

    /** Hands on whatever is pending now. */
    public void flush() {
        List<PullProgress> batch;
        synchronized (this) {
            lastFlush = nanoTime.getAsLong();
            batch = drain();
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }

    private List<PullProgress> drain() {
        List<PullProgress> batch = List.copyOf(pending);
        pending.clear();
        latest.clear();
        return batch;
    }
}
