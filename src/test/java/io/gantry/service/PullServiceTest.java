package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.PullProgress;
import io.gantry.testing.ManualClock;
import io.gantry.engine.PullProgress.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PullServiceTest {

    @Test
    void bytesAreThrottledPerLayerButPhaseChangesAndTheLastByteAlwaysPass() {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        List<PullProgress> seen = new ArrayList<>();
        Consumer<PullProgress> throttled = new PullService(clock, Duration.ofMillis(100)).throttled(seen::add);
        throttled.accept(new PullProgress("a", Phase.PULLING_FS_LAYER, 0, 0, "Pulling fs layer"));
        for (int i = 1; i <= 10; i++) {
            throttled.accept(new PullProgress("a", Phase.DOWNLOADING, i * 10, 100, "Downloading"));
            throttled.accept(new PullProgress("b", Phase.DOWNLOADING, i, 100, "Downloading"));
            clock.advance(Duration.ofMillis(30));
        }
        throttled.accept(new PullProgress("a", Phase.VERIFYING, 0, 0, "Verifying Checksum"));
        List<Long> aBytes = seen.stream().filter(e -> e.layer().equals("a") && e.phase() == Phase.DOWNLOADING)
                .map(PullProgress::current).toList();
        assertThat(aBytes).containsExactly(10L, 50L, 90L, 100L);
        assertThat(seen.stream().filter(e -> e.layer().equals("b"))).hasSize(3);
        assertThat(seen.get(seen.size() - 1).phase()).isEqualTo(Phase.VERIFYING);
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
