/**
 * Image archives every endpoint that keeps blobs writes the same way: {@link
 * io.gantry.engine.archive.ArchiveWriter} writes {@code docker save}'s format or an OCI archive from
 * an endpoint's manifests and a way to read its blobs (the embedded store's files, a containerd
 * namespace's content store), checking every blob as it copies it.
 */
package io.gantry.engine.archive;
