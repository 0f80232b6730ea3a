package io.gantry.engine.rules;

import io.gantry.engine.KeptImage;
import java.util.List;

/**
 * The rules' view of images an endpoint must keep ({@link KeptImage}): each is held as a running
 * container would hold it (so a delete is a hard conflict and a prune leaves it), and a delete
 * that names one of its kept names is a delete of the image itself (so it is refused rather than
 * untagging). A plan made with these is the same wherever it is made, so a preview equals the result.
 */
public final class KeptImages {

    /** The ID prefix of the holders; no real container has it. */
    public static final String HOLDER = "kept-";

    private KeptImages() {
    }

    /** The running "container" that holds {@code kept}. */
    public static ReclaimModel.Container holder(KeptImage kept) {
        return new ReclaimModel.Container(HOLDER + kept.id().hex(), kept.id(), true);
    }

    /** Whether {@code container} is a holder, not a real container. */
    public static boolean isHolder(ReclaimModel.Container container) {
        return container.id().startsWith(HOLDER);
    }

    /** {@code target}, or a delete by ID of the kept image when it names one of its kept names. */
    public static DeleteTarget retarget(List<KeptImage> kept, DeleteTarget target) {
        if (target instanceof DeleteTarget.ByReference byName) {
            for (KeptImage k : kept) {
                if (k.names().contains(byName.reference())) {
                    return DeleteTarget.id(k.id());
                }
            }
        }
        return target;
    }
}
