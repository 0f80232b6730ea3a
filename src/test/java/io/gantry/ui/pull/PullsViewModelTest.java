package io.gantry.ui.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.service.PullService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The pull panel's view model without a window: a pull's events become layer rows, overall
 * progress and the digest; failures and cancellation end the job. The store here is a scripted
 * stand-in for the port (the real stores are driven in SearchAndPullTest); background and FX
 * executors run inline, so no toolkit is needed.
 */
class PullsViewModelTest {

    private static final Digest ID = Digest.sha256("config");
    private static final Digest DIGEST = Digest.sha256("manifest");

    /** An ImageStore whose pull replays {@code events} and then returns or throws. */
    private static ImageStore store(List<PullProgress> events, RuntimeException failure) {
        Endpoint endpoint = new Endpoint("embedded", "Embedded store", Endpoint.Kind.EMBEDDED, "/tmp/x");
        return (ImageStore) Proxy.newProxyInstance(ImageStore.class.getClassLoader(), new Class<?>[] {ImageStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "endpoint" -> endpoint;
                    case "pull" -> {
                        @SuppressWarnings("unchecked")
                        Consumer<PullProgress> progress = (Consumer<PullProgress>) args[1];
                        events.forEach(progress);
                        if (failure != null) {
                            throw failure;
                        }
                        yield new PullResult("demo/web:1.1", ID, Optional.of(DIGEST), false);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Runs "background" work on the calling thread and "FX" work inline: deterministic, no toolkit. */
    private static PullsViewModel model(List<PullJob> done, List<Throwable> failed) {
        return new PullsViewModel(new PullService(), Runnable::run, Runnable::run, done::add, (job, error) -> failed.add(error));
    }

    @Test
    void eventsBecomeRowsProgressAndDigest() throws Exception {
        List<PullProgress> events = List.of(
                new PullProgress("", Phase.STATUS, 0, 0, "1.1: Pulling from demo/web"),
                new PullProgress("aaa", Phase.ALREADY_EXISTS, 0, 0, "Already exists"),
                new PullProgress("bbb", Phase.PULLING_FS_LAYER, 0, 0, "Pulling fs layer"),
                new PullProgress("bbb", Phase.DOWNLOADING, 50, 100, "Downloading"),
                new PullProgress("bbb", Phase.DOWNLOAD_COMPLETE, 100, 100, "Download complete"),
                new PullProgress("bbb", Phase.PULL_COMPLETE, 0, 0, "Pull complete"),
                new PullProgress("", Phase.DIGEST, 0, 0, "Digest: " + DIGEST));
        List<PullJob> done = new ArrayList<>();
        List<Throwable> failed = new ArrayList<>();
        PullsViewModel model = model(done, failed);
        PullJob job = model.pull(store(events, null), PullRequest.of("demo/web:1.1"));
        awaitEnd(job);

        assertThat(job.stateProperty().get()).isEqualTo(PullJob.State.DONE);
        assertThat(job.layers()).extracting(LayerRow::id).containsExactly("aaa", "bbb");
        assertThat(job.layers()).extracting(row -> row.statusProperty().get()).containsExactly("Already exists", "Pull complete");
        assertThat(job.layers().get(1).bytesProperty().get()).isEqualTo("100B");
        assertThat(job.progressProperty().get()).isEqualTo(1.0);
        assertThat(job.digestProperty().get()).isEqualTo(DIGEST.toString());
        assertThat(job.statusProperty().get()).isEqualTo("Downloaded newer image for demo/web:1.1");
        assertThat(done).containsExactly(job);
        assertThat(failed).isEmpty();
        assertThat(model.runningProperty().get()).isZero();
    }

    /** A pull that ends with docker's warning (an image of another platform than asked) keeps it in its status. */
    @Test
    void aWarningTheStoreEndsWithStaysInTheStatus() throws Exception {
        String warning = "image with reference demo/web:1.1 was found but does not match the specified platform:"
                + " wanted linux/arm64, actual: linux/amd64";
        List<PullProgress> events = List.of(
                new PullProgress("bbb", Phase.PULL_COMPLETE, 0, 0, "Pull complete"),
                new PullProgress("", Phase.STATUS, 0, 0, "Status: Downloaded newer image for demo/web:1.1"),
                new PullProgress("", Phase.STATUS, 0, 0, "WARNING: " + warning));
        List<PullJob> done = new ArrayList<>();
        PullJob job = model(done, new ArrayList<>()).pull(store(events, null), PullRequest.of("demo/web:1.1"));
        awaitEnd(job);

        assertThat(job.stateProperty().get()).isEqualTo(PullJob.State.DONE);
        assertThat(job.statusProperty().get()).isEqualTo("Downloaded newer image for demo/web:1.1. Warning: " + warning);
    }

    @Test
    void aFailureReadsAsWhatToDoAndCancellingIsNotAFailure() throws Exception {
        List<PullJob> done = new ArrayList<>();
        List<Throwable> failed = new ArrayList<>();
        PullsViewModel model = model(done, failed);
        PullJob missing = model.pull(store(List.of(), new GantryException(ErrorKind.NOT_FOUND, "pull demo/nope",
                "HTTP 404 MANIFEST_UNKNOWN")), PullRequest.of("demo/nope"));
        awaitEnd(missing);
        assertThat(missing.stateProperty().get()).isEqualTo(PullJob.State.FAILED);
        assertThat(missing.statusProperty().get()).startsWith("Not found: pull demo/nope: HTTP 404 MANIFEST_UNKNOWN — Check");
        assertThat(failed).hasSize(1);

        PullJob cancelled = model.pull(store(List.of(), new GantryException(ErrorKind.CANCELLED, "pull demo/web", "cancelled")),
                PullRequest.of("demo/web"));
        awaitEnd(cancelled);
        assertThat(cancelled.stateProperty().get()).isEqualTo(PullJob.State.CANCELLED);
        assertThat(cancelled.statusProperty().get()).isEqualTo("Cancelled");
        assertThat(failed).hasSize(1);
        assertThat(done).isEmpty();
        assertThat(model.jobs()).containsExactly(cancelled, missing); // newest first
        model.clearFinished();
        assertThat(model.jobs()).isEmpty();
    }

    /**
     * A pull cancelled in the middle of a download: no row keeps saying "Downloading" (the bytes it
     * had got stay), and Retry pulls the same request into the same endpoint in the card's place.
     */
    @Test
    void aCancelledPullStopsItsRowsAndRetryPullsAgainInItsPlace() throws Exception {
        List<PullProgress> events = List.of(
                new PullProgress("aaa", Phase.PULL_COMPLETE, 0, 0, "Pull complete"),
                new PullProgress("bbb", Phase.DOWNLOADING, 83, 168, "Downloading"),
                new PullProgress("ccc", Phase.WAITING, 0, 0, "Waiting"));
        List<PullJob> done = new ArrayList<>();
        PullsViewModel model = model(done, new ArrayList<>());
        PullJob older = model.pull(store(List.of(), null), PullRequest.of("demo/other:1"));
        awaitEnd(older);
        PullJob cancelled = model.pull(store(events, new GantryException(ErrorKind.CANCELLED, "pull demo/web", "cancelled")),
                PullRequest.of("demo/web:1.1"));
        awaitEnd(cancelled);

        assertThat(cancelled.layers()).extracting(row -> row.statusProperty().get())
                .containsExactly("Pull complete", "Cancelled", "Cancelled");
        assertThat(cancelled.layers().get(1).bytesProperty().get()).isEqualTo("83B / 168B");
        // a late batch does not bring "Downloading" back
        cancelled.apply(List.of(new PullProgress("bbb", Phase.DOWNLOADING, 90, 168, "Downloading")));
        assertThat(cancelled.layers().get(1).statusProperty().get()).isEqualTo("Cancelled");

        assertThat(model.retry(older)).as("a finished pull has nothing to retry").isEmpty();
        PullJob again = model.retry(cancelled).orElseThrow();
        assertThat(again).isNotSameAs(cancelled);
        assertThat(again.request()).isEqualTo(cancelled.request());
        assertThat(model.jobs()).containsExactly(again, older); // in the cancelled card's place
        awaitEnd(again);
        assertThat(again.stateProperty().get()).isEqualTo(PullJob.State.CANCELLED); // the same scripted store
        assertThat(again.endpointId()).isEqualTo(cancelled.endpointId());
    }

    private static void awaitEnd(PullJob job) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(job.stateProperty().get() == PullJob.State.RUNNING ? 1 : 0);
        job.stateProperty().addListener((obs, old, now) -> ended.countDown());
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
