package io.gantry.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Gantry keeps its data: {@code GANTRY_HOME} when set, else the platform's data directory
 * ({@code $XDG_DATA_HOME/gantry} or {@code ~/.local/share/gantry} on Linux,
 * {@code ~/Library/Application Support/Gantry} on macOS, {@code %LOCALAPPDATA%\Gantry} on Windows).
 */
public record AppPaths(Path home) {

    public static AppPaths resolve(Map<String, String> env, String osName, Path userHome) {
        String override = env.getOrDefault("GANTRY_HOME", "");
        if (!override.isBlank()) {
            return new AppPaths(Path.of(override));
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) {
            return new AppPaths(userHome.resolve("Library").resolve("Application Support").resolve("Gantry"));
        }
        if (os.startsWith("windows")) {
            String localAppData = env.getOrDefault("LOCALAPPDATA", "");
            Path base = localAppData.isBlank() ? userHome.resolve("AppData").resolve("Local") : Path.of(localAppData);
            return new AppPaths(base.resolve("Gantry"));
        }
        String xdg = env.getOrDefault("XDG_DATA_HOME", "");
        Path base = xdg.isBlank() ? userHome.resolve(".local").resolve("share") : Path.of(xdg);
        return new AppPaths(base.resolve("gantry"));
    }

    public static AppPaths fromSystem() {
        return resolve(System.getenv(), System.getProperty("os.name"), Path.of(System.getProperty("user.home")));
    }

    /** The embedded store's OCI image layout. */
    public Path store() {
        return home.resolve("store");
    }

    /** Window state, the last endpoint and preferences. */
    /** Where manifest lists being drafted ({@code gantry manifest create}) are kept, one JSON file each. */
    public Path manifestDrafts() {
        return home.resolve("manifests");
    }

    /** Gantry's log file: warnings, errors and their stack traces, for a report ({@link LogConfigurator}). */
    public Path logFile() {
        return home.resolve("logs").resolve("gantry.log");
    }

    public Path settings() {
        return home.resolve("settings.json");
    }
}
