package io.gantry.service.settings;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;

/**
 * What Gantry remembers between runs. Immutable; change it with the {@code with…} methods and
 * save it with {@link SettingsStore}.
 *
 * @param lastEndpoint       the endpoint id selected when Gantry last closed
 * @param window             the main window's last bounds
 * @param theme              "system", "light" or "dark"
 * @param defaultPlatform    the platform to pull by default ("linux/arm64"); empty means this machine's
 * @param insecureRegistries registries (host[:port]) the user allows over plain HTTP
 * @param remoteEngines      engines the user added by hand (tcp://host:2376 and the like)
 * @param registryCas        registries (host[:port]) with a custom CA: the CA certificate file (PEM)
 */
public record Settings(Optional<String> lastEndpoint, Optional<WindowBounds> window, String theme,
                       Optional<String> defaultPlatform, List<String> insecureRegistries,
                       List<RemoteEngine> remoteEngines, Map<String, String> registryCas) {

    public Settings {
        Objects.requireNonNull(lastEndpoint, "lastEndpoint");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(defaultPlatform, "defaultPlatform");
        theme = theme == null || theme.isBlank() ? "system" : theme;
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
        remoteEngines = remoteEngines == null ? List.of() : List.copyOf(remoteEngines);
        registryCas = registryCas == null ? Map.of() : Map.copyOf(new TreeMap<>(registryCas));
    }


    public static Settings defaults() {
        return new Settings(Optional.empty(), Optional.empty(), "system", Optional.empty(), List.of(), List.of(), Map.of());
    }

    public Settings withLastEndpoint(String endpointId) {
        return new Settings(Optional.of(endpointId), window, theme, defaultPlatform, insecureRegistries, remoteEngines,
                registryCas);
    }

    public Settings withWindow(WindowBounds bounds) {
        return new Settings(lastEndpoint, Optional.of(bounds), theme, defaultPlatform, insecureRegistries, remoteEngines,
                registryCas);
    }

    /** These settings with the theme ("system", "light" or "dark"). */
    public Settings withTheme(String value) {
        return new Settings(lastEndpoint, window, value, defaultPlatform, insecureRegistries, remoteEngines, registryCas);
    }

    /** These settings with the default platform ("linux/arm64"), or empty for this machine's. */
    public Settings withDefaultPlatform(Optional<String> value) {
        return new Settings(lastEndpoint, window, theme, value, insecureRegistries, remoteEngines, registryCas);
    }

    public Settings withInsecureRegistries(List<String> value) {
        return new Settings(lastEndpoint, window, theme, defaultPlatform, value, remoteEngines, registryCas);
    }

    public Settings withRemoteEngines(List<RemoteEngine> value) {
        return new Settings(lastEndpoint, window, theme, defaultPlatform, insecureRegistries, value, registryCas);
    }

    public Settings withRegistryCas(Map<String, String> value) {
        return new Settings(lastEndpoint, window, theme, defaultPlatform, insecureRegistries, remoteEngines, value);
    }

    /**
     * Where and how big the main window was, how wide its endpoint rail and how tall its pull panel
     * (0: the default).
     */
    public record WindowBounds(double x, double y, double width, double height, boolean maximized, double railWidth,
                               double pullPanelHeight) {

        public WindowBounds(double x, double y, double width, double height, boolean maximized) {
            this(x, y, width, height, maximized, 0, 0);
        }

        public WindowBounds(double x, double y, double width, double height, boolean maximized, double railWidth) {
            this(x, y, width, height, maximized, railWidth, 0);
        }
    }

    /**
     * An engine added by hand.
     *
     * @param name     what the rail shows
     * @param host     the engine's URI: tcp://host:port, unix:///path, ssh is not supported
     * @param certPath a directory with ca.pem, cert.pem and key.pem for TLS, or empty for none
     */
    public record RemoteEngine(String name, String host, Optional<String> certPath) {
    }
}
