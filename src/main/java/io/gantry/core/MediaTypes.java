package io.gantry.core;

import java.util.List;

/**
 * The media types Gantry reads and writes: Docker image manifest v2 schema 2 and manifest list,
 * OCI image manifest and index, their configs and layers, and the legacy schema 1 types it
 * recognises only to refuse them clearly.
 */
public final class MediaTypes {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** Docker image manifest schema 1 (unsigned); unsupported. */
    public static final String DOCKER_SCHEMA1_MANIFEST = "application/vnd.docker.distribution.manifest.v1+json";
    /** Docker image manifest schema 1 (signed); unsupported. */
    public static final String DOCKER_SCHEMA1_SIGNED_MANIFEST = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    /** The manifest types Gantry accepts, in the order it prefers them (an HTTP Accept list). */
    public static final List<String> MANIFEST_TYPES = List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {
    }

    /** A single-platform image manifest (Docker v2 schema 2 or OCI). */
    public static boolean isImageManifest(String mediaType) {
        return DOCKER_MANIFEST.equals(mediaType) || OCI_MANIFEST.equals(mediaType);
    }

    /** A multi-platform index (Docker manifest list or OCI index). */
    public static boolean isIndex(String mediaType) {
        return DOCKER_MANIFEST_LIST.equals(mediaType) || OCI_INDEX.equals(mediaType);
    }

    /** A manifest or an index that Gantry supports. */
    public static boolean isSupportedManifest(String mediaType) {
        return isImageManifest(mediaType) || isIndex(mediaType);
    }

    /** A legacy Docker schema 1 manifest, which Gantry refuses. */
    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1_MANIFEST.equals(mediaType) || DOCKER_SCHEMA1_SIGNED_MANIFEST.equals(mediaType);
    }
}
