package io.gantry.engine;

import io.gantry.core.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of an image's history, newest first, as {@code docker history} shows it.
 *
 * @param imageId   the local image this step produced, when it exists locally (docker shows
 *                  {@code <missing>} otherwise)
 * @param created   when the step ran
 * @param createdBy the instruction that made it ("/bin/sh -c #(nop) CMD [\"sh\"]")
 * @param size      bytes the step's layer adds; 0 for steps that made no layer
 * @param tags      tags of {@code imageId}, if any
 * @param comment   the step's comment
 */
public record HistoryEntry(Optional<Digest> imageId, Instant created, String createdBy, long size,
                           List<String> tags, String comment) {

    public HistoryEntry {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(comment, "comment");
        tags = List.copyOf(tags);
    }
}
