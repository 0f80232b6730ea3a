package io.gantry.ui.pull;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullRequest;
import io.gantry.ui.ErrorMessages;
import io.gantry.ui.FxTasks;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The pull panel's state and commands: every pull started in this session, several at once, each
 * with its own cancel. Pulls run through {@link FxTasks}; their progress reaches the FX thread in
 * throttled batches ({@link ThrottledProgress}) through {@code fxThread}.
 */
public final class PullsViewModel {

    private final FxTasks tasks;
    private final Executor fxThread;
    private final ObservableList<PullJob> jobs = FXCollections.observableArrayList();
    private final ObservableList<PullJob> readOnlyJobs = FXCollections.unmodifiableObservableList(jobs);
    private final BooleanBinding empty = Bindings.isEmpty(jobs);
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final Consumer<PullJob> onDone;
    private final BiConsumer<PullJob, Throwable> onFailed;

    /**
     * @param tasks    runs the pulls in the background
     * @param fxThread runs progress updates on the FX thread ({@code Platform::runLater})
     * @param onDone   told (on the FX thread) when a pull has finished, so the images view refreshes
     * @param onFailed told (on the FX thread) when a pull failed, not when it was cancelled
     */
    public PullsViewModel(FxTasks tasks, Executor fxThread, Consumer<PullJob> onDone,
                          BiConsumer<PullJob, Throwable> onFailed) {
        this.tasks = tasks;
        this.fxThread = fxThread;
        this.onDone = onDone;
        this.onFailed = onFailed;
    }

    /** Every pull, newest first. */
    public ObservableList<PullJob> jobs() {
        return readOnlyJobs;
    }

    /** How many pulls are running now. */
    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public BooleanBinding emptyBinding() {
        return empty;
    }

    /** Starts pulling {@code request} into {@code store}; call on the FX thread. */
    public PullJob pull(ImageStore store, PullRequest request) {
        PullJob job = new PullJob(request, store.endpoint().id(), store.endpoint().name());
        jobs.add(0, job);
        running.set(running.get() + 1);
        job.stateProperty().addListener((obs, old, now) -> {
            if (old == PullJob.State.RUNNING) {
                running.set(running.get() - 1);
            }
        });
        ThrottledProgress progress = new ThrottledProgress(
                batch -> fxThread.execute(() -> job.apply(batch)), System::nanoTime, ThrottledProgress.DEFAULT_PERIOD_NANOS);
        tasks.run(() -> {
            try {
                return store.pull(request, progress, job.cancellation()::onCancel);
            } finally {
                progress.flush();
            }
        }, result -> fxThread.execute(() -> {
            job.finished(result);
            onDone.accept(job);
        }), error -> fxThread.execute(() -> {
            boolean cancelled = job.cancellation().isCancelled()
                    || error instanceof GantryException ge && ge.kind() == ErrorKind.CANCELLED;
            job.failed(ErrorMessages.of(error).oneLine(), cancelled);
            if (!cancelled) {
                onFailed.accept(job, error);
            }
        }));
        return job;
    }

    /** Removes the pulls that have ended from the panel. */
    public void clearFinished() {
        jobs.removeIf(job -> job.stateProperty().get() != PullJob.State.RUNNING);
    }

    /** Cancels every pull still running (when the window closes). */
    public void cancelAll() {
        List.copyOf(jobs).forEach(PullJob::cancel);
    }
}
