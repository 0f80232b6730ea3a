package io.gantry.service;

import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageStore;
import java.util.List;
import java.util.Optional;

/**
 * Which endpoint a user means by a word: its ID ({@code gantry endpoints} lists them), a docker
 * context name ({@code docker (context NAME)}), or its address ({@code unix:///run/docker.sock},
 * a socket path, {@code tcp://host:2376}).
 */
public final class EndpointChoice {

    private EndpointChoice() {
    }

    /** The endpoint of {@code catalog} that {@code word} names, if any. */
    public static Optional<ImageStore> find(EndpointCatalog catalog, String word) {
        List<Endpoint> endpoints = catalog.endpoints();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.id().equals(word)) {
                return Optional.of(catalog.store(endpoint.id()));
            }
        }
        for (Endpoint endpoint : endpoints) {
            if (endpoint.name().equals(word) || endpoint.name().equals("docker (context " + word + ")")
                    || endpoint.address().equals(word) || endpoint.address().equals(address(word))) {
                return Optional.of(catalog.store(endpoint.id()));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code word} is an engine address rather than a name. */
    public static boolean isAddress(String word) {
        return word.startsWith("/") || word.startsWith("unix://") || word.startsWith("tcp://") || word.startsWith("containerd://")
                || word.startsWith("npipe://");
    }

    /** A socket path as a host URI; anything else as given. */
    public static String address(String word) {
        return word.startsWith("/") ? "unix://" + word : word;
    }
}
