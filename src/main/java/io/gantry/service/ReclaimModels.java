package io.gantry.service;

import io.gantry.core.Digest;
import io.gantry.engine.Capabilities;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageStore;
import io.gantry.engine.LocalImage;
import io.gantry.engine.rules.KeptImages;
import io.gantry.engine.rules.ReclaimModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an endpoint's images and containers into the {@link ReclaimModel} that reclaim planning
 * works on, through the port alone: every image with its names, parent and layers
 * ({@link ImageStore#localImages()}: blob digests and sizes in the embedded store, diff IDs and
 * the unpacked sizes its history reports in an engine), and every container.
 *
 * <p>Intermediate images of classic builds are not listed by {@link ImageStore#listImages()}, so a
 * parent link to one is left out; the plan may then miss that the parent would be pruned too.
 */
public final class ReclaimModels {

    private ReclaimModels() {
    }

    /** The endpoint's state now; blocks on I/O. */
    public static ReclaimModel of(ImageStore store) {
        List<LocalImage> local = store.localImages();
        Set<Digest> listed = new HashSet<>();
        local.forEach(image -> listed.add(image.id()));
        List<ReclaimModel.Image> images = new ArrayList<>();
        for (LocalImage image : local) {
            List<String> references = new ArrayList<>(image.repoTags());
            references.addAll(image.repoDigests());
            Optional<Digest> parent = image.parent().filter(listed::contains);
            images.add(new ReclaimModel.Image(image.id(), references, parent, image.storedLayers(), image.copies()));
        }
        List<ReclaimModel.Container> containers = new ArrayList<>();
        for (ContainerRef container : store.containers()) {
            containers.add(new ReclaimModel.Container(container.id(), container.imageId(), container.running()));
        }
        store.keptImages().forEach(kept -> containers.add(KeptImages.holder(kept)));
        // a store that keeps layer blobs (the embedded store) frees blobs; an engine frees chains
        // asked after the listing, which is when an engine has found out whether it is Podman
        Capabilities capabilities = store.capabilities();
        return new ReclaimModel(images, containers,
                capabilities.layerBlobs() ? ReclaimModel.LayerKey.BLOB : ReclaimModel.LayerKey.CHAIN_ID,
                capabilities.has(Capabilities.Capability.LAYER_LINES),
                capabilities.has(Capabilities.Capability.FORCE_REMOVES_CONTAINERS));
    }
}
