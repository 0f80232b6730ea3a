package io.gantry.service.analysis;

import io.gantry.core.Digest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one image's layers are shared, with the sizes {@code docker system df -v} shows.
 *
 * @param image      the image
 * @param size       sum of its layer sizes (SIZE)
 * @param sharedSize sum of the sizes of its layers whose chain ID another image also references (SHARED)
 * @param layers     every layer with the images it is shared with, base layer first
 */
public record ImageSharing(ImageLayers image, long size, long sharedSize, List<LayerSharing> layers) {

    public ImageSharing {
        Objects.requireNonNull(image, "image");
        layers = List.copyOf(layers);
    }

    public Digest imageId() {
        return image.imageId();
    }

    /** {@code SIZE - SHARED}: what only this image uses (UNIQUE). */
    public long uniqueSize() {
        return size - sharedSize;
    }

    /** Every other image this one shares at least one layer chain with, in layer order. */
    public Set<Digest> sharesWith() {
        Set<Digest> all = new LinkedHashSet<>();
        layers.forEach(layer -> all.addAll(layer.sharedWith()));
        return all;
    }
}
