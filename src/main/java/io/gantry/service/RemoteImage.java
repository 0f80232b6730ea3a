package io.gantry.service;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.Platform;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a registry holds under a reference, read without pulling (manifests and configs only, no
 * layer): the manifest or index as the registry sent it, and for each platform its manifest,
 * config and layers, as {@code docker manifest inspect --verbose} and {@code skopeo inspect} show.
 *
 * @param reference the reference asked for
 * @param digest    the digest of {@link #raw()}
 * @param mediaType its media type (a manifest, a Docker manifest list or an OCI index)
 * @param raw       the bytes the registry sent, unchanged
 * @param images    the image of each platform (one for a single manifest), in the index's order
 */
public record RemoteImage(ImageReference reference, Digest digest, String mediaType, byte[] raw, List<PlatformImage> images) {

    public RemoteImage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        raw = raw.clone();
        images = List.copyOf(images);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** Whether the reference names an index of several images. */
    public boolean isIndex() {
        return io.gantry.core.MediaTypes.isIndex(mediaType);
    }

    /**
     * One platform's image.
     *
     * @param descriptor the descriptor naming it (from the index, with its platform; for a single
     *                   manifest, the manifest's own)
     * @param raw        its manifest's bytes as the registry sent them
     * @param manifest   the parsed manifest
     * @param config     the parsed config
     */
    public record PlatformImage(Descriptor descriptor, byte[] raw, Manifest manifest, ImageConfig config) {

        public PlatformImage {
            Objects.requireNonNull(descriptor, "descriptor");
            raw = raw.clone();
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(config, "config");
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        public Digest digest() {
            return descriptor.digest();
        }

        /** The platform the index names, else the config's. */
        public Platform platform() {
            return descriptor.platform().orElse(config.platform());
        }

        /** The compressed size a pull downloads: config and layers. */
        public long compressedSize() {
            return manifest.config().size() + manifest.layersSize();
        }

        /** The image ID a pull would give (the config digest). */
        public Digest imageId() {
            return manifest.config().digest();
        }
    }

    /** A layer of a remote image: its blob, its diff ID, and whether the local endpoint's pull would skip it ({@link LocalLayers#mark}). */
    public record RemoteLayer(Descriptor blob, Optional<Digest> diffId, boolean local) {
    }
}
