package io.gantry.core;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/** Markers that tell Gantry's logging set-up ({@code io.gantry.app.LogConfigurator}) where an event goes. */
public final class LogMarkers {

    /**
     * The user has already been told in words (the CLI's {@code gantry: …} line, the window's
     * message): the event carries the detail, with its stack trace, for the log file only, not a
     * second line on standard error.
     */
    public static final Marker TOLD = MarkerFactory.getMarker("GANTRY_TOLD");

    private LogMarkers() {
    }
}
