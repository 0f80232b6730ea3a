package io.gantry.registry;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The minimum speed of one blob download ({@link TransportSettings.MinimumSpeed}): a registry
 * dripping a byte a second never trips the read timeout, so every sliding window of the transfer
 * must bring at least the minimum. It keeps a few marks (time, bytes received) and compares the
 * bytes now with those of the newest mark at least a window old.
 */
final class SpeedFloor {

    /** Marks per window: the window slides in steps of a sixteenth of it. */
    private static final int MARKS_PER_WINDOW = 16;

    private final TransportSettings.MinimumSpeed minimum;
    private final String operation;
    private final LongSupplier nanos;
    private final long windowNanos;
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();

    SpeedFloor(TransportSettings.MinimumSpeed minimum, String operation, LongSupplier nanos, long received) {
        this.minimum = minimum;
        this.operation = operation;
        this.nanos = nanos;
        this.windowNanos = minimum.window().toNanos();
        marks.addLast(new long[] {nanos.getAsLong(), received});
    }

    /** Records that {@code received} bytes have arrived in all; fails when the last window brought too few. */
    void check(long received) {
        if (minimum.bytes() == 0) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - marks.peekLast()[0] >= windowNanos / MARKS_PER_WINDOW) {
            marks.addLast(new long[] {now, received});
        }
        // the reference: the newest mark at least a window old
        while (marks.size() > 1) {
            java.util.Iterator<long[]> it = marks.iterator();
            it.next();
            long[] second = it.next();
            if (now - second[0] >= windowNanos) {
                marks.removeFirst();
            } else {
                break;
            }
        }
        long[] reference = marks.peekFirst();
        long elapsed = now - reference[0];
        long brought = received - reference[1];
        if (elapsed >= windowNanos && brought < minimum.bytes()) {
            throw new GantryException(ErrorKind.UNAVAILABLE, operation, "the registry sent only " + bytes(brought)
                    + " in " + Math.round(elapsed / 1e9) + " s, less than the minimum of " + bytes(minimum.bytes())
                    + " per " + minimum.window().toSeconds() + " s", "TOO_SLOW", 0,
                    "The registry or the network is far too slow; try again later. The bytes received are kept, "
                            + "so the next pull continues from them.", null);
        }
    }

    private static String bytes(long n) {
        return n < 1024 ? n + " bytes" : n < 1024 * 1024 ? (n / 1024) + " KiB" : (n >> 20) + " MiB";
    }
}
