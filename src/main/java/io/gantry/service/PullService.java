package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The one pull path of the window and the command line, over any endpoint: pulls through the
 * endpoint's own pipeline (the embedded store's, or the engine's) and hands progress on in
 * throttled batches ({@link ThrottledProgress}: at most one batch per interval, the latest event of
 * each layer and every whole-pull line, the last state flushed when the pull ends), so neither a
 * window nor a terminal is flooded. The window's pull panel and {@code gantry pull} both draw a
 * {@link PullBoard} from these batches.
 */
public final class PullService {

    /** About ten updates a second, as DESIGN.md asks of progress. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    private final LongSupplier nanoTime;
    private final Duration interval;

    /**
     * @param nanoTime the clock batches are timed by, {@code System::nanoTime} outside tests
     * @param interval the least time between two batches
     */
    public PullService(LongSupplier nanoTime, Duration interval) {
        this.nanoTime = nanoTime;
        this.interval = interval;
    }

    public PullService() {
        this(System::nanoTime, DEFAULT_INTERVAL);
    }

    /**
     * Pulls {@code request} into {@code endpoint}. Progress batches reach {@code batches} on the
     * pulling (calling) thread, the last one before this returns or throws; cancelling
     * {@code cancellation} stops the pull with {@code CANCELLED}.
     */
    public PullResult pull(ImageStore endpoint, PullRequest request, Consumer<List<PullProgress>> batches,
                           Cancellation cancellation) {
        cancellation.throwIfCancelled("pull " + request.reference().familiar());
        ThrottledProgress progress = new ThrottledProgress(batches, nanoTime, interval.toNanos());
        try {
            return endpoint.pull(request, progress, cancellation);
        } finally {
            progress.flush();
        }
    }
}
