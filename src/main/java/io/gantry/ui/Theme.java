package io.gantry.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Locale;
import java.util.Map;
import javafx.application.Application;

/**
 * AtlantaFX's Primer theme, light or dark. {@code GANTRY_THEME=dark|light} decides; otherwise a
 * GTK theme whose name says dark (e.g. {@code GTK_THEME=Adwaita:dark}) picks dark.
 */
public enum Theme {
    LIGHT, DARK;

    public static Theme fromEnvironment(Map<String, String> env) {
        String chosen = env.getOrDefault("GANTRY_THEME", "").toLowerCase(Locale.ROOT);
        if (chosen.equals("dark")) {
            return DARK;
        }
        if (chosen.equals("light")) {
            return LIGHT;
        }
        return env.getOrDefault("GTK_THEME", "").toLowerCase(Locale.ROOT).contains("dark") ? DARK : LIGHT;
    }

    /** Installs the theme for the whole application; call on the FX thread before showing a window. */
    public void apply() {
        Application.setUserAgentStylesheet(this == DARK
                ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}
