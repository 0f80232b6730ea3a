package io.gantry.engine.docker;

import io.gantry.core.Digest;
import io.gantry.engine.ContainerRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of what moby's delete and prune rules look at: every image (including intermediate
 * ones) with its parent link, references and layer chain; every container and the image it uses;
 * and the size of each layer.
 *
 * @param images     every image by ID
 * @param containers every container, running or stopped
 * @param layerSizes bytes of each layer by chain ID (its {@code DiffSize}); may be empty when only
 *                   conflicts, not reclaimed bytes, are wanted
 */
record ImageGraph(Map<Digest, Node> images, List<ContainerRef> containers, Map<String, Long> layerSizes) {

    /**
     * One image.
     *
     * @param id         its ID
     * @param parent     its local parent, if any
     * @param references its tags and digests, as the engine lists them ({@code RepoTags}, {@code RepoDigests})
     * @param chain      its layers' chain IDs, base first; may be empty when layers are not wanted
     */
    record Node(Digest id, Optional<Digest> parent, List<String> references, List<String> chain) {
        Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(parent, "parent");
            references = List.copyOf(references);
            chain = List.copyOf(chain);
        }
    }

    ImageGraph {
        images = Map.copyOf(images);
        containers = List.copyOf(containers);
        layerSizes = Map.copyOf(layerSizes);
    }

    /** Chain IDs from diff IDs: {@code chain[0] = diff[0]}, {@code chain[i] = sha256(chain[i-1] + " " + diff[i])}. */
    static List<String> chainIds(List<Digest> diffIds) {
        String[] chain = new String[diffIds.size()];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = i == 0 ? diffIds.get(0).toString()
                    : Digest.sha256(chain[i - 1] + " " + diffIds.get(i)).toString();
        }
        return List.of(chain);
    }
}
