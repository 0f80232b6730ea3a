/**
 * The embedded store: an OCI image layout on disk ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) that needs no daemon and that skopeo, umoci and podman can read.
 *
 * <p>A value with verbs, like go-containerregistry's {@code layout.Path}: blobs are written to a
 * temp file, verified, fsynced and moved atomically; index updates are atomic; garbage collection
 * is explicit. Implements {@link io.gantry.engine.ImageStore}.
 */
package io.gantry.store;
