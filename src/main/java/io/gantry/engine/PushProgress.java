package io.gantry.engine;

import java.util.Objects;

/**
 * One progress event of a push: a layer's phase and bytes, or a line about the whole push, in
 * {@code docker push}'s words.
 *
 * @param layer   the short layer ID the event is about, empty for events about the whole push
 * @param phase   what is happening
 * @param current bytes sent so far (0 when not reported)
 * @param total   bytes to send (0 when not reported)
 * @param text    the words to show ("Preparing", "Mounted from team/base", "1.0: digest: sha256:… size: 528")
 */
public record PushProgress(String layer, Phase phase, long current, long total, String text) {

    /** The phases a push row moves through, as {@code docker push} names them. */
    public enum Phase {
        /** "The push refers to repository [...]" and other lines about the whole push. */
        STATUS,
        /** "Preparing": the layer is being looked at. */
        PREPARING,
        /** "Waiting": queued behind other uploads. */
        WAITING,
        /** "Pushing" with bytes. */
        PUSHING,
        /** "Pushed": uploaded. */
        PUSHED,
        /** "Layer already exists": the repository had it; nothing was sent. */
        ALREADY_EXISTS,
        /** "Mounted from REPO": taken from another repository of the same registry; nothing was sent. */
        MOUNTED,
        /** The final "TAG: digest: sha256:… size: N". */
        DIGEST,
        /** Anything else the engine reports about a layer ("Retrying in 5 seconds"). */
        OTHER
    }

    public PushProgress {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(text, "text");
    }

    /** Whether this event is about one layer rather than the whole push. */
    public boolean isLayerEvent() {
        return !layer.isEmpty();
    }

    /** Whether nothing more will happen to this layer. */
    public boolean finished() {
        return phase == Phase.PUSHED || phase == Phase.ALREADY_EXISTS || phase == Phase.MOUNTED;
    }
}
