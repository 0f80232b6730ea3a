package io.gantry.ui.pull;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullRequest;
import io.gantry.ui.ErrorMessages;
import io.gantry.engine.PullResult;
import io.gantry.service.PullService;
import io.gantry.engine.PullProgress;
import java.util.ArrayList;
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
        return pull(store, request, 0);
    }

    /**
     * Pulls a failed or cancelled pull's request again into the same endpoint; the new card takes
     * the old one's place. A pull still running or done is left alone.
     */
    public java.util.Optional<PullJob> retry(PullJob job) {
        ImageStore store = stores.get(job);
        int at = jobs.indexOf(job);
        if (store == null || at < 0 || job.stateProperty().get() == PullJob.State.RUNNING
                || job.stateProperty().get() == PullJob.State.DONE) {
            return java.util.Optional.empty();
        }
        jobs.remove(at);
        stores.remove(job);
        return java.util.Optional.of(pull(store, job.request(), at));
    }

    private final java.util.Map<PullJob, ImageStore> stores = new java.util.IdentityHashMap<>();

    private PullJob pull(ImageStore store, PullRequest request, int at) {
        PullJob job = new PullJob(request, store.endpoint().id(), store.endpoint().name());
        stores.put(job, store);
        jobs.add(at, job);
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
            java.util.Optional<io.gantry.core.Platform> platform = pulledPlatform(store, result);
            fxThread.execute(() -> {
                platform.ifPresent(p -> job.pulledPlatform(java.util.Optional.of(p)));
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

    /**
     * Starts copying {@code image} (named {@code reference}) from {@code from} into {@code to}
     * ({@link io.gantry.service.ImageCopier}) on the background executor, shown as a card like a
     * pull's with its cancel; {@code closeAfter} closes {@code to} when the copy ends (a store opened
     * for it, another namespace). Call on the FX thread.
     */
    public PullJob copy(ImageStore from, io.gantry.core.ImageReference reference, ImageStore to, boolean closeAfter) {
        String toName = to.endpoint().name() + to.namespace().map(ns -> " [" + ns + "]").orElse("");
        PullJob job = PullJob.copy(PullRequest.of(reference), from.endpoint().name(), to.endpoint().id(), toName);
        return start(job, (progress, cancellation) -> new io.gantry.service.ImageCopier().copy(from,
                io.gantry.core.ImageKey.of(reference), to, java.util.Optional.empty(), progress, cancellation),
                closeAfter ? to::close : () -> { });
    }

    /**
     * Starts pushing {@code image} (named {@code reference}) of {@code from} to the registry as
     * {@code target} (the source's own push, {@link io.gantry.service.ImageCopier#pushFrom}), shown as
     * a copy's card with one row per layer in {@code docker push}'s words, the pushed digest and a
     * cancel. Call on the FX thread.
     */
    public PullJob copyToRegistry(ImageStore from, io.gantry.core.ImageReference reference,
                                  io.gantry.core.ImageReference target) {
        // the source is the endpoint whose listing changes (a push records repo@digest there)
        PullJob job = PullJob.copy(PullRequest.of(reference), from.endpoint().name(), from.endpoint().id(),
                target.familiar());
        return start(job, (progress, cancellation) -> new io.gantry.service.ImageCopier().pushFrom(from,
                io.gantry.core.ImageKey.of(reference), target, progress, cancellation), () -> { });
    }

    /** One copy's work: the copier's call with its progress and cancel. */
    private interface CopyWork {
        io.gantry.service.ImageCopier.CopyResult run(Consumer<io.gantry.service.ImageCopier.CopyProgress> progress,
                                                     io.gantry.core.Cancellation cancellation);
    }

    /** Runs a copy's {@code work} for its card {@code job} on the background executor, then {@code after}. */
    private PullJob start(PullJob job, CopyWork work, Runnable after) {
        jobs.add(0, job);
        running.set(running.get() + 1);
        job.stateProperty().addListener((obs, old, now) -> {
            if (old == PullJob.State.RUNNING) {
                running.set(running.get() - 1);
            }
        });
        long[] shown = {0};
        List<PullProgress> rows = new ArrayList<>(); // layer rows not yet handed to the FX thread
        java.util.Map<String, PullProgress.Phase> phases = new java.util.HashMap<>();
        Runnable task = () -> {
            try {
                io.gantry.service.ImageCopier.CopyResult result = work.run(p -> {
                    p.layer().ifPresent(rows::add);
                    // a row that appears or changes phase is shown at once; bytes ~10 times a second
                    boolean phaseChanged = p.layer().map(l -> phases.put(l.layer(), l.phase()) != l.phase()).orElse(false);
                    long now = System.nanoTime();
                    if (phaseChanged || now - shown[0] > 100_000_000L) {
                        shown[0] = now;
                        long bytes = p.bytes();
                        List<PullProgress> batch = List.copyOf(rows);
                        rows.clear();
                        fxThread.execute(() -> {
                            job.apply(batch);
                            if (bytes > 0) {
                                job.copying(bytes);
                            }
                        });
                    }
                }, job.cancellation());
                List<PullProgress> last = List.copyOf(rows);
                fxThread.execute(() -> {
                    job.apply(last);
                    job.copied(result);
                    onDone.accept(job);
                });
            } catch (RuntimeException | Error error) {
                fxThread.execute(() -> ended(job, error));
            } finally {
                after.run();
            }
        };
        try {
            background.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            job.failed("Gantry is shutting down", true);
            after.run();
        }
        return job;
    }

    /** The platform of the image a pull left (its config's), on the pull's worker; empty when the endpoint cannot say. */
    private static java.util.Optional<io.gantry.core.Platform> pulledPlatform(ImageStore store, PullResult result) {
        try {
            return store.inspect(io.gantry.core.ImageKey.of(result.imageId())).platform();
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // the title keeps the platform asked for
        }
    }

    private void ended(PullJob job, Throwable error) {
        boolean cancelled = job.cancellation().isCancelled()
                || error instanceof GantryException ge && ge.kind() == ErrorKind.CANCELLED;
        job.failed(ErrorMessages.of(error).oneLine(), cancelled);
        if (!cancelled) {
            onFailed.accept(job, error);
        }
    }

    /**
     * Completes (on the FX thread) with one line saying how {@code job} ended: "Pulled … into …",
     * "Pull of … failed: …" or "Pull of … cancelled", for views that said "Pulling …".
     */
    public static java.util.concurrent.CompletionStage<String> ending(PullJob job) {
        java.util.concurrent.CompletableFuture<String> ended = new java.util.concurrent.CompletableFuture<>();
        Runnable check = () -> {
            String what = job.request().reference().familiar();
            switch (job.stateProperty().get()) {
                case DONE -> ended.complete("Pulled " + what + " into " + job.endpointName() + ".");
                case FAILED -> ended.complete("Pull of " + what + " failed: " + job.statusProperty().get());
                case CANCELLED -> ended.complete("Pull of " + what + " cancelled.");
                case RUNNING -> { }
            }
        };
        job.stateProperty().addListener((obs, old, now) -> check.run());
        check.run();
        return ended;
    }

    /** Removes the pulls that have ended from the panel. */
    public void clearFinished() {
        jobs.removeIf(job -> job.stateProperty().get() != PullJob.State.RUNNING);
        stores.keySet().retainAll(jobs);
    }

    /** Cancels every pull still running (when the window closes). */
    public void cancelAll() {
        List.copyOf(jobs).forEach(PullJob::cancel);
    }
}
