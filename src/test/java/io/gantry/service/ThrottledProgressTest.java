package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pull path's throttle: at most one batch per period, every phase change, the latest byte count, nothing lost at the end. */
class ThrottledProgressTest {

    private static PullProgress downloading(String layer, long current) {
        return new PullProgress(layer, Phase.DOWNLOADING, current, 100, "Downloading");
    }

    @Test
    void batchesPerPeriodKeepingTheLatestEventOfEachLayer() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        List<List<PullProgress>> batches = new ArrayList<>();
        ThrottledProgress throttle = new ThrottledProgress(batches::add, now::get, 100);

        throttle.accept(downloading("a", 1)); // the first event goes at once
        assertThat(batches).hasSize(1);
        for (int i = 2; i <= 50; i++) {
            now.addAndGet(1);
            throttle.accept(downloading("a", i));
            throttle.accept(downloading("b", i));
        }
        assertThat(batches).hasSize(1); // 98 events within one period: held back
        now.addAndGet(100);
        throttle.accept(new PullProgress("", Phase.STATUS, 0, 0, "Digest: x"));
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).extracting(PullProgress::layer).containsExactly("a", "b", "");
        assertThat(batches.get(1).get(0).current()).isEqualTo(50);

        throttle.accept(new PullProgress("a", Phase.PULL_COMPLETE, 0, 0, "Pull complete"));
        assertThat(batches).hasSize(2);
        throttle.flush();
        assertThat(batches).hasSize(3);
        assertThat(batches.get(2)).extracting(PullProgress::phase).containsExactly(Phase.PULL_COMPLETE);
        throttle.flush();
        assertThat(batches).hasSize(3); // nothing pending, nothing sent
    }

    @Test
    void everyPhaseChangeSurvivesOnlyByteCountsCollapse() {
        AtomicLong now = new AtomicLong(0);
        List<List<PullProgress>> batches = new ArrayList<>();
        ThrottledProgress throttle = new ThrottledProgress(batches::add, now::get, 100);
        throttle.accept(new PullProgress("", Phase.STATUS, 0, 0, "Pulling"));
        throttle.accept(new PullProgress("a", Phase.PULLING_FS_LAYER, 0, 0, "Pulling fs layer"));
        throttle.accept(downloading("a", 40));
        throttle.accept(downloading("a", 100));
        throttle.accept(new PullProgress("a", Phase.VERIFYING, 0, 0, "Verifying Checksum"));
        throttle.accept(new PullProgress("a", Phase.PULL_COMPLETE, 0, 0, "Pull complete"));
        throttle.flush();
        List<PullProgress> all = batches.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(PullProgress::phase).containsExactly(Phase.STATUS, Phase.PULLING_FS_LAYER,
                Phase.DOWNLOADING, Phase.VERIFYING, Phase.PULL_COMPLETE);
        assertThat(all.get(2).current()).isEqualTo(100);
    }
}
