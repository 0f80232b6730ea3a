/**
 * The one model of Docker's image rules (moby's {@code daemon/images/image_delete.go} and
 * {@code image_prune.go}): untag versus delete, hard conflicts (dependent children, a running
 * container) and soft ones (a stopped container, several references, a reference a container
 * uses), prune of dangling or all unused images, and the layers freed, each counted once.
 *
 * <p>{@link io.gantry.engine.rules.ReclaimPlanner} plays deletes and prunes on a
 * {@link io.gantry.engine.rules.ReclaimModel} (images with names, parents and layers; containers)
 * and answers with a {@link io.gantry.engine.rules.ReclaimPlan}: the endpoint's own
 * {@code Untagged:}/{@code Deleted:} lines, the bytes freed and the refusals. Layers are counted by
 * chain ID for an engine's layer store and by blob digest for a blob store (the embedded store).
 *
 * <p>Pure logic over {@code core} and the {@code engine} port's value types, so both adapters and
 * the services use it: the embedded store decides its real deletes and prunes with it, and every
 * endpoint's preview is planned with it. Imports nothing of {@code engine.docker}, {@code store},
 * {@code service} or above.
 */
package io.gantry.engine.rules;
