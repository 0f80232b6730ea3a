package io.gantry.ui.settings;

import io.gantry.core.GantryException;
import io.gantry.core.Platform;
import io.gantry.service.settings.Settings;
import io.gantry.service.settings.SettingsStore;
import io.gantry.ui.ErrorMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The settings dialog's state and commands: theme, default platform, registries allowed over
 * plain HTTP, registries with a custom CA, and remote engines. {@link #save()} validates, writes
 * through {@link SettingsStore} (keeping what the dialog does not edit, such as the window bounds)
 * and hands the saved settings to whoever applies them.
 */
public final class SettingsViewModel {

    /** Themes offered, as stored. */
    public static final java.util.List<String> THEMES = java.util.List.of("system", "light", "dark");
    /** Offered in the platform box; any {@code os/arch[/variant]} may be typed. */
    public static final java.util.List<String> COMMON_PLATFORMS = java.util.List.of(
            "", "linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x");

    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](:[0-9]{1,5})?");

    /** A registry with its own CA file. */
    public record RegistryCa(String registry, String caFile) {
        @Override
        public String toString() {
            return registry + " — " + caFile;
        }
    }

    private final SettingsStore store;
    private final Consumer<Settings> onSaved;
    private final StringProperty theme = new SimpleStringProperty("system");
    private final StringProperty defaultPlatform = new SimpleStringProperty("");
    private final ObservableList<String> insecureRegistries = FXCollections.observableArrayList();
    private final ObservableList<RegistryCa> registryCas = FXCollections.observableArrayList();
    private final ObservableList<Settings.RemoteEngine> remoteEngines = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    /**
     * @param onSaved applies the saved settings (theme, default platform, new endpoints)
     */
    public SettingsViewModel(SettingsStore store, Consumer<Settings> onSaved) {
        this.store = store;
        this.onSaved = onSaved;
        reload();
    }

    /** Fills the fields from the settings file. */
    public void reload() {
        Settings settings = store.load();
        theme.set(settings.theme());
        defaultPlatform.set(settings.defaultPlatform().orElse(""));
        insecureRegistries.setAll(settings.insecureRegistries());
        registryCas.setAll(settings.registryCas().entrySet().stream()
                .map(entry -> new RegistryCa(entry.getKey(), entry.getValue())).toList());
        remoteEngines.setAll(settings.remoteEngines());
        message.set("");
    }

    public StringProperty themeProperty() {
        return theme;
    }

    /** "linux/arm64", or empty for this machine's platform. */
    public StringProperty defaultPlatformProperty() {
        return defaultPlatform;
    }

    public ObservableList<String> insecureRegistries() {
        return insecureRegistries;
    }

    public ObservableList<RegistryCa> registryCas() {
        return registryCas;
    }

    public ObservableList<Settings.RemoteEngine> remoteEngines() {
        return remoteEngines;
    }

    /** What is wrong with the last input, or what was saved. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Allows {@code registry} (host[:port]) over plain HTTP; false (with a message) when it is not one. */
    public boolean addInsecureRegistry(String registry) {
        String value = registry == null ? "" : registry.trim().toLowerCase(Locale.ROOT);
        if (!REGISTRY.matcher(value).matches()) {
            message.set("'" + value + "' is not a registry: use host or host:port, without http://.");
            return false;
        }
        if (!insecureRegistries.contains(value)) {
            insecureRegistries.add(value);
        }
        message.set("");
        return true;
    }

    /** Trusts {@code caFile} (PEM) for {@code registry}. */
    public boolean addRegistryCa(String registry, String caFile) {
        String value = registry == null ? "" : registry.trim().toLowerCase(Locale.ROOT);
        if (!REGISTRY.matcher(value).matches()) {
            message.set("'" + value + "' is not a registry: use host or host:port.");
            return false;
        }
        if (caFile == null || caFile.isBlank() || !Files.isRegularFile(Path.of(caFile.trim()))) {
            message.set("Choose the registry's CA certificate file (PEM).");
            return false;
        }
        registryCas.removeIf(ca -> ca.registry().equals(value));
        registryCas.add(new RegistryCa(value, Path.of(caFile.trim()).toAbsolutePath().toString()));
        message.set("");
        return true;
    }

    /**
     * Adds an engine reached at {@code host} ({@code tcp://host:port} or {@code unix:///path}, or a
     * containerd at {@code containerd:///path}, which a {@code unix://} path with "containerd" in it is too),
     * with TLS client files from {@code certDir} when given.
     */
    public boolean addRemoteEngine(String name, String host, String certDir) {
        String h = host == null ? "" : host.trim();
        if (!(h.matches("tcp://[^/\\s]+:[0-9]{1,5}/?") || h.matches("(unix|containerd):///\\S+"))) {
            message.set("The engine address must be tcp://host:port, unix:///path/to/docker.sock, or a containerd "
                    + "socket: containerd:///run/containerd/containerd.sock.");
            return false;
        }
        Optional<String> certs = Optional.ofNullable(certDir).map(String::trim).filter(s -> !s.isEmpty());
        if (certs.isPresent() && !Files.isDirectory(Path.of(certs.get()))) {
            message.set("The TLS directory must hold ca.pem, cert.pem and key.pem; " + certs.get() + " is not a directory.");
            return false;
        }
        String shown = name == null || name.isBlank() ? h.replaceFirst("^[a-z]+://", "") : name.trim();
        if (remoteEngines.stream().anyMatch(e -> e.host().equals(h))) {
            message.set(h + " is already in the list.");
            return false;
        }
        remoteEngines.add(new Settings.RemoteEngine(shown, h, certs));
        message.set("");
        return true;
    }

    /** Validates and saves; the settings are applied at once. */
    public Optional<Settings> save() {
        String platform = defaultPlatform.get() == null ? "" : defaultPlatform.get().trim();
        if (!platform.isEmpty()) {
            try {
                Platform.parse(platform);
            } catch (RuntimeException e) {
                message.set("'" + platform + "' is not a platform: use os/arch[/variant], e.g. linux/arm64.");
                return Optional.empty();
            }
        }
        Map<String, String> cas = new LinkedHashMap<>();
        registryCas.forEach(ca -> cas.put(ca.registry(), ca.caFile()));
        Settings saved = store.load()
                .withTheme(THEMES.contains(theme.get()) ? theme.get() : "system")
                .withDefaultPlatform(platform.isEmpty() ? Optional.empty() : Optional.of(platform))
                .withInsecureRegistries(java.util.List.copyOf(insecureRegistries))
                .withRegistryCas(cas)
                .withRemoteEngines(java.util.List.copyOf(remoteEngines));
        try {
            store.save(saved);
        } catch (GantryException e) {
            message.set(ErrorMessages.of(e).oneLine());
            return Optional.empty();
        }
        message.set("Saved.");
        onSaved.accept(saved);
        return Optional.of(saved);
    }
}
