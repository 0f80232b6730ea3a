package io.gantry.ui.pull;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullRequest;
import io.gantry.ui.ErrorMessages;
import io.gantry.engine.PullResult;
import io.gantry.service.PullService;
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
 * with its own cancel. Pulls go through the one pull path ({@link PullService}, which
 * {@code gantry pull} uses too) on the injected background executor; their progress (in the
 * service's throttled batches) and outcome reach the FX thread through {@code fxThread}. Unlike
 * {@code FxTasks} this needs no JavaFX toolkit, so the view model is tested without a window.
 */
public final class PullsViewModel {

    private final PullService pulls;
    private final Executor background;
    private final Executor fxThread;
    private final ObservableList<PullJob> jobs = FXCollections.observableArrayList();
    private final ObservableList<PullJob> readOnlyJobs = FXCollections.unmodifiableObservableList(jobs);
    private final BooleanBinding empty = Bindings.isEmpty(jobs);
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final Consumer<PullJob> onDone;
    private final BiConsumer<PullJob, Throwable> onFailed;

    /**
     * @param pulls      the pull path
     * @param background runs the pulls (the app's one executor)
     * @param fxThread runs progress updates on the FX thread ({@code Platform::runLater})
     * @param onDone   told (on the FX thread) when a pull has finished, so the images view refreshes
     * @param onFailed told (on the FX thread) when a pull failed, not when it was cancelled
     */
    public PullsViewModel(PullService pulls, Executor background, Executor fxThread, Consumer<PullJob> onDone,
                          BiConsumer<PullJob, Throwable> onFailed) {
        this.pulls = pulls;
        this.background = background;
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
        Runnable work = () -> {
            PullResult result;
            try {
                result = pulls.pull(store, request, batch -> fxThread.execute(() -> job.apply(batch)), job.cancellation());
            } catch (RuntimeException | Error error) {
                fxThread.execute(() -> ended(job, error));
                return;
            }
            fxThread.execute(() -> {
                job.finished(result);
                onDone.accept(job);
            });
        };
        try {
            background.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            job.failed("Gantry is shutting down", true);
        }
        return job;
    }

    private void ended(PullJob job, Throwable error) {
        boolean cancelled = job.cancellation().isCancelled()
                || error instanceof GantryException ge && ge.kind() == ErrorKind.CANCELLED;
        job.failed(ErrorMessages.of(error).oneLine(), cancelled);
        if (!cancelled) {
            onFailed.accept(job, error);
        }
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
