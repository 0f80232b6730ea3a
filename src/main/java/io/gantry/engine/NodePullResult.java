package io.gantry.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * A pull onto a node through its runtime (the CRI's {@code PullImage}) that succeeded.
 *
 * @param reference the reference pulled, as the runtime was asked for it
 * @param imageRef  what the runtime answered: the image's ID ({@code sha256:<config digest>})
 * @param bytesSeen the bytes seen arriving in the content store (see {@link NodePullProgress})
 * @param elapsed   how long the pull took
 */
public record NodePullResult(String reference, String imageRef, long bytesSeen, Duration elapsed) {

    public NodePullResult {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(imageRef, "imageRef");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
