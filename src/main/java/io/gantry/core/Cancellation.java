package io.gantry.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A handle the caller keeps to cancel work it started, e.g. a pull the user stops. Long-running
 * code checks {@link #throwIfCancelled(String)} between steps and registers a hook with
 * {@link #onCancel(Runnable)} to abort blocking I/O (an HTTP call, a process) at once.
 *
 * <p>Thread-safe. Cancelling is permanent; hooks run once, on the cancelling thread, and a hook
 * registered after cancellation runs immediately.
 */
public final class Cancellation {

    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    /** A handle nobody cancels, for callers that need no cancellation. */
    public static Cancellation none() {
        return new Cancellation();
    }

    /** Cancels the work: runs every registered hook and makes later checks fail. */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs {@code hook} when this is cancelled (immediately if it already is). Close the returned
     * registration when the guarded work is over, so the hook does not outlive it.
     */
    public Registration onCancel(Runnable hook) {
        synchronized (this) {
            if (!cancelled) {
                hooks.add(hook);
                return () -> {
                    synchronized (Cancellation.this) {
                        hooks.remove(hook);
                    }
                };
            }
        }
        hook.run();
        return () -> { };
    }

    /** Throws a {@link GantryException} of kind {@link ErrorKind#CANCELLED} if this is cancelled. */
    public void throwIfCancelled(String operation) {
        if (isCancelled()) {
            throw cancelledError(operation);
        }
    }

    /** The error work reports when it stops because of this cancellation. */
    public static GantryException cancelledError(String operation) {
        return new GantryException(ErrorKind.CANCELLED, operation, "cancelled");
    }

    /** A registered hook; closing it unregisters the hook. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
