package io.gantry.engine;

/**
 * What an endpoint says about itself when asked.
 *
 * @param product    "Docker Engine", "Podman Engine", "Gantry embedded store"
 * @param version    the engine's or store format's version
 * @param apiVersion the Engine API version, or the OCI layout version for the embedded store
 */
public record EngineInfo(String product, String version, String apiVersion) {
}
