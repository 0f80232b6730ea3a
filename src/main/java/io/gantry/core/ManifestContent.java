package io.gantry.core;

/**
 * What a registry serves under {@code /manifests/}: an image {@link Manifest} or an
 * {@link ImageIndex} of per-platform manifests. Test with {@code instanceof}.
 */
public sealed interface ManifestContent permits Manifest, ImageIndex {

    /** The media type, one of {@link MediaTypes#MANIFEST_TYPES}. */
    String mediaType();
}
