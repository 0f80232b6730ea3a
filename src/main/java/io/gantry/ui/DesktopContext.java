package io.gantry.ui;

import io.gantry.service.EndpointCatalog;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

/**
 * What the composition root hands the desktop UI.
 *
 * @param catalog  every endpoint, embedded store first
 * @param executor the one executor all background work runs on
 * @param home     Gantry's data directory, for window state and settings
 */
public record DesktopContext(EndpointCatalog catalog, ExecutorService executor, Path home) {
}
