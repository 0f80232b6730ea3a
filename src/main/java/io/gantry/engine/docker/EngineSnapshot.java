package io.gantry.engine.docker;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlanner;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An engine's state as Docker's rules ({@code engine.rules}) play on it: every image, intermediate
 * ones included, with names, parent and (when asked for) layers, and every container, both as the
 * rules model and with what a conflict report names (containers with their names, child images,
 * references).
 *
 * @param model      the rules' view: layers keyed by chain ID, as the engine's layer store keys them
 * @param containers every container, as the engine lists it
 */
record EngineSnapshot(ReclaimModel model, List<ContainerRef> containers) {

    private static final ReclaimPlanner RULES = new ReclaimPlanner();

    EngineSnapshot {
        Objects.requireNonNull(model, "model");
        containers = List.copyOf(containers);
    }

    /**
     * What {@code key} names, as moby's {@code GetImage} finds it; on Podman a short name also finds
     * {@code localhost/NAME}, the name Podman gives an image loaded or built as {@code NAME}.
     */
    Optional<DeleteTarget> target(ImageKey key, boolean podman) {
        Optional<DeleteTarget> found = RULES.target(model, key);
        if (found.isEmpty() && podman && key.reference().isPresent() && !key.text().startsWith("sha256:")) {
            String first = key.text().contains("/") ? key.text().substring(0, key.text().indexOf('/')) : "";
            boolean shortName = !(first.contains(".") || first.contains(":") || first.equals("localhost"));
            if (shortName) {
                return RULES.target(model, ImageKey.parse("localhost/" + key.text()));
            }
        }
        return found;
    }

    /** The image a target names; the target must come from {@link #target}. */
    Digest imageId(DeleteTarget target) {
        if (target instanceof DeleteTarget.ById byId) {
            return byId.imageId();
        }
        String reference = ((DeleteTarget.ByReference) target).reference();
        return model.images().stream().filter(i -> i.references().contains(reference)).findFirst().orElseThrow().id();
    }

    /** A conflict on {@code imageId} with what is in the way: its containers (running first), children and names. */
    DeleteConflict conflict(DeleteConflict.Kind kind, Digest imageId, String message) {
        List<ContainerRef> using = containers.stream().filter(c -> c.imageId().equals(imageId))
                .sorted(Comparator.comparing((ContainerRef c) -> !c.running())).toList();
        List<Digest> children = model.images().stream()
                .filter(i -> i.parent().filter(imageId::equals).isPresent()).map(ReclaimModel.Image::id).sorted().toList();
        List<String> references = model.images().stream().filter(i -> i.id().equals(imageId)).findFirst()
                .map(ReclaimModel.Image::references).orElse(List.of());
        return new DeleteConflict(kind, imageId, using, children, references, message);
    }

    /** The chain IDs some image, or the image of some container, holds (a snapshot read with layers). */
    Set<Digest> heldLayers() {
        Map<Digest, List<Digest>> chains = chains();
        Set<Digest> held = new HashSet<>();
        chains.values().forEach(held::addAll);
        containers.forEach(c -> held.addAll(chains.getOrDefault(c.imageId(), List.of())));
        return held;
    }

    /** Each layer's size by chain ID (a snapshot read with layers). */
    Map<Digest, Long> layerSizes() {
        Map<Digest, Long> sizes = new HashMap<>();
        for (ReclaimModel.Image image : model.images()) {
            List<Digest> chain = ChainIds.of(image.layers().stream().map(ImageLayer::diffId).toList());
            for (int i = 0; i < chain.size(); i++) {
                sizes.put(chain.get(i), image.layers().get(i).size());
            }
        }
        return sizes;
    }

    private Map<Digest, List<Digest>> chains() {
        Map<Digest, List<Digest>> chains = new HashMap<>();
        for (ReclaimModel.Image image : model.images()) {
            chains.put(image.id(), ChainIds.of(image.layers().stream().map(ImageLayer::diffId).toList()));
        }
        return chains;
    }
}
