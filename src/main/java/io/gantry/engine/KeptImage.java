package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;

/**
 * An image the endpoint must keep whatever Docker's rules would allow: a Kubernetes node's pod
 * sandbox (pause) image, or an image its runtime pins. Gantry never deletes or prunes it, and does
 * not remove the {@code names} it must keep (untagging one of several names would otherwise be
 * allowed); the reason is shown where a delete is refused.
 *
 * @param id     the image ID
 * @param names  names that must stay, in Docker's short form (the sandbox image's configured name)
 * @param reason why, for the user ("it is the node's pod sandbox image …")
 */
public record KeptImage(Digest id, List<String> names, String reason) {

    public KeptImage {
        Objects.requireNonNull(id, "id");
        names = List.copyOf(names);
        Objects.requireNonNull(reason, "reason");
    }
}
