package io.gantry.store;

import io.gantry.core.Platform;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link OciLayoutStore} behaves; the seams tests need.
 *
 * @param clock       for the age of partial downloads
 * @param lockTimeout how long to wait for another operation (or process) holding the store
 * @param platform    this machine's platform: pulled by default, and shown for an entry that is an index
 * @param pulls       how to pull, when the store may (without it {@link OciLayoutStore#pull} fails)
 */
public record StoreOptions(Clock clock, Duration lockTimeout, Platform platform, Optional<StorePulls> pulls) {

    public StoreOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(pulls, "pulls");
    }

    public StoreOptions(Clock clock, Duration lockTimeout, Platform platform) {
        this(clock, lockTimeout, platform, Optional.empty());
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(60), Platform.current());
    }

    public StoreOptions withLockTimeout(Duration timeout) {
        return new StoreOptions(clock, timeout, platform, pulls);
    }

    public StoreOptions withPlatform(Platform value) {
        return new StoreOptions(clock, lockTimeout, value, pulls);
    }

    /** These options with pulling through {@code value}'s client, downloading on its executor. */
    public StoreOptions withPulls(StorePulls value) {
        return new StoreOptions(clock, lockTimeout, platform, Optional.of(value));
    }
}
