/**
 * The composition root: {@link io.gantry.app.Main} decides between the GUI and the CLI, resolves
 * paths and settings, builds every service with plain constructor injection and owns the
 * executors. Nothing else in Gantry constructs services.
 */
package io.gantry.app;
