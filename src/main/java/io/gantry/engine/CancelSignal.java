package io.gantry.engine;

/**
 * How a caller cancels a long operation such as a pull: the operation registers a hook that aborts
 * its blocking I/O, and unregisters it by closing the returned handle when it is done.
 *
 * <p>Shaped so that the core {@code Cancellation} type (being written on another branch) adapts
 * with a method reference, {@code cancellation::onCancel}, once it lands.
 */
@FunctionalInterface
public interface CancelSignal {

    /** Runs {@code hook} when cancelled (at once if already cancelled); closing the result unregisters it. */
    AutoCloseable onCancel(Runnable hook);

    /** A signal that never fires. */
    static CancelSignal never() {
        return hook -> () -> { };
    }
}
