/**
 * Docker-compatible engines (Docker, Podman) through the Engine API.
 *
 * <ul>
 *   <li>{@link io.gantry.engine.docker.EngineDiscovery} finds them the way the docker CLI does
 *       (DOCKER_HOST, contexts, Docker Desktop, the default socket, Podman sockets, the Windows
 *       named pipe) into {@link io.gantry.engine.docker.EngineAddress}es;</li>
 *   <li>{@link io.gantry.engine.docker.DockerEngineStore} implements the port over
 *       {@code EngineApi}, the one class that sends requests (docker-java's zerodep transport)
 *       and maps statuses to {@code GantryException}s (its {@code ConnectionPool},
 *       {@code Deadline} and bounded streams are classes of their own); the store is a front,
 *       its jobs are {@code EngineImages} (listing, disk use, layers; its {@code /system/df} calls one
 *       at a time through {@code DiskUsageCalls}), {@code EnginePulls}, {@code EnginePushes} and
 *       {@code EngineRemovals} (deletes and prunes);</li>
 *   <li>{@code EngineJson} translates the wire JSON into the port's records at the boundary;
 *       {@code JsonMessages} is the one reader of the pull, push and load streams (moby's
 *       {@code jsonmessage} objects, each bounded in size; the first error message ends the stream
 *       as the caller's exception);</li>
 *   <li>{@code EngineSnapshot} reads the engine's images and containers into the one model of
 *       Docker's image rules ({@code engine.rules}), which names the rule behind an engine's 409,
 *       previews a prune, plans Podman's prune and applies Docker's hard rules before a Podman
 *       delete;</li>
 *   <li>{@code PullStreamGuard} bounds a pull's progress stream in total: it must advance (a new
 *       layer phase or more bytes) within the idle period, and has at most 2,000,000 messages and
 *       20,000 layer phases; {@code EngineAddress.problem} says why an address cannot be dialled
 *       (garbage {@code DOCKER_HOST}) before the transport is asked;</li>
 *   <li>{@code HistoryPairing} pairs an image's history steps with its layers.</li>
 * </ul>
 *
 * <p>Podman is told apart by its {@code /version} (a "Podman Engine" component). Where its
 * Docker-compatible API (4.3) differs, the store does what Docker users expect: it lists from
 * {@code /images/json} and computes SHARED from layer chains, normalizes bare-hex IDs and full
 * names, applies Docker's hard delete rules before Podman would force past them, and carries a
 * prune out itself as deletes in the dry run's order. Its manifest lists, which that API leaves
 * out, come from its libpod API ({@code PodmanManifestLists}).
 */
package io.gantry.engine.docker;
