package io.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.NodeImageCache.NodeImage;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NodeImageCacheTest {

    private static NodeImage image(String id, long size, boolean pinned, List<String> usedBy, String seen) {
        return new NodeImage("sha256:" + id, List.of(id + ":1"), List.of(), size, pinned, usedBy, Instant.parse(seen));
    }

    private final NodeImage pause = image("pause", 5, true, List.of(), "2024-01-01T00:00:00Z");
    private final NodeImage running = image("web", 20, false, List.of("web-7d/app"), "2024-01-02T00:00:00Z");
    private final NodeImage oldest = image("old", 4, false, List.of(), "2024-01-03T00:00:00Z");
    private final NodeImage older = image("older", 8, false, List.of(), "2024-01-04T00:00:00Z");
    private final NodeImage newest = image("new", 30, false, List.of(), "2024-02-01T00:00:00Z");

    @Test
    void aboveEightyFivePercentTheKubeletFreesDownToEightyUnusedUnpinnedOldestFirst() {
        NodeImageCache cache = new NodeImageCache("/var/lib/containerd", 90, OptionalLong.of(100),
                List.of(pause, running, newest, older, oldest));
        assertThat(cache.usedPercent()).hasValue(90);
        assertThat(cache.aboveHighThreshold()).isTrue();
        assertThat(cache.bytesToFree()).isEqualTo(10);
        assertThat(cache.collectionOrder()).containsExactly(oldest, older, newest);
        assertThat(cache.wouldCollectNow()).containsExactly(oldest, older);
    }

    @Test
    void atOrBelowTheHighThresholdNothingIsDueAndWithoutACapacityNothingIsKnown() {
        NodeImageCache at = new NodeImageCache("/x", 85, OptionalLong.of(100), List.of(oldest));
        assertThat(at.aboveHighThreshold()).isFalse();
        assertThat(at.bytesToFree()).isZero();
        assertThat(at.wouldCollectNow()).isEmpty();
        assertThat(at.collectionOrder()).containsExactly(oldest);
        NodeImageCache unknown = new NodeImageCache("/x", 85, OptionalLong.empty(), List.of(oldest));
        assertThat(unknown.usedPercent()).isEmpty();
        assertThat(unknown.aboveHighThreshold()).isFalse();
    }
}
