package io.gantry.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How a pull onto a node (the CRI's {@code PullImage}) is going. The CRI reports nothing until the
 * pull is over, so this is what Gantry can see from outside: the time since the pull started and
 * the bytes it has seen arriving in the runtime's content store (downloads in progress in the
 * node's namespace, each counted up to the furthest offset seen; a small blob that arrives and is
 * committed between two looks is not counted). It is no percentage: the total is not known.
 *
 * @param elapsed   time since the pull was asked for
 * @param bytesSeen bytes seen written into the content store so far
 * @param active    downloads (content ingests) in progress at the last look
 */
public record NodePullProgress(Duration elapsed, long bytesSeen, int active) {

    public NodePullProgress {
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
