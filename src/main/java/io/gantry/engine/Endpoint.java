package io.gantry.engine;

import java.util.Objects;

/**
 * Where images live: the embedded store, one Docker-compatible engine or one containerd.
 *
 * @param id      stable key, remembered between runs ("embedded", "docker:unix:///var/run/docker.sock")
 * @param name    what the rail shows ("Embedded store", "docker (default)")
 * @param kind    what sort of endpoint it is
 * @param address the store directory or the engine's host URI, for display and diagnostics
 */
public record Endpoint(String id, String name, Kind kind, String address) {

    public enum Kind { EMBEDDED, DOCKER, PODMAN, CONTAINERD }

    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
    }
}
