package io.gantry.service;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.LocalImage;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.service.analysis.ImageSharing;
import io.gantry.service.analysis.LayerSharing;
import io.gantry.service.analysis.SharedLayers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image's layers with size, created-by and the other images that share each one (by chain ID;
 * by blob where the endpoint keeps blobs, as its listing counts SHARED),
 * for {@code gantry layers} and the Layers view, from the port's {@link ImageStore#layers} of every
 * image: the embedded store gives blob digests and blob sizes; an engine gives diff IDs and the
 * sizes its history reports, and keeps no blobs.
 */
public final class LayerRows {

    private LayerRows() {
    }

    /**
     * One layer row.
     *
     * @param index      0 for the base layer
     * @param diffId     the uncompressed layer digest
     * @param blob       the stored blob digest; empty where the endpoint keeps no blobs (an engine)
     * @param chainId    the chain ID up to this layer
     * @param size       bytes (compressed in the embedded store, unpacked in an engine)
     * @param createdBy  the build step that made it
     * @param sharedWith names (first tag, else short ID) of the other images sharing this chain
     */
    public record Row(int index, Digest diffId, Optional<Digest> blob, Digest chainId, long size, String createdBy,
                      List<String> sharedWith) {
        public Row {
            Objects.requireNonNull(diffId, "diffId");
            Objects.requireNonNull(blob, "blob");
            sharedWith = List.copyOf(sharedWith);
        }
    }

    /** The layers of {@code image} on {@code store}, sharing computed over all its images. */
    public static List<Row> of(ImageStore store, ImageKey image) {
        Digest id = store.inspect(image).id();
        List<LocalImage> local = store.localImages();
        List<ImageLayers> all = local.stream().map(LayerRows::analysed).toList();
        SharedLayers shared = SharedLayers.of(all, store.capabilities().layerBlobs());
        Map<Digest, String> names = new HashMap<>();
        all.forEach(i -> names.put(i.imageId(), i.tags().isEmpty() ? i.imageId().shortHex() : i.tags().get(0)));
        ImageSharing sharing = shared.image(id).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND,
                "read the layers of " + image, "the image is gone"));
        List<ImageLayer> layers = local.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().layers();
        List<Row> rows = new ArrayList<>();
        for (LayerSharing layer : sharing.layers()) {
            rows.add(new Row(layer.index(), layer.layer().diffId(), layers.get(layer.index()).blob(), layer.chainId(),
                    layer.layer().size(), layer.layer().createdBy(),
                    layer.sharedWith().stream().map(names::get).toList()));
        }
        return rows;
    }

    /** Every image of the store as the analysis wants it. */
    public static List<ImageLayers> allImages(ImageStore store) {
        return store.localImages().stream().map(LayerRows::analysed).toList();
    }

    private static ImageLayers analysed(LocalImage image) {
        return new ImageLayers(image.id(), image.repoTags(), image.layers());
    }
}
