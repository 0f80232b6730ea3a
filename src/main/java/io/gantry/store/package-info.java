/**
 * The embedded store: an OCI image layout on disk ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) that needs no daemon and that skopeo, umoci and podman can read.
 *
 * <p>{@link io.gantry.store.OciLayoutStore} is a value with verbs, like go-containerregistry's
 * {@code layout.Path}, and implements the {@link io.gantry.engine.ImageStore} port. It is a thin
 * front; each job is a package-private class of its own: {@code LayoutBlobs}, {@code LayoutIndex}
 * (with {@code IndexEdits}), {@code LayoutContent} (entries to images, finding a user's text),
 * {@code LayoutImages}, {@code LayoutRemovals} (delete, prune), {@code LayoutGc},
 * {@code LayoutVerifier}, {@code WorkFiles} (temp sessions, cleaning), {@code IndexWatch},
 * {@code LayoutArchives}, {@code LayoutPuller} (with {@code BlobWriteSink}) and {@code LayoutPusher}. How a store behaves
 * is {@link io.gantry.store.StoreOptions} (with {@link io.gantry.store.StorePulls} for pulling).
 * Manifests, indexes, configs and {@code index.json} entries are read and written by the
 * registry's {@link io.gantry.registry.ManifestCodec}, the one parser both use.
 * <ul>
 *   <li>blobs are written to a partial or temp file under {@code .gantry/}, verified while
 *       streaming ({@link io.gantry.store.BlobWrite}), flushed to disk in the background as
 *       they grow ({@code WriteBehind}), fsynced and renamed into {@code blobs/};</li>
 *   <li>{@code index.json} changes by read-modify-write under an in-process lock plus a
 *       {@code FileChannel} lock, written to a temp file and renamed; a collection lock, held
 *       shared by every reader and writer and exclusively by garbage collection, keeps a pull's
 *       blobs from being collected before the index references them;</li>
 *   <li>garbage collection is explicit ({@code gc}, {@code prune}; {@code delete} frees what the
 *       entries it dropped alone used; a pull, load or tag that moves a name to another manifest
 *       of the same image frees what the old manifest alone used); {@code verify} checks and
 *       never repairs;</li>
 *   <li>pulls ({@code LayoutPuller}) use the registry client with parallel, de-duplicated layer
 *       downloads; pushes ({@code LayoutPusher}) upload the layers in parallel, skip what the
 *       repository has, mount what another repository of the registry holds under a name the store
 *       knows, and send the manifest's original bytes; {@code save}/{@code load} read and write docker save and OCI archives. A load
 *       writes only what an image needs: a plain tar is read at random, a gzipped one spooled to
 *       a plain tar of the needed entries only ({@code ArchiveSpool}); a failed write is
 *       {@code STORAGE} (a full disk says so) and leaves no partial file behind;</li>
 *   <li>listings read two caches in {@code .gantry/}, both only caches (damaged: ignored and
 *       rewritten): {@code ListingCache} (what a listing needs of each manifest) and {@code
 *       ListingSnapshot} (a whole listing, used only while {@code index.json} is byte for byte the
 *       one it was made from and the manifests and configs it names are still stored).</li>
 * </ul>
 *
 * <p>Depends on the {@code engine} port (not {@code engine.docker}), {@code registry} and
 * {@code core}.
 */
package io.gantry.store;
