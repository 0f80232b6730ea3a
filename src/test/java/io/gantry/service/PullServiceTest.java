package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The one pull path's progress: batches at most once per interval on the pulling thread, the last
 * state always delivered (also when the pull fails), and a cancelled pull never starts. The store
 * is a scripted stand-in for the port (real pulls: PullTest, CliPullTest, SearchAndPullTest).
 */
class PullServiceTest {

    private static final Digest ID = Digest.sha256("config");

    /** An ImageStore whose pull replays {@code events}, advancing {@code nanos} by 30 ms after each, then ends. */
    private static ImageStore store(List<PullProgress> events, AtomicLong nanos, RuntimeException failure, int[] pulls) {
        Endpoint endpoint = new Endpoint("embedded", "Embedded store", Endpoint.Kind.EMBEDDED, "/tmp/x");
        return (ImageStore) Proxy.newProxyInstance(ImageStore.class.getClassLoader(), new Class<?>[] {ImageStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "endpoint" -> endpoint;
                    case "pull" -> {
                        pulls[0]++;
                        @SuppressWarnings("unchecked")
                        Consumer<PullProgress> progress = (Consumer<PullProgress>) args[1];
                        for (PullProgress event : events) {
                            progress.accept(event);
                            nanos.addAndGet(30_000_000L);
                        }
                        if (failure != null) {
                            throw failure;
                        }
                        yield new PullResult("app:1", ID, Optional.empty(), false);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<PullProgress> download() {
        List<PullProgress> events = new ArrayList<>();
        events.add(new PullProgress("a", Phase.PULLING_FS_LAYER, 0, 0, "Pulling fs layer"));
        for (int i = 1; i <= 10; i++) {
            events.add(new PullProgress("a", Phase.DOWNLOADING, i * 10, 100, "Downloading"));
        }
        events.add(new PullProgress("a", Phase.PULL_COMPLETE, 0, 0, "Pull complete"));
        return events;
    }

    @Test
    void progressArrivesInBatchesAtMostEveryIntervalAndEndsWithTheLastState() {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        PullService service = new PullService(nanos::get, Duration.ofMillis(100));
        List<List<PullProgress>> batches = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        int[] pulls = {0};

        service.pull(store(download(), nanos, null, pulls), PullRequest.of("app:1"), batch -> {
            batches.add(batch);
            times.add(nanos.get());
        }, new Cancellation());

        assertThat(pulls[0]).isEqualTo(1);
        // 12 events 30 ms apart: far fewer batches than events, never two within 100 ms but the final flush
        assertThat(batches.size()).isBetween(3, 6);
        for (int i = 1; i < times.size() - 1; i++) {
            assertThat(times.get(i) - times.get(i - 1)).isGreaterThanOrEqualTo(100_000_000L);
        }
        List<PullProgress> last = batches.get(batches.size() - 1);
        assertThat(last.get(last.size() - 1).phase()).isEqualTo(Phase.PULL_COMPLETE);
        PullBoard board = new PullBoard();
        batches.forEach(batch -> batch.forEach(board::apply));
        assertThat(board.rows()).singleElement().satisfies(row -> assertThat(row.finished()).isTrue());
    }

    @Test
    void aFailedPullStillDeliversItsLastProgressAndACancelledOneNeverStarts() {
        AtomicLong nanos = new AtomicLong();
        PullService service = new PullService(nanos::get, Duration.ofMillis(100));
        List<PullProgress> seen = new ArrayList<>();
        int[] pulls = {0};
        List<PullProgress> partial = download().subList(0, 4);
        assertThatThrownBy(() -> service.pull(store(partial, nanos, new GantryException(ErrorKind.NOT_FOUND, "pull app:1",
                "gone"), pulls), PullRequest.of("app:1"), seen::addAll, new Cancellation()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(seen.get(seen.size() - 1)).isEqualTo(partial.get(partial.size() - 1));

        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        assertThatThrownBy(() -> service.pull(store(download(), nanos, null, pulls), PullRequest.of("app:1"), b -> { },
                cancelled)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(pulls[0]).isEqualTo(1);
    }

    @Test
    void theBoardKeepsOneRowPerLayerAndDrawsDockersBar() {
        PullBoard board = new PullBoard();
        assertThat(board.apply(new PullProgress("", Phase.STATUS, 0, 0, "1: Pulling from app"))).isTrue();
        board.apply(new PullProgress("aaaaaaaaaaaa", Phase.ALREADY_EXISTS, 0, 0, "Already exists"));
        board.apply(new PullProgress("bbbbbbbbbbbb", Phase.PULLING_FS_LAYER, 0, 0, "Pulling fs layer"));
        assertThat(board.apply(new PullProgress("bbbbbbbbbbbb", Phase.DOWNLOADING, 500_000, 2_000_000, "Downloading"))).isTrue();
        assertThat(board.apply(new PullProgress("bbbbbbbbbbbb", Phase.DOWNLOADING, 1_000_000, 2_000_000, "Downloading"))).isFalse();
        assertThat(board.rows()).hasSize(2);
        assertThat(PullBoard.render(board.rows().get(1), 10)).isEqualTo("bbbbbbbbbbbb: Downloading [====>     ] 1MB/2MB");
        assertThat(board.bytes()).containsExactly(1_000_000, 2_000_000);
        board.apply(new PullProgress("bbbbbbbbbbbb", Phase.PULL_COMPLETE, 0, 0, "Pull complete"));
        assertThat(board.rows()).allMatch(PullBoard.Row::finished);
        assertThat(board.lines()).containsExactly("1: Pulling from app");
    }
}
