/**
 * The composition root: {@link io.gantry.app.Main} decides between the GUI and the CLI, resolves
 * paths and settings, builds every service with plain constructor injection and owns the
 * executors. Nothing else in Gantry constructs services.
 *
 * <p>For the window, {@code Main} starts the JavaFX toolkit while a worker reads the settings and
 * opens the endpoints, and hands both to {@link io.gantry.ui.GantryDesktop} as futures; the
 * registry client is built on first use. Logging is configured in code
 * ({@link io.gantry.app.LogConfigurator}, through {@link io.gantry.app.LoggingProvider}), not by
 * Logback's XML configurator, and so that a start searches the class path for nothing.
 */
package io.gantry.app;
