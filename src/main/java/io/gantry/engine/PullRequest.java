package io.gantry.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * What to pull.
 *
 * @param reference the image reference as the user typed it ("alpine", "localhost:5000/app:1",
 *                  "repo@sha256:…"); a string until the core {@code ImageReference} type lands
 * @param platform  the platform to pull for a multi-arch image, e.g. "linux/arm64"; empty for the
 *                  engine's own
 */
public record PullRequest(String reference, Optional<String> platform) {

    public PullRequest {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(platform, "platform");
    }

    public static PullRequest of(String reference) {
        return new PullRequest(reference, Optional.empty());
    }
}
