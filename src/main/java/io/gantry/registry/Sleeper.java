package io.gantry.registry;

import io.gantry.core.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries. Injected so tests record the waits instead of spending them; the real
 * one wakes up early when the work is cancelled.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits {@code duration}, or less if {@code cancellation} fires (the caller checks it after).
     *
     * @throws InterruptedException when the thread is interrupted
     */
    void sleep(Duration duration, Cancellation cancellation) throws InterruptedException;

    /** Really waits, waking up on cancellation. */
    static Sleeper system() {
        return (duration, cancellation) -> {
            CountDownLatch woken = new CountDownLatch(1);
            Cancellation.Registration registration = cancellation.onCancel(woken::countDown);
            try {
                woken.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                registration.close();
            }
        };
    }
}
