/**
 * The {@link io.gantry.engine.ImageStore} port every endpoint implements, its result records, and
 * the Docker-compatible engines (found through DOCKER_HOST, docker contexts and well-known
 * sockets) reached through docker-java.
 *
 * <p>Depends on {@code core} and {@code registry} (credentials for engine pulls). The embedded
 * store in {@code io.gantry.store} implements the port defined here, so {@code store} sits above
 * this package, not below it.
 */
package io.gantry.engine;
