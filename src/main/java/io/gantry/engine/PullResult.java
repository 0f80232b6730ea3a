package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a finished pull left on the endpoint.
 *
 * @param reference the reference pulled, with the tag the engine used ("alpine:latest")
 * @param imageId   the local image ID it now names
 * @param digest    the manifest digest pulled, when the engine reported one
 * @param upToDate  whether the reference already named this image before the pull
 */
public record PullResult(String reference, Digest imageId, Optional<Digest> digest, boolean upToDate) {

    public PullResult {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(digest, "digest");
    }
}
