package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pull use case over any endpoint: checks the reference, pulls through the endpoint's own
 * pipeline (the embedded store's, or the engine's), and hands progress on throttled: every change
 * of phase at once, byte counts of a layer at most every {@code interval} (Jib's
 * {@code ThrottledAccumulatingConsumer} idea), so a GUI or terminal is not flooded.
 */
public final class PullService {

    /** About ten updates a second per layer, as DESIGN.md asks of progress. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    private final Clock clock;
    private final Duration interval;

    public PullService(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    public PullService(Clock clock) {
        this(clock, DEFAULT_INTERVAL);
    }

    /**
     * Pulls {@code request} into {@code endpoint}. Progress reaches {@code listener} on the calling
     * thread; cancelling {@code cancellation} stops the pull with {@code CANCELLED}.
     */
    public PullResult pull(ImageStore endpoint, PullRequest request, Consumer<PullProgress> listener, Cancellation cancellation) {
        ImageReference.parse(request.reference()); // a malformed reference fails here, with the rule it breaks
        cancellation.throwIfCancelled("pull " + request.reference());
        return endpoint.pull(request, throttled(listener), cancellation::onCancel);
    }

    /** Passes phase changes at once and a layer's byte counts at most every interval. */
    Consumer<PullProgress> throttled(Consumer<PullProgress> listener) {
        Map<String, Long> lastSent = new HashMap<>();
        return event -> {
            if (event.phase() == Phase.DOWNLOADING && event.current() < event.total()) {
                long now = clock.millis();
                Long last = lastSent.get(event.layer());
                if (last != null && now - last < interval.toMillis()) {
                    return;
                }
                lastSent.put(event.layer(), now);
            }
            listener.accept(event);
        };
    }
}
