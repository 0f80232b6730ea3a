package io.gantry.engine;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One progress event of a pull: a layer's phase and bytes, or a line about the whole pull.
 *
 * @param layer   the short layer ID the event is about, empty for events about the whole pull
 * @param phase   what is happening
 * @param current bytes done in this phase (0 when not reported)
 * @param total   bytes in this phase (0 when not reported)
 * @param text    what the engine said, for display ("Pulling fs layer", "Digest: sha256:…")
 */
public record PullProgress(String layer, Phase phase, long current, long total, String text) {

    /** The phases a pull row moves through, in Docker's words. */
    public enum Phase {
        /** "Pulling from library/alpine", "Status: …" and other lines about the whole pull. */
        STATUS,
        /** "Pulling fs layer": the layer is queued. */
        PULLING_FS_LAYER,
        /** "Waiting": queued behind other downloads. */
        WAITING,
        /** "Downloading" with bytes. */
        DOWNLOADING,
        /** "Verifying Checksum". */
        VERIFYING,
        /** "Download complete". */
        DOWNLOAD_COMPLETE,
        /** "Extracting" with bytes. */
        EXTRACTING,
        /** "Already exists": the engine has this layer (shared with another image). */
        ALREADY_EXISTS,
        /** "Pull complete". */
        PULL_COMPLETE,
        /** The manifest digest of what was pulled ("Digest: sha256:…"). */
        DIGEST,
        /** Anything else the engine reports about a layer ("Retrying in 5 seconds"). */
        OTHER
    }

    public PullProgress {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(text, "text");
    }

    /** How docker starts a line about the whole pull that warns, e.g. of an image of another platform than asked. */
    private static final String WARNING = "WARNING: ";

    /** A line about the whole pull that warns, in docker's words: {@code WARNING: } and {@code warning}. */
    public static PullProgress warning(String warning) {
        return new PullProgress("", Phase.STATUS, 0, 0, WARNING + warning);
    }

    /** What this line warns of, without docker's {@code WARNING: }; empty for every other event. */
    public java.util.Optional<String> warning() {
        return !isLayerEvent() && phase == Phase.STATUS && text.startsWith(WARNING)
                ? java.util.Optional.of(text.substring(WARNING.length())) : java.util.Optional.empty();
    }

    /** Whether this event is about one layer rather than the whole pull. */
    public boolean isLayerEvent() {
        return !layer.isEmpty();
    }

    /** {@code total} when the engine reported one. */
    public OptionalLong totalBytes() {
        return total > 0 ? OptionalLong.of(total) : OptionalLong.empty();
    }
}
