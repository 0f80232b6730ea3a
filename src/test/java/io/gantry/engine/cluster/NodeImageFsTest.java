package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The kubelet's image GC rule on a node's image filesystem ({@code image_gc_manager.go}): usage is
 * {@code 100 - available * 100 / capacity}, collection at or above the high threshold, down to the
 * low one.
 */
class NodeImageFsTest {

    private static final Cluster.ImageGcThresholds DEFAULTS = Cluster.ImageGcThresholds.DEFAULTS;

    @Test
    void collectionStartsAtTheHighThresholdAndFreesDownToTheLowOne() {
        NodeImageFs atHigh = new NodeImageFs(100_000, 15_000, 40_000);
        assertThat(atHigh.usagePercent()).isEqualTo(85);
        assertThat(atHigh.gcDue(DEFAULTS)).isTrue();
        assertThat(atHigh.bytesToFree(DEFAULTS)).as("20% of 100,000 must be free: 5,000 more").isEqualTo(5_000);

        NodeImageFs below = new NodeImageFs(100_000, 16_000, 40_000);
        assertThat(below.usagePercent()).isEqualTo(84);
        assertThat(below.gcDue(DEFAULTS)).isFalse();
        assertThat(below.bytesToFree(DEFAULTS)).isZero();
    }

    @Test
    void aKubeletsOwnThresholdsDecide() {
        NodeImageFs fs = new NodeImageFs(200, 60, 100); // 70% used
        Cluster.ImageGcThresholds eager = new Cluster.ImageGcThresholds(70, 50);
        assertThat(fs.gcDue(eager)).isTrue();
        assertThat(fs.bytesToFree(eager)).isEqualTo(40); // 50% of 200 free = 100; 60 are
        assertThat(fs.gcDue(DEFAULTS)).isFalse();
    }

    @Test
    void usageIsTheWholeFilesystemsNotOnlyTheImages() {
        NodeImageFs fs = new NodeImageFs(1_000, 100, 50); // images take 5%, the filesystem is 90% full
        assertThat(fs.usagePercent()).isEqualTo(90);
        assertThat(fs.gcDue(DEFAULTS)).isTrue();
    }

    @Test
    void impossibleFiguresAreRefused() {
        assertThatThrownBy(() -> new NodeImageFs(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeImageFs(10, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new NodeImageFs(10, 20, 0).usagePercent()).as("more available than capacity reads as empty")
                .isZero();
    }
}
