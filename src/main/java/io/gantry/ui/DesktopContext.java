package io.gantry.ui;

import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import java.util.concurrent.ExecutorService;

/**
 * What the composition root hands the desktop UI.
 *
 * @param catalog  every endpoint, embedded store first
 * @param executor the one executor all background work runs on
 * @param settings where window state, the last endpoint and preferences are kept
 */
public record DesktopContext(EndpointCatalog catalog, ExecutorService executor, SettingsStore settings) {
}
