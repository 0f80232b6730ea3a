package io.gantry.service.settings;

import java.util.List;
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
 */
public record Settings(Optional<String> lastEndpoint, Optional<WindowBounds> window, String theme,
                       Optional<String> defaultPlatform, List<String> insecureRegistries,
                       List<RemoteEngine> remoteEngines) {

    public Settings {
        Objects.requireNonNull(lastEndpoint, "lastEndpoint");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(defaultPlatform, "defaultPlatform");
        theme = theme == null || theme.isBlank() ? "system" : theme;
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
        remoteEngines = remoteEngines == null ? List.of() : List.copyOf(remoteEngines);
    }

    public static Settings defaults() {
        return new Settings(Optional.empty(), Optional.empty(), "system", Optional.empty(), List.of(), List.of());
    }

    public Settings withLastEndpoint(String endpointId) {
        return new Settings(Optional.of(endpointId), window, theme, defaultPlatform, insecureRegistries, remoteEngines);
    }

    public Settings withWindow(WindowBounds bounds) {
        return new Settings(lastEndpoint, Optional.of(bounds), theme, defaultPlatform, insecureRegistries, remoteEngines);
    }

    /** Where and how big the main window was, and how the rail and table were split. */
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
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
