package io.gantry.engine.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the Docker-compatible engines this user can reach: {@code DOCKER_HOST}, the default Docker
 * socket and the Podman sockets. Only sockets that exist are returned; whether they answer is for
 * the caller to find out.
 */
public final class EngineDiscovery {

    private final Map<String, String> env;

    public EngineDiscovery(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Each engine host URI, in the order a user expects to see them, without duplicates. */
    public List<EngineAddress> discover() {
        Set<String> seen = new LinkedHashSet<>();
        List<EngineAddress> found = new ArrayList<>();
        String dockerHost = env.getOrDefault("DOCKER_HOST", "");
        if (!dockerHost.isBlank() && seen.add(dockerHost)) {
            found.add(new EngineAddress("DOCKER_HOST", dockerHost, false));
        }
        addSocket(found, seen, "docker", Path.of("/var/run/docker.sock"), false);
        String runtimeDir = env.getOrDefault("XDG_RUNTIME_DIR", "");
        if (!runtimeDir.isBlank()) {
            addSocket(found, seen, "podman (user)", Path.of(runtimeDir, "podman", "podman.sock"), true);
        }
        addSocket(found, seen, "podman (root)", Path.of("/run/podman/podman.sock"), true);
        return found;
    }

    private static void addSocket(List<EngineAddress> found, Set<String> seen, String name, Path socket,
                                  boolean podman) {
        String uri = "unix://" + socket;
        if (Files.exists(socket) && seen.add(uri)) {
            found.add(new EngineAddress(name, uri, podman));
        }
    }

    /** A place an engine may answer: a display name, its host URI, and whether it is Podman. */
    public record EngineAddress(String name, String host, boolean podman) {
    }
}
