package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.PullService;
import io.gantry.service.RegistryBrowser;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the CLI needs from the composition root: the endpoints (with the embedded store at the
 * directory {@code --store} names, or the default one) and the registry-backed services.
 */
public interface CliServices {

    /** The log file that keeps the details (stack traces) of what the CLI says in one line, if there is one. */
    default Optional<Path> logFile() {
        return Optional.empty();
    }


    /** Opens the embedded store at {@code storeDir} (or the default one) plus every engine found. */
    EndpointCatalog open(Optional<Path> storeDir);

    /** {@link #open(Optional)} with the embedded store downloading {@code parallelDownloads} layers at once. */
    default EndpointCatalog open(Optional<Path> storeDir, OptionalInt parallelDownloads) {
        return open(storeDir);
    }

    /**
     * Only the embedded store, for commands without {@code --endpoint}: no engine discovery, no
     * engine clients, so a script's {@code gantry images} starts fast.
     */
    default EndpointCatalog openEmbedded(Optional<Path> storeDir, OptionalInt parallelDownloads) {
        return open(storeDir, parallelDownloads);
    }

    /**
     * {@link #openEmbedded(Optional, OptionalInt)}, where {@code createStore} false asks that a
     * {@code --store} directory holding no store is not created (a reading command): the store
     * then fails with {@code NOT_FOUND}. This default creates it, as the two-argument form does.
     */
    default EndpointCatalog openEmbedded(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
        return openEmbedded(storeDir, parallelDownloads);
    }

    /** {@link #open(Optional, OptionalInt)}, with {@code createStore} as for {@link #openEmbedded(Optional, OptionalInt, boolean)}. */
    default EndpointCatalog open(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
        return open(storeDir, parallelDownloads);
    }

    /**
     * {@link #open(Optional, OptionalInt, boolean)} for a command aimed at an {@code --endpoint}:
     * the embedded store may be opened only when the command asks for it.
     */
    default EndpointCatalog openForEndpoint(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
        return open(storeDir, parallelDownloads, createStore);
    }

    /**
     * An engine at {@code host} ({@code unix:///path}, {@code tcp://host:port}) that discovery did
     * not find, for {@code --endpoint ADDRESS}; empty when this composition cannot open one.
     */
    default java.util.Optional<io.gantry.engine.ImageStore> openEngine(String host) {
        return java.util.Optional.empty();
    }

    /** The Kubernetes clusters of the user's kubeconfig ({@code gantry kube}). */
    default io.gantry.engine.cluster.Clusters clusters() {
        throw new GantryException(ErrorKind.INTERNAL, "kube", "no kubeconfig reader configured");
    }

    /**
     * The user's registry logins (the Docker credential chain the registry client uses), for
     * {@code gantry kube pull-secret}.
     */
    default io.gantry.engine.EngineCredentials registryLogins() {
        throw new GantryException(ErrorKind.INTERNAL, "kube pull-secret", "no credential store configured");
    }

    /**
     * The CRIs on this machine a cluster's nodes may be ({@code gantry kube nodes|where|prepull});
     * by default none, so every node's images are its {@code node.status.images}.
     */
    default io.gantry.service.NodeCris nodeCris() {
        return io.gantry.service.NodeCris.none();
    }

    /** The check of a pod's image at its registry with the pod's own logins ({@code gantry kube why}). */
    default io.gantry.service.PodRegistryCheck podRegistryCheck() {
        throw new GantryException(ErrorKind.INTERNAL, "kube why", "no registry client configured");
    }

    /** The pull use case. */
    default PullService pulls() {
        throw new GantryException(ErrorKind.INTERNAL, "pull", "no registry client configured");
    }

    /** Manifest lists being drafted ({@code gantry manifest create/add/annotate/push}). */
    default io.gantry.service.ManifestDrafts manifestDrafts() {
        throw new GantryException(ErrorKind.INTERNAL, "manifest", "no place for manifest lists configured");
    }

    /** The check of local tags against their registries ({@code gantry outdated}). */
    default io.gantry.service.UpdateCheck updateCheck() {
        throw new GantryException(ErrorKind.INTERNAL, "outdated", "no registry client configured");
    }

    /** Copies between registries ({@code gantry cp docker://A docker://B}). */
    default io.gantry.service.RegistryCopy registryCopy() {
        throw new GantryException(ErrorKind.INTERNAL, "cp", "no registry client configured");
    }

    /** Registry search and tag listing. */
    default RegistryBrowser registries() {
        throw new GantryException(ErrorKind.INTERNAL, "search", "no registry client configured");
    }

    /**
     * {@link #registries()} with {@code plainHttp} (registries as {@code host[:port]}) also allowed
     * over plain HTTP, for {@code --registry http://…}.
     */
    default RegistryBrowser registries(java.util.Set<String> plainHttp) {
        return registries();
    }
}
