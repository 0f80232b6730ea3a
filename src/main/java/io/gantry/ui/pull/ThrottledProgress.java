package io.gantry.ui.pull;

import io.gantry.engine.PullProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Collects a pull's progress events on the pulling thread and hands them on in batches at most
 * once per period (as Jib's {@code ThrottledAccumulatingConsumer} does), so a fast download does
 * not flood the FX thread: within a batch only the latest event of each layer is kept (in the
 * order the layers first appeared), with every whole-pull line. Call {@link #flush()} when the
 * pull ends so the last state is never lost.
 */
public final class ThrottledProgress implements Consumer<PullProgress> {

    /** About ten updates a second. */
    public static final long DEFAULT_PERIOD_NANOS = 100_000_000L;

    private final Consumer<List<PullProgress>> sink;
    private final LongSupplier nanoTime;
    private final long periodNanos;
    private final Map<String, PullProgress> layers = new LinkedHashMap<>();
    private final List<PullProgress> lines = new ArrayList<>();
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
            if (event.isLayerEvent()) {
                PullProgress earlier = layers.get(event.layer());
                layers.put(event.layer(), carryTotal(earlier, event));
            } else {
                lines.add(event);
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

    /**
     * A layer's size survives coalescing: a "Verifying" or "complete" event replacing a
     * "Downloading" one in the same batch keeps its byte total, so the row can still show it.
     */
    private static PullProgress carryTotal(PullProgress earlier, PullProgress event) {
        boolean sizeless = event.total() == 0 && switch (event.phase()) {
            case VERIFYING, DOWNLOAD_COMPLETE, PULL_COMPLETE -> true;
            default -> false;
        };
        if (earlier == null || !sizeless || earlier.total() == 0) {
            return event;
        }
        return new PullProgress(event.layer(), event.phase(), event.current(), earlier.total(), event.text());
    }

    private List<PullProgress> drain() {
        List<PullProgress> batch = new ArrayList<>(layers.values());
        batch.addAll(lines);
        layers.clear();
        lines.clear();
        return batch;
    }
}
