package io.gantry.engine;

/** The archive formats {@link ImageStore#save} writes and {@link ImageStore#load} reads. */
public enum ArchiveFormat {
    /**
     * {@code docker save}'s format: {@code manifest.json}, {@code repositories}, the config as
     * {@code <id>.json} and each layer uncompressed as {@code <chain id>/layer.tar}. Any
     * {@code docker load} accepts it.
     */
    DOCKER,
    /**
     * A tar of an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/}), blobs
     * exactly as stored, plus a {@code manifest.json} pointing into {@code blobs/} as Docker 25's
     * {@code docker save} writes, so older {@code docker load}s accept it too.
     */
    OCI
}
