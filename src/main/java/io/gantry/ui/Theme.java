package io.gantry.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Locale;
import java.util.Map;
import javafx.application.Application;

/**
 * AtlantaFX's Primer theme, light or dark. The settings' theme decides when it is light or dark;
 * for "system", {@code GANTRY_THEME=dark|light} decides, otherwise a GTK theme whose name says dark
 * (e.g. {@code GTK_THEME=Adwaita:dark}) picks dark.
 */
public enum Theme {
    LIGHT, DARK;

    /** The theme for the settings' choice ("system", "light", "dark"); "system" asks the environment. */
    public static Theme fromSettings(String choice, Map<String, String> env) {
        return switch (choice == null ? "" : choice.toLowerCase(Locale.ROOT)) {
            case "light" -> LIGHT;
            case "dark" -> DARK;
            default -> fromEnvironment(env);
        };
    }

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
