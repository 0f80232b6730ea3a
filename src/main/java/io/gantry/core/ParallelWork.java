package io.gantry.core;

import java.util.Collection;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Blobs moved a few at a time, as Docker moves layers (three downloads or uploads at once): the
 * one loop behind a pull's downloads, a push's uploads and a registry copy's blobs.
 *
 * <p>Up to {@code workers} tasks run on the executor, each taking the next item until none is
 * left. Their progress events are handed to the listener on the calling thread, so a listener
 * never needs to be thread-safe and a UI's progress arrives in order per blob. The first failure
 * stops the others (through the {@code stop} cancellation every task is given); it is returned,
 * not thrown, so each caller says in its own words what failed.
 */
public final class ParallelWork {

    /** How often the calling thread looks for events while the workers run. */
    private static final long POLL_MILLIS = 50;

    private ParallelWork() {
    }

    /** One item's work; events go to {@code events} from any thread; it stops when {@code stop} is cancelled. */
    @FunctionalInterface
    public interface Task<T, E> {
        void run(T item, Consumer<E> events, Cancellation stop);
    }

    /**
     * Runs {@code task} for every item of {@code items} and returns once every worker has ended,
     * {@code afterLast} (called when the last worker is out, e.g. the stores still being written)
     * has completed, and every event has reached {@code listener}.
     *
     * @param stop    given to every task; cancelled here by the first failure, by a listener that
     *                throws and by an interrupt; the caller may cancel it too (the user's cancel)
     * @param op      what is being done, for the error of a failure Gantry did not expect
     * @return the first failure, if any; empty when every item was done or the work was stopped
     *         from outside without one
     * @throws GantryException {@code CANCELLED} when the calling thread is interrupted
     */
    public static <T, E> Optional<GantryException> run(Collection<T> items, int workers, Executor executor,
                                                       Task<T, E> task, Consumer<E> listener, Cancellation stop,
                                                       Supplier<CompletableFuture<?>> afterLast, String op) {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        Queue<T> todo = new ConcurrentLinkedQueue<>(items);
        BlockingQueue<E> events = new LinkedBlockingQueue<>();
        AtomicReference<GantryException> failure = new AtomicReference<>();
        int count = Math.max(1, Math.min(workers, items.size()));
        AtomicInteger running = new AtomicInteger(count);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable lastOut = () -> afterLast.get().whenComplete((ok, error) -> done.complete(null));
        for (int w = 0; w < count; w++) {
            Runnable worker = () -> {
                try {
                    T item;
                    while (failure.get() == null && !stop.isCancelled() && (item = todo.poll()) != null) {
                        task.run(item, events::add, stop);
                    }
                } catch (GantryException e) {
                    fail(failure, stop, e);
                } catch (RuntimeException | Error e) {
                    fail(failure, stop, GantryException.unexpected(op, e));
                } finally {
                    if (running.decrementAndGet() == 0) {
                        lastOut.run();
                    }
                }
            };
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                fail(failure, stop, new GantryException(ErrorKind.CANCELLED, op, "Gantry is shutting down", e));
                if (running.decrementAndGet() == 0) {
                    lastOut.run();
                }
            }
        }
        try {
            while (!done.isDone() || !events.isEmpty()) {
                E event = events.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (event != null) {
                    listener.accept(event);
                }
            }
        } catch (InterruptedException e) {
            stop.cancel();
            Thread.currentThread().interrupt();
            throw Cancellation.cancelledError(op);
        } finally {
            if (!done.isDone()) { // the listener threw, or this thread was interrupted: the workers stop too
                stop.cancel();
            }
        }
        return Optional.ofNullable(failure.get());
    }

    /** {@link #run} with nothing to wait for after the last worker. */
    public static <T, E> Optional<GantryException> run(Collection<T> items, int workers, Executor executor,
                                                       Task<T, E> task, Consumer<E> listener, Cancellation stop,
                                                       String op) {
        return run(items, workers, executor, task, listener, stop, () -> CompletableFuture.completedFuture(null), op);
    }

    /** An executor of daemon threads of their own, named {@code name-N}, for work without a shared pool. */
    public static Executor ownThreads(String name) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + next.getAndIncrement());
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static void fail(AtomicReference<GantryException> failure, Cancellation stop, GantryException e) {
        if (failure.compareAndSet(null, e)) {
            stop.cancel();
        }
    }
}
