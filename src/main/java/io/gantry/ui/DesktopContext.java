package io.gantry.ui;

import io.gantry.registry.RegistryClient;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.EngineConnector;
import io.gantry.service.PullService;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.UpdateCheck;
import io.gantry.service.settings.SettingsStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What the composition root hands the desktop UI.
 *
 * @param catalog  every endpoint, embedded store first
 * @param executor the one executor all background work runs on
 * @param settings where window state, the last endpoint and preferences are kept
 * @param browser  search, tags and platforms of registries
 * @param updates  the "update available" check of local tags
 * @param engines  opens a remote engine the user adds in the settings
 * @param pulls    the pull path the window shares with {@code gantry pull}
 * @param drafts   the multi-arch list drafts the CLI's {@code gantry manifest} keeps (empty: "Combine
 *                 into a multi-arch image" is not offered)
 * @param clusters the Kubernetes clusters of the user's kubeconfig (empty: the rail shows no clusters)
 */
public record DesktopContext(EndpointCatalog catalog, ExecutorService executor, SettingsStore settings,
                             RegistryBrowser browser, UpdateCheck updates, EngineConnector engines, PullService pulls,
                             java.util.Optional<io.gantry.service.ManifestDrafts> drafts,
                             java.util.Optional<io.gantry.ui.cluster.ClusterAccess> clusters) {

    /** A context without Kubernetes clusters. */
    public DesktopContext(EndpointCatalog catalog, ExecutorService executor, SettingsStore settings,
                          RegistryBrowser browser, UpdateCheck updates, EngineConnector engines, PullService pulls,
                          java.util.Optional<io.gantry.service.ManifestDrafts> drafts) {
        this(catalog, executor, settings, browser, updates, engines, pulls, drafts, java.util.Optional.empty());
    }

    /** A context without manifest-list drafts. */
    public DesktopContext(EndpointCatalog catalog, ExecutorService executor, SettingsStore settings,
                          RegistryBrowser browser, UpdateCheck updates, EngineConnector engines, PullService pulls) {
        this(catalog, executor, settings, browser, updates, engines, pulls, java.util.Optional.empty());
    }

    /** The pause between two update-check HEAD requests. */
    public static final Duration UPDATE_CHECK_SPACING = Duration.ofMillis(250);

    /** A context whose registry operations use {@code registry}; remote engines cannot be added. */
    public DesktopContext(EndpointCatalog catalog, ExecutorService executor, SettingsStore settings, RegistryClient registry) {
        this(catalog, executor, settings, new RegistryBrowser(registry),
                new UpdateCheck(registry, Sleeper.system(), UPDATE_CHECK_SPACING),
                engine -> {
                    throw new UnsupportedOperationException("this window cannot add engines");
                }, new PullService());
    }

    /** A context with a default registry client (anonymous, loopback over plain HTTP). */
    public DesktopContext(EndpointCatalog catalog, ExecutorService executor, SettingsStore settings) {
        this(catalog, executor, settings, RegistryClient.builder().build());
    }
}
