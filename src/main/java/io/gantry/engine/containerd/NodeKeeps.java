package io.gantry.engine.containerd;

import io.gantry.core.ImageReference;
import io.gantry.engine.KeptImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images a Kubernetes node keeps whatever Docker's rules say: the CRI's configured sandbox
 * (pause) image, which containerd 1.6 neither pins nor counts as used between pods, and the images
 * the runtime pins. Only in the CRI's namespace, {@code k8s.io}.
 */
final class NodeKeeps {

    private NodeKeeps() {
    }

    static List<KeptImage> kept(List<ContainerdImage> images, CriRuntime cri) {
        Optional<ImageReference> sandbox = cri.sandboxImage().flatMap(ContainerdImage::reference);
        List<KeptImage> kept = new ArrayList<>();
        for (ContainerdImage image : images) {
            if (sandbox.isPresent() && image.references().contains(sandbox.get())) {
                kept.add(new KeptImage(image.id(), List.of(sandbox.get().familiar()), "it is the node's pod sandbox "
                        + "(pause) image (the CRI's sandbox_image " + sandbox.get().familiar()
                        + "): every pod starts from it"));
            } else if (cri.pinned().contains(image.id().toString())) {
                kept.add(new KeptImage(image.id(), List.of(), "the runtime pins it (the kubelet never removes it)"));
            }
        }
        return kept;
    }
}
