/**
 * Value types shared by every layer: {@link io.gantry.core.Digest}, image references, platforms,
 * descriptors, manifests, indexes and image configs, plus {@link io.gantry.core.GantryException},
 * the structured error every layer throws.
 *
 * <p>Rules: records validated in a static factory ({@code Digest.of}), no nulls ({@code Optional}
 * for absent values), no I/O. This package imports nothing else of Gantry's and no JavaFX; the
 * ArchUnit test {@code ArchitectureTest} enforces it.
 */
package io.gantry.core;
