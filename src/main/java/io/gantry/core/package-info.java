/**
 * Value types shared by every layer: {@link io.gantry.core.Digest},
 * {@link io.gantry.core.ImageReference} (the Docker reference grammar),
 * {@link io.gantry.core.ImageKey} (what names a local image: a reference, or an ID or ID prefix),
 * {@link io.gantry.core.Platform}, {@link io.gantry.core.Descriptor},
 * {@link io.gantry.core.Manifest} and {@link io.gantry.core.ImageIndex} (both
 * {@link io.gantry.core.ManifestContent}), {@link io.gantry.core.ImageConfig} and
 * {@link io.gantry.core.MediaTypes}; plus {@link io.gantry.core.GantryException}, the structured
 * error every layer throws (with {@link io.gantry.core.InvalidReferenceException} for bad
 * references), {@link io.gantry.core.Cancellation}, the handle callers keep to stop work, and the
 * two pure computations on layer chains every endpoint shares: {@link io.gantry.core.ChainIds}
 * and {@link io.gantry.core.ChainSharing} (which images hold each chain or blob: SHARED). Two
 * helpers every layer uses the same way: {@link io.gantry.core.IoProblem} turns a file-system
 * failure into words ("permission denied: /path", never a Java class name) and
 * {@link io.gantry.core.ParallelWork} moves blobs a few at a time (a pull's downloads, a push's
 * uploads, a registry copy) with their progress events on the caller's thread.
 *
 * <p>Rules: records validated in a static factory ({@code Digest.of}, {@code ImageReference.parse}),
 * no nulls ({@code Optional} for absent values), no I/O of its own. Parsing the wire formats (JSON manifests,
 * configs) is the registry package's job. This package imports nothing else of Gantry's and no
 * JavaFX; the ArchUnit test {@code ArchitectureTest} enforces it.
 */
package io.gantry.core;
