/**
 * Docker-compatible engines (Docker, Podman) through the Engine API.
 *
 * <ul>
 *   <li>{@link io.gantry.engine.docker.EngineDiscovery} finds them the way the docker CLI does
 *       (DOCKER_HOST, contexts, Docker Desktop, the default socket, Podman sockets, the Windows
 *       named pipe) into {@link io.gantry.engine.docker.EngineAddress}es;</li>
 *   <li>{@link io.gantry.engine.docker.DockerEngineStore} implements the port over
 *       {@code EngineApi}, the one class that sends requests (docker-java's zerodep transport)
 *       and maps statuses to {@code GantryException}s;</li>
 *   <li>{@code EngineJson} translates the wire JSON into the port's records at the boundary;</li>
 *   <li>{@code MobyImageRules} plays moby's delete and prune rules on an {@code ImageGraph}
 *       snapshot, to name the rule behind an engine's 409 and to preview a prune.</li>
 * </ul>
 */
package io.gantry.engine.docker;
