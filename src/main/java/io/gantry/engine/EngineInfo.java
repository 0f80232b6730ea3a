package io.gantry.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an endpoint says about itself when asked, as {@code docker version} shows it.
 *
 * @param product       "Docker Engine", "Podman Engine", "Gantry embedded store"
 * @param version       the engine's or store format's version
 * @param apiVersion    the engine's own (highest) Engine API version, or the OCI layout version
 * @param clientVersion what Gantry speaks to it: "Gantry engine client, API 1.41" (the negotiated
 *                      API version); empty for the embedded store
 * @param os            the engine's operating system ("linux"), empty when unknown
 * @param arch          the engine's architecture ("amd64"), empty when unknown
 * @param components    versions of the parts the engine reports, in its order: "Engine",
 *                      "containerd", "runc", "docker-init" for Docker
 * @param storageDriver how the engine stores image layers ({@code docker info}'s "Storage Driver":
 *                      overlay2, vfs…), empty when it does not say
 */
public record EngineInfo(String product, String version, String apiVersion, String clientVersion,
                         String os, String arch, List<Component> components, String storageDriver) {

    /** One part of the engine and its version, e.g. {@code containerd 1.6.20}. */
    public record Component(String name, String version) {
        public Component {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
        }
    }

    public EngineInfo {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(clientVersion, "clientVersion");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
        components = List.copyOf(components);
        Objects.requireNonNull(storageDriver, "storageDriver");
    }

    /** An engine that did not say how it stores layers. */
    public EngineInfo(String product, String version, String apiVersion, String clientVersion,
                      String os, String arch, List<Component> components) {
        this(product, version, apiVersion, clientVersion, os, arch, components, "");
    }

    /** This information with {@code driver} as the storage driver. */
    public EngineInfo withStorageDriver(String driver) {
        return new EngineInfo(product, version, apiVersion, clientVersion, os, arch, components, driver);
    }

    /** An endpoint that reports nothing beyond product, version and API version. */
    public EngineInfo(String product, String version, String apiVersion) {
        this(product, version, apiVersion, "", "", "", List.of());
    }

    /** The version of the component called {@code name} (case-insensitive), e.g. "runc". */
    public Optional<String> component(String name) {
        return components.stream().filter(c -> c.name().equalsIgnoreCase(name)).map(Component::version).findFirst();
    }
}
