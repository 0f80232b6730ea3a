package io.gantry.engine;

import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * What to pull.
 *
 * @param reference the image to pull ({@code alpine} parses as {@code docker.io/library/alpine:latest})
 * @param platform  the platform to pull of a multi-arch image, e.g. linux/arm64; empty for the
 *                  endpoint's own
 */
public record PullRequest(ImageReference reference, Optional<Platform> platform) {

    public PullRequest {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(platform, "platform");
    }

    /** The endpoint's own platform of {@code reference}. */
    public static PullRequest of(ImageReference reference) {
        return new PullRequest(reference, Optional.empty());
    }

    /**
     * Parses {@code reference} as the user typed it; {@code INVALID_INPUT} with the rule it
     * breaks when it is not a reference.
     */
    public static PullRequest of(String reference) {
        return of(ImageReference.parse(reference));
    }
}
