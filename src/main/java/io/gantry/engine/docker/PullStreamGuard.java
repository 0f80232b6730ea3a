package io.gantry.engine.docker;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.PullProgress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bounds a pull's progress stream in total. The idle timeout ends a stream that goes silent, but an
 * engine may instead send small, valid progress messages forever; so the messages must show
 * progress (a layer or phase not seen before, or a byte count higher than before) at least once
 * per stall period, and a stream has at most {@link #MAX_MESSAGES} messages and
 * {@link #MAX_ENTRIES} distinct layer phases (a real pull has a few hundred).
 */
final class PullStreamGuard {

    /** More messages than any real pull sends (docker sends a few per second per active layer). */
    static final long MAX_MESSAGES = 2_000_000;
    /** More (layer, phase) pairs than any real image has. */
    static final int MAX_ENTRIES = 20_000;
    private static final int MAX_KEY_TEXT = 200;

    private final String operation;
    private final Duration stall;
    private final LongSupplier nanos;
    /** The highest byte count seen per layer and phase (and per text for free-form lines). */
    private final Map<String, Long> highest = new HashMap<>();
    private long messages;
    private long sinceProgress;
    private long lastProgressNanos;

    PullStreamGuard(String operation, Duration stall, LongSupplier nanos) {
        this.operation = operation;
        this.stall = stall;
        this.nanos = nanos;
        this.lastProgressNanos = nanos.getAsLong();
    }

    /** Counts one message; fails when the stream has gone on too long without progress. */
    void accept(PullProgress event) {
        accept(event.layer(), event.phase().name(),
                event.phase() == PullProgress.Phase.OTHER || event.phase() == PullProgress.Phase.STATUS,
                event.current(), event.text());
    }

    /** Counts one message of a push's stream, as {@link #accept(PullProgress)}. */
    void accept(io.gantry.engine.PushProgress event) {
        accept(event.layer(), event.phase().name(),
                event.phase() == io.gantry.engine.PushProgress.Phase.OTHER
                        || event.phase() == io.gantry.engine.PushProgress.Phase.STATUS,
                event.current(), event.text());
    }

    private void accept(String layer, String phase, boolean freeText, long current, String text) {
        messages++;
        if (messages > MAX_MESSAGES) {
            throw failure("the engine sent more than " + MAX_MESSAGES + " progress messages, more than any pull needs");
        }
        String key = layer + '\u0000' + phase + (freeText ? '\u0000' + truncate(text) : "");
        Long before = highest.get(key);
        boolean progress = before == null || current > before;
        long now = nanos.getAsLong();
        if (progress) {
            if (before == null && highest.size() >= MAX_ENTRIES) {
                throw failure("the engine reported more than " + MAX_ENTRIES + " layer phases, more than any image has");
            }
            highest.put(key, current);
            lastProgressNanos = now;
            sinceProgress = 0;
            return;
        }
        sinceProgress++;
        if (now - lastProgressNanos >= stall.toNanos()) {
            throw failure("the engine sent " + sinceProgress + " progress messages in " + stall.toSeconds()
                    + " s without any layer advancing");
        }
    }

    private GantryException failure(String message) {
        return new GantryException(ErrorKind.UNAVAILABLE, operation, message, null, 0,
                "The engine's pull is stuck; check the engine (docker info, its log) and try again.", null);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_KEY_TEXT ? text : text.substring(0, MAX_KEY_TEXT);
    }
}
