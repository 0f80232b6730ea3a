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
 * <p>References and platforms are plain strings here until the core {@code ImageReference} and
 * {@code Platform} types land. Depends on {@code core} only; registry credentials reach engine
 * pulls through {@link io.gantry.engine.EngineCredentials}, which the composition root adapts.
 * The embedded store in {@code io.gantry.store} implements the port defined here, so
 * {@code store} sits above this package, not below it.
 */
package io.gantry.engine;
