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

    /*
     * equals, hashCode and toString written out, with the values the record's generated ones give
     * (hashCode: 31 times the hash so far plus each component's; toString: {@code Name[a=…, b=…]}):
     * the generated ones are bound at their first call by an invokedynamic bootstrap
     * (ObjectMethods) that spins method-handle classes, a few milliseconds of a cold pull each, which
     * no class-data archive of JDK 17 keeps (RecordMethodsTest keeps them written out).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Descriptor that && size == that.size && mediaType.equals(that.mediaType)
                && digest.equals(that.digest) && platform.equals(that.platform) && annotations.equals(that.annotations)
                && urls.equals(that.urls);
    }

    @Override
    public int hashCode() {
        int h = mediaType.hashCode();
        h = 31 * h + digest.hashCode();
        h = 31 * h + Long.hashCode(size);
        h = 31 * h + platform.hashCode();
        h = 31 * h + annotations.hashCode();
        return 31 * h + urls.hashCode();
    }

    @Override
    public String toString() {
        return "Descriptor[mediaType=" + mediaType + ", digest=" + digest + ", size=" + size + ", platform=" + platform
                + ", annotations=" + annotations + ", urls=" + urls + "]";
    }
}
