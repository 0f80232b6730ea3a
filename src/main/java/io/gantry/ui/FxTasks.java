package io.gantry.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javafx.concurrent.Task;

/**
 * Runs work on the injected executor and hands its result or failure back on the FX thread, so
 * view models never block the FX thread and core code never calls {@code Platform.runLater}.
 */
public final class FxTasks {

    private final Executor executor;

    public FxTasks(Executor executor) {
        this.executor = executor;
    }

    /**
     * Starts {@code work}; the returned task can be cancelled. Callbacks run on the FX thread. Once
     * the executor is shut down (the window is closing) nothing more starts: the task comes back
     * cancelled and neither callback runs, so a listing that ends during shutdown cannot fail the
     * FX thread by starting follow-up work.
     */
    public <T> Task<T> run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        task.setOnSucceeded(event -> onSuccess.accept(task.getValue()));
        task.setOnFailed(event -> onFailure.accept(task.getException()));
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.cancel(false);
        }
        return task;
    }
}
