/**
 * The {@link io.gantry.engine.ImageStore} port every endpoint implements and its records: image
 * summaries and details, each image's layers ({@link io.gantry.engine.ImageLayer},
 * {@link io.gantry.engine.LocalImage}), history, containers, engine info, pull progress, delete
 * results with typed {@link io.gantry.engine.DeleteConflict}s, prune results, archives and verify
 * reports, live {@link io.gantry.engine.StoreEvent}s, and what an endpoint can do
 * ({@link io.gantry.engine.Capabilities}); plus the small seams an endpoint needs from its caller
 * ({@link io.gantry.engine.EngineCredentials}); cancelling is core's
 * {@link io.gantry.core.Cancellation}.
 *
 * <p>Local images are named by core's {@link io.gantry.core.ImageKey} (a reference, or an image ID
 * or ID prefix), images to pull by {@link io.gantry.core.ImageReference} and
 * {@link io.gantry.core.Platform}. Depends on {@code core} only; registry credentials reach engine
 * pulls through {@link io.gantry.engine.EngineCredentials}, which the composition root adapts.
 * The embedded store in {@code io.gantry.store} implements the port defined here, so
 * {@code store} sits above this package, not below it.
 */
package io.gantry.engine;
