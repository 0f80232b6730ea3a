package io.gantry.engine.docker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's deadline: when it passes before {@link #cancel()}, the pool the request runs on is
 * torn down and the request fails with "did not answer within".
 */
final class Deadline {

    /** One daemon thread for every engine's deadlines; a deadline's work is closing sockets. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gantry-engine-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicBoolean fired = new AtomicBoolean();
    private final Runnable kill;
    private volatile ScheduledFuture<?> task;
    private final Duration after;

    Deadline(Duration after, Runnable kill) {
        this.after = after;
        this.kill = kill;
        restart();
    }

    /** Starts the clock again (an idle timeout: called on every byte that arrives). */
    void restart() {
        ScheduledFuture<?> previous = task;
        if (previous != null) {
            previous.cancel(false);
        }
        if (!fired.get()) {
            task = WATCHDOG.schedule(this::fire, after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void fire() {
        if (fired.compareAndSet(false, true)) {
            kill.run();
        }
    }

    void cancel() {
        ScheduledFuture<?> current = task;
        if (current != null) {
            current.cancel(false);
        }
    }

    boolean fired() {
        return fired.get();
    }

    Duration after() {
        return after;
    }
}
