package io.gantry.testing;

/**
 * The two manifest families a fixture image can be written in, with the media types each uses for
 * manifests, indexes, configs and gzip layers.
 */
public enum ManifestFormat {

    /** Docker image manifest v2 schema 2 and Docker manifest list. */
    DOCKER("application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip"),

    /** OCI image manifest and OCI image index. */
    OCI("application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip");

    private final String manifestType;
    private final String indexType;
    private final String configType;
    private final String layerType;

    ManifestFormat(String manifestType, String indexType, String configType, String layerType) {
        this.manifestType = manifestType;
        this.indexType = indexType;
        this.configType = configType;
        this.layerType = layerType;
    }

    public String manifestMediaType() {
        return manifestType;
    }

    public String indexMediaType() {
        return indexType;
    }

    public String configMediaType() {
        return configType;
    }

    public String layerMediaType() {
        return layerType;
    }
}
