package io.gantry.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pointer to content by digest: what a manifest says about its config and layers, and what an
 * index says about each platform's manifest (OCI image-spec {@code descriptor}).
 *
 * @param mediaType   what the content is, e.g. {@link MediaTypes#OCI_LAYER_GZIP}
 * @param digest      the content's digest
 * @param size        the content's size in bytes
 * @param platform    the platform, for manifests listed in an index
 * @param annotations free-form metadata (empty when none)
 * @param urls        foreign-layer download locations (empty when none)
 */
public record Descriptor(String mediaType, Digest digest, long size, Optional<Platform> platform,
                         Map<String, String> annotations, List<String> urls) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(platform, "platform");
        if (mediaType.isBlank()) {
            throw new IllegalArgumentException("a descriptor needs a media type (digest " + digest + ")");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + digest);
        }
        annotations = Map.copyOf(annotations);
        urls = List.copyOf(urls);
    }

    /** A descriptor with no platform, annotations or URLs, as for a config or a layer. */
    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, Optional.empty(), Map.of(), List.of());
    }

    /** This descriptor with a platform, as an index lists its manifests. */
    public Descriptor withPlatform(Platform value) {
        return new Descriptor(mediaType, digest, size, Optional.of(value), annotations, urls);
    }
}
