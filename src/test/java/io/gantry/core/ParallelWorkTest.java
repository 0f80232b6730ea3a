package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop behind parallel downloads, uploads and copies: events on the caller's thread, first failure stops the rest. */
class ParallelWorkTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void everyItemIsDoneAtMostNAtATimeAndItsEventsReachTheCallersThread() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Thread caller = Thread.currentThread();
        List<String> events = new ArrayList<>();
        Set<Thread> listenerThreads = ConcurrentHashMap.newKeySet();
        Optional<GantryException> failure = ParallelWork.run(List.of(1, 2, 3, 4, 5, 6, 7), 3, executor,
                (Integer item, java.util.function.Consumer<String> out, Cancellation stop) -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    out.accept("start " + item);
                    out.accept("done " + item);
                    running.decrementAndGet();
                }, event -> {
                    listenerThreads.add(Thread.currentThread());
                    events.add(event);
                }, new Cancellation(), "test");
        assertThat(failure).isEmpty();
        assertThat(most.get()).isBetween(1, 3);
        assertThat(events).hasSize(14).contains("done 1", "done 7");
        for (int i = 1; i <= 7; i++) {
            assertThat(events.indexOf("start " + i)).isLessThan(events.indexOf("done " + i));
        }
        assertThat(listenerThreads).containsExactly(caller);
    }

    @Test
    void theFirstFailureStopsTheOthersAndIsReturned() {
        GantryException refused = new GantryException(ErrorKind.DENIED, "push", "access denied");
        Cancellation stop = new Cancellation();
        AtomicInteger started = new AtomicInteger();
        Optional<GantryException> failure = ParallelWork.run(List.of(1, 2, 3, 4, 5, 6), 2, executor,
                (Integer item, java.util.function.Consumer<String> out, Cancellation s) -> {
                    started.incrementAndGet();
                    if (item == 1) {
                        throw refused;
                    }
                    waitUntil(s::isCancelled); // a long upload, stopped by the other's failure
                    s.throwIfCancelled("push");
                }, event -> { }, stop, "push");
        assertThat(failure).containsSame(refused);
        assertThat(stop.isCancelled()).isTrue();
        assertThat(started.get()).as("no item is started after the failure").isLessThanOrEqualTo(2);
    }

    @Test
    void aFailureGantryDidNotExpectComesBackInWordsAndTheWorkWaitsForWhatIsStillBeingStored() {
        CompletableFuture<Void> storing = new CompletableFuture<>();
        executor.execute(() -> {
            sleepQuietly(200);
            storing.complete(null);
        });
        Optional<GantryException> failure = ParallelWork.run(List.of(1), 1, executor,
                (Integer item, java.util.function.Consumer<String> out, Cancellation s) -> {
                    throw new IllegalStateException("queue full");
                }, event -> { }, new Cancellation(), () -> storing, "pull app:1");
        assertThat(storing).isDone();
        assertThat(failure).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
            assertThat(e.describe()).isEqualTo("pull app:1: it failed unexpectedly: queue full");
        });
    }

    @Test
    void aListenerThatThrowsStopsTheWorkers() {
        Cancellation stop = new Cancellation();
        assertThatThrownBy(() -> ParallelWork.run(List.of(1, 2), 2, executor,
                (Integer item, java.util.function.Consumer<String> out, Cancellation s) -> {
                    out.accept("event " + item);
                    waitUntil(s::isCancelled);
                }, event -> {
                    throw new IllegalArgumentException("listener broke");
                }, stop, "copy")).hasMessage("listener broke");
        assertThat(stop.isCancelled()).isTrue();
    }

    @Test
    void anExecutorThatRefusesWorkIsAnOrderlyCancellation() {
        ExecutorService closed = Executors.newSingleThreadExecutor();
        closed.shutdownNow();
        Optional<GantryException> failure = ParallelWork.run(List.of(1), 1, closed,
                (Integer item, java.util.function.Consumer<String> out, Cancellation s) -> { }, event -> { },
                new Cancellation(), "pull");
        assertThat(failure).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            sleepQuietly(5);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
