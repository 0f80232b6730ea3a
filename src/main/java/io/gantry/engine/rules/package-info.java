/**
 * The one model of Docker's image rules (moby's {@code daemon/images/image_delete.go} and
 * {@code image_prune.go}): untag versus delete, hard conflicts (dependent children, a running
 * container) and soft ones (a stopped container, several references, a reference a container
 * uses), prune of dangling or all unused images, and the layers freed, each counted once.
 *
 * <p>{@link io.gantry.engine.rules.ReclaimPlanner} plays deletes and prunes on a
 * {@link io.gantry.engine.rules.ReclaimModel} (images with names, parents and layers; containers)
 * and answers with a {@link io.gantry.engine.rules.ReclaimPlan}: the endpoint's own
 * {@code Untagged:}/{@code Deleted:} lines (the port's {@link io.gantry.engine.DeleteLine}), the
 * bytes freed and the refusals; {@link io.gantry.engine.rules.ReclaimPlanner#target} finds what a
 * user's {@code ImageKey} names, as moby's {@code GetImage}. Layers are counted by chain ID for an
 * engine's layer store and by blob digest for a blob store (the embedded store).
 *
 * <p>Pure logic over {@code core} and the {@code engine} port's value types, so both adapters and
 * the services use it, and there is no other copy: the embedded store decides its real deletes and
 * prunes with it, every endpoint's preview is planned with it, and an engine names its refusals,
 * previews its prune and (on Podman) plans its prune and hard conflicts with it. Imports nothing
 * of {@code engine.docker}, {@code store}, {@code service} or above.
 *
 * <p>{@link io.gantry.engine.rules.KeptImages} adds what Docker has no rule for: images an endpoint
 * must keep (a Kubernetes node's sandbox image, pinned images), held in the model as a running
 * container holds an image.
 */
package io.gantry.engine.rules;
