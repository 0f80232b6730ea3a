package io.gantry.engine;

import io.gantry.core.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One local image as {@code docker images} and {@code docker system df -v} show it.
 *
 * @param id          the image ID (the config digest)
 * @param repoTags    every {@code repository:tag} naming it; empty for a dangling image
 * @param repoDigests every {@code repository@digest} it was pulled or pushed as
 * @param created     when the image was built
 * @param size        bytes of all its layers
 * @param sharedSize  bytes of its layers that another image also uses (by chain ID)
 * @param containers  how many containers (running or stopped) use it
 */
public record ImageSummary(Digest id, List<String> repoTags, List<String> repoDigests,
                           Instant created, long size, long sharedSize, int containers) {

    public ImageSummary {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /** {@code SIZE - SHARED}, as {@code docker system df -v} shows it. */
    public long uniqueSize() {
        return size - sharedSize;
    }

    /** Untagged: shown as {@code <none>:<none>}. */
    public boolean dangling() {
        return repoTags.isEmpty();
    }
}
