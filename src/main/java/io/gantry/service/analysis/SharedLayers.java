package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import io.gantry.core.ChainSharing;
import io.gantry.core.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Shared and unique size of every image, computed as moby does for {@code docker system df -v} and
 * {@code GET /images/json?shared-size=1} ({@code daemon/images/images.go}):
 *
 * <ol>
 *   <li>For every image (tagged, dangling and intermediate alike) and every layer position, take the
 *       chain ID of the layers up to that position and count one reference to it.</li>
 *   <li>An image's SHARED is the sum of the sizes of its layers whose chain ID has more than one
 *       reference; SIZE is the sum of all its layer sizes; UNIQUE = SIZE - SHARED.</li>
 * </ol>
 *
 * <p>Consequences worth knowing: two images with the same layers but different configs (a rebuilt
 * image with a new label, say) share everything, so both have UNIQUE 0; a dangling parent image
 * shares all its layers with its children; a layer with the same diff ID as another image's layer
 * but a different stack below it is <em>not</em> shared. Images listed twice (same ID) count once.
 *
 * <p>Which images hold a chain is counted by core's {@code ChainSharing}, which the listings use too,
 * so both give the same SHARED. A blob store (the embedded store, containerd) counts by blob instead
 * ({@link #of(List, boolean)}): there a layer is kept once per blob, wherever images list it. Pure function of its input: the lead can feed it the images an engine lists and compare the
 * result with the engine's own {@code SharedSize}.
 */
public final class SharedLayers {

    private final Map<Digest, ImageSharing> byImage;
    private final Map<Digest, List<Digest>> imagesByChain;

    private SharedLayers(Map<Digest, ImageSharing> byImage, Map<Digest, List<Digest>> imagesByChain) {
        this.byImage = byImage;
        this.imagesByChain = imagesByChain;
    }

    /** Analyses all the images of one layer store (moby). Every image of the endpoint must be passed. */
    public static SharedLayers of(List<ImageLayers> images) {
        return of(images, false);
    }

    /**
     * Analyses all the images of one endpoint; {@code blobStore} for an endpoint that keeps layers as
     * blobs (the embedded store, containerd): a layer is then shared by the images that list its blob
     * ({@link ChainSharing#ofBlobs}), as the endpoint's listing counts it.
     */
    public static SharedLayers of(List<ImageLayers> images, boolean blobStore) {
        Map<Digest, ImageLayers> unique = new LinkedHashMap<>();
        images.forEach(image -> unique.putIfAbsent(image.imageId(), image));

        Map<Digest, List<Digest>> keys = new LinkedHashMap<>();
        unique.values().forEach(image -> keys.put(image.imageId(), image.layers().stream()
                .map(blobStore ? ImageLayer::blobOrDiffId : ImageLayer::diffId).toList()));
        ChainSharing sharing = blobStore ? ChainSharing.ofBlobs(keys) : ChainSharing.of(keys);

        Map<Digest, List<Digest>> imagesByChain = new LinkedHashMap<>();
        Map<Digest, ImageSharing> byImage = new LinkedHashMap<>();
        for (ImageLayers image : unique.values()) {
            List<Digest> chainIds = image.chainIds();
            List<LayerSharing> layers = new ArrayList<>();
            long size = 0;
            long shared = 0;
            for (int i = 0; i < chainIds.size(); i++) {
                ImageLayer layer = image.layers().get(i);
                List<Digest> holders = sharing.holders(image.imageId(), i);
                imagesByChain.putIfAbsent(chainIds.get(i), holders);
                TreeSet<Digest> others = new TreeSet<>(holders);
                others.remove(image.imageId());
                layers.add(new LayerSharing(i, layer, chainIds.get(i), List.copyOf(others)));
                if (!sharing.repeats(image.imageId(), i)) { // the same blob listed again is kept, and counted, once
                    size += layer.size();
                    if (sharing.shared(image.imageId(), i)) {
                        shared += layer.size();
                    }
                }
            }
            byImage.put(image.imageId(), new ImageSharing(image, size, shared, layers));
        }
        imagesByChain.replaceAll((chainId, ids) -> List.copyOf(ids));
        return new SharedLayers(Collections.unmodifiableMap(byImage), Collections.unmodifiableMap(imagesByChain));
    }

    /** Every image, in input order. */
    public List<ImageSharing> images() {
        return List.copyOf(byImage.values());
    }

    public Optional<ImageSharing> image(Digest imageId) {
        return Optional.ofNullable(byImage.get(imageId));
    }

    /** SHARED of one image; {@code NoSuchElementException} for an image that was not analysed. */
    public long sharedSize(Digest imageId) {
        return image(imageId).orElseThrow().sharedSize();
    }

    /** The images whose layer stacks contain {@code chainId}, in input order; empty when none. */
    public List<Digest> imagesUsing(Digest chainId) {
        return imagesByChain.getOrDefault(chainId, List.of());
    }

    /** {@code imageId -> SHARED} for every image: the shape to compare with an engine's listing. */
    public Map<Digest, Long> sharedSizes() {
        Map<Digest, Long> sizes = new LinkedHashMap<>();
        byImage.forEach((id, sharing) -> sizes.put(id, sharing.sharedSize()));
        return sizes;
    }
}
