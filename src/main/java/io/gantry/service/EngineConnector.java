package io.gantry.service;

import io.gantry.engine.ImageStore;
import io.gantry.service.settings.Settings;

/**
 * Opens the store of an engine the user added in the settings. The composition root supplies it,
 * so the UI can add endpoints while running without knowing how engines are reached.
 */
@FunctionalInterface
public interface EngineConnector {

    /** Opens (without I/O) the engine's store; it answers, or fails, on first use. */
    ImageStore open(Settings.RemoteEngine engine);
}
