package io.gantry.service;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PushProgress;
import java.util.Optional;
import java.util.Set;

/**
 * A push as rows of the copy card and of {@code gantry cp … docker://REF}: each push event becomes
 * a layer row in the phases a pull row has, keeping {@code docker push}'s words ("Preparing",
 * "Pushing", "Pushed", "Layer already exists", "Mounted from …"), so the card and the CLI's
 * one-line-per-phase printing ({@link PullBoard}) serve pulls, copies and pushes alike. Also the
 * one place a registry target typed by a user is read ({@link #target}), for the CLI and the window.
 */
public final class PushRows {

    /** The words of a push row, as {@code docker push} prints them. */
    public static final String PREPARING = "Preparing";
    public static final String PUSHING = "Pushing";
    public static final String PUSHED = "Pushed";
    public static final String ALREADY_EXISTS = "Layer already exists";
    public static final String MOUNTED_FROM = "Mounted from ";

    /** skopeo's prefix for a registry reference, which {@code gantry cp} takes too. */
    public static final String REGISTRY_PREFIX = "docker://";

    private static final Set<String> WORDS = Set.of(PREPARING, PUSHING, PUSHED, ALREADY_EXISTS);

    private PushRows() {
    }

    /**
     * The row event for a push event: a layer's phase (Preparing and Waiting as a queued row,
     * Pushing with its bytes, Pushed as complete, already there or mounted as "already exists"),
     * the final {@code TAG: digest: …} as the row board's digest line; empty for lines about the
     * whole push.
     */
    public static Optional<PullProgress> row(PushProgress event) {
        String layer = event.layer();
        return switch (event.phase()) {
            case PREPARING -> Optional.of(new PullProgress(layer, Phase.PULLING_FS_LAYER, 0, 0, PREPARING));
            case WAITING -> Optional.of(new PullProgress(layer, Phase.WAITING, 0, 0, "Waiting"));
            case PUSHING -> Optional.of(new PullProgress(layer, Phase.DOWNLOADING, event.current(), event.total(), PUSHING));
            case PUSHED -> Optional.of(new PullProgress(layer, Phase.PULL_COMPLETE, event.current(), event.total(), PUSHED));
            case ALREADY_EXISTS, MOUNTED -> Optional.of(new PullProgress(layer, Phase.ALREADY_EXISTS, 0, 0, event.text()));
            case DIGEST -> digest(event.text()).map(d -> new PullProgress("", Phase.DIGEST, 0, 0, "Digest: " + d));
            case OTHER -> event.isLayerEvent() ? Optional.of(new PullProgress(layer, Phase.OTHER, 0, 0, event.text()))
                    : Optional.empty();
            case STATUS -> Optional.empty();
        };
    }

    /** Whether {@code text} is one of a push row's own words (shown as they are, not as a pull's). */
    public static boolean isPushWord(String text) {
        return WORDS.contains(text) || text.startsWith(MOUNTED_FROM);
    }

    /**
     * A registry reference a user typed as the target of a copy ({@code gantry cp IMAGE docker://REF},
     * the window's "Copy to" › "A registry…"): {@code docker://} in front is optional, the rest is a
     * reference in docker's grammar ({@code localhost:5000/team/app:1}).
     *
     * @throws GantryException {@link ErrorKind#INVALID_INPUT} saying what is wrong with it
     */
    public static ImageReference target(String text) {
        String trimmed = text.strip();
        String reference = trimmed.startsWith(REGISTRY_PREFIX) ? trimmed.substring(REGISTRY_PREFIX.length()) : trimmed;
        if (reference.isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "copy to a registry", "no reference", null, 0,
                    "Name the image in the registry, e.g. localhost:5000/team/app:1.", null);
        }
        return ImageReference.parse(reference);
    }

    /** The digest in a push's last line, "TAG: digest: sha256:… size: N". */
    private static Optional<String> digest(String line) {
        int at = line.indexOf("digest: ");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = line.substring(at + "digest: ".length());
        int space = rest.indexOf(' ');
        return Optional.of(space < 0 ? rest : rest.substring(0, space));
    }
}
