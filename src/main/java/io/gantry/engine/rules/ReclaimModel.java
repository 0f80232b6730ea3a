package io.gantry.engine.rules;

import io.gantry.core.Digest;
import io.gantry.engine.ImageCopy;
import io.gantry.engine.ImageLayer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything reclaim planning needs to know about an endpoint: its images and the containers that
 * use them. Stores translate their own listings into this; no I/O happens during planning.
 *
 * @param images     every image of the endpoint (tagged, dangling and intermediate)
 * @param containers every container, running or stopped
 * @param layerKey   how the endpoint keeps layers, so what a freed layer's line names
 * @param layerLines whether a delete names the layers it frees ({@code Deleted: <layer>}, as moby
 *                   and the embedded store do); Podman names only the image, so no layer lines are
 *                   planned there (the layers are still counted in the bytes freed)
 * @param forceRemovesContainers whether a forced delete also removes the containers using the image
 *                   (Podman): then a forced delete of an image a running container uses or other
 *                   images are built on is refused, as Gantry refuses it there before asking the engine
 */
public record ReclaimModel(List<Image> images, List<Container> containers, LayerKey layerKey, boolean layerLines,
                           boolean forceRemovesContainers) {

    /** What identifies a layer on the endpoint, and so what is reference-counted and freed. */
    public enum LayerKey {
        /** A layer store (moby): a layer is its chain ID, shared only by images with the same layers below it. */
        CHAIN_ID,
        /** A blob store (an OCI image layout): a layer is its blob, shared by every image that lists that blob. */
        BLOB
    }

    public ReclaimModel {
        images = List.copyOf(images);
        containers = List.copyOf(containers);
        Objects.requireNonNull(layerKey, "layerKey");
    }

    /** An endpoint whose deletes name the layers they free, and whose force removes no containers. */
    public ReclaimModel(List<Image> images, List<Container> containers, LayerKey layerKey) {
        this(images, containers, layerKey, true, false);
    }

    /** An engine's state: layers by chain ID. */
    public ReclaimModel(List<Image> images, List<Container> containers) {
        this(images, containers, LayerKey.CHAIN_ID);
    }

    /**
     * An image.
     *
     * @param id         image ID
     * @param references its names as {@code docker images} shows them: {@code repo:tag} and
     *                   {@code repo@sha256:…} ({@code ubuntu:22.04}, {@code localhost:5000/app:1})
     * @param parent     the parent image, for images built locally by the classic builder; empty
     *                   for pulled images (whose layers are shared by chain ID, not by parent link)
     * @param layers     its layers, base first; sizes as the engine counts them ({@code DiffSize}); in
     *                   a blob store every blob of every copy, each once
     * @param copies     the blob sets a blob store keeps the image as, with the names that keep each
     *                   ({@link ImageCopy}); empty when it is kept once. An untag that removes the last
     *                   name of a copy frees that copy's blobs that nothing else uses.
     */
    public record Image(Digest id, List<String> references, Optional<Digest> parent, List<ImageLayer> layers,
                        List<ImageCopy> copies) {
        public Image {
            Objects.requireNonNull(id, "id");
            references = List.copyOf(references);
            Objects.requireNonNull(parent, "parent");
            layers = List.copyOf(layers);
            copies = List.copyOf(copies);
        }

        /** An image kept once. */
        public Image(Digest id, List<String> references, Optional<Digest> parent, List<ImageLayer> layers) {
            this(id, references, parent, layers, List.of());
        }

        /** An image without a parent link. */
        public static Image of(Digest id, List<String> references, List<ImageLayer> layers) {
            return new Image(id, references, Optional.empty(), layers);
        }

        /** An image without a parent link, kept as {@code copies} (a blob store). */
        public static Image of(Digest id, List<String> references, List<ImageLayer> layers, List<ImageCopy> copies) {
            return new Image(id, references, Optional.empty(), layers, copies);
        }
    }

    /**
     * A container and the image it was created from.
     *
     * @param id          container ID (full or short; shown in conflict messages as 12 characters)
     * @param imageId     the image it uses
     * @param running     whether it is running (a hard conflict) or stopped/created (a soft one)
     * @param imageLayers the layers of its image when that image is no longer listed (it was
     *                    force-deleted while the container existed): the container still holds them,
     *                    so they must not be counted as freed. Empty when the image is listed, or
     *                    when the store cannot tell, in which case a plan may count a layer the
     *                    container keeps as freed.
     */
    public record Container(String id, Digest imageId, boolean running, List<ImageLayer> imageLayers) {
        public Container {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(imageId, "imageId");
            imageLayers = List.copyOf(imageLayers);
        }

        public Container(String id, Digest imageId, boolean running) {
            this(id, imageId, running, List.of());
        }

        String shortId() {
            return id.length() > 12 ? id.substring(0, 12) : id;
        }
    }
}
