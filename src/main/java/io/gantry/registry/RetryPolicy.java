package io.gantry.registry;

import java.time.Duration;

/**
 * How often and how patiently the client retries a request that failed for a passing reason: HTTP
 * 429 or 5xx, or a dropped connection. Waits grow exponentially from {@code initialBackoff} up to
 * {@code maxBackoff}; a {@code Retry-After} header replaces the computed wait, capped at
 * {@code maxRetryAfter} (a longer demand ends the retries).
 *
 * @param maxAttempts    attempts in total, the first included (1 = never retry)
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff     the longest computed wait
 * @param maxRetryAfter  the longest {@code Retry-After} the client honours
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    /** 5 attempts, waits of 0.5, 1, 2, 4 s, {@code Retry-After} up to 10 s (a hostile 59 s was once obeyed four times). */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(10));

    /** One attempt only. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("negative durations in " + this);
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based) when the server named none. */
    public Duration backoff(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
