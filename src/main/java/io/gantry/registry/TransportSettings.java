package io.gantry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the client reaches registries.
 *
 * @param insecureRegistries registries (as named in references, {@code host[:port]}) the user
 *                           allowed to use plain HTTP; loopback registries always may
 * @param certsDirectories   directories holding {@code <host[:port]>/ca.crt} (Docker's
 *                           {@code certs.d}), searched in order
 * @param connectTimeout     the limit for opening a connection
 * @param readTimeout        the longest silence while reading a response (also bounds a stalled
 *                           blob download)
 * @param requestTimeout     the limit for a whole small request (manifests, tags, tokens); blob
 *                           transfers have none, only the read timeout and the minimum speed
 * @param minimumSpeed       the slowest a blob download may be: a registry that drips a byte a
 *                           second resets the read timeout forever, so a blob that receives fewer
 *                           than {@code minimumSpeed.bytes()} in any {@code minimumSpeed.window()}
 *                           fails (what arrived is kept, so the next pull resumes from it)
 */
public record TransportSettings(Set<String> insecureRegistries, List<Path> certsDirectories,
                                Duration connectTimeout, Duration readTimeout, Duration requestTimeout,
                                MinimumSpeed minimumSpeed) {

    /**
     * At least {@code bytes} in every sliding {@code window} of a blob download.
     *
     * @param bytes  the least a window must bring (0: no minimum)
     * @param window the window's length
     */
    public record MinimumSpeed(long bytes, Duration window) {
        /** 32 KiB in 30 s (about 1 KiB/s): far below any working link, far above a drip. */
        public static final MinimumSpeed DEFAULT = new MinimumSpeed(32 * 1024, Duration.ofSeconds(30));

        public MinimumSpeed {
            if (bytes < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("minimum speed: bytes >= 0 in a positive window");
            }
        }
    }

    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /** Docker's system-wide certs.d. */
    public static final Path SYSTEM_CERTS_DIR = Path.of("/etc/docker/certs.d");

    /** Settings with the default {@link MinimumSpeed}. */
    public TransportSettings(Set<String> insecureRegistries, List<Path> certsDirectories, Duration connectTimeout,
                             Duration readTimeout, Duration requestTimeout) {
        this(insecureRegistries, certsDirectories, connectTimeout, readTimeout, requestTimeout, MinimumSpeed.DEFAULT);
    }

    public TransportSettings {
        insecureRegistries = insecureRegistries.stream().map(r -> r.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        certsDirectories = List.copyOf(certsDirectories);
    }

    /**
     * The defaults for a Docker config directory: no insecure registries,
     * {@code <configDir>/certs.d} then {@code /etc/docker/certs.d}, 15 s to connect, 60 s of
     * silence, 60 s per small request, a blob at least 32 KiB in every 30 s.
     */
    public static TransportSettings defaults(Path dockerConfigDir) {
        return new TransportSettings(Set.of(), List.of(dockerConfigDir.resolve("certs.d"), SYSTEM_CERTS_DIR),
                Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /** These settings with {@code registries} marked insecure. */
    public TransportSettings withInsecureRegistries(Set<String> registries) {
        return new TransportSettings(registries, certsDirectories, connectTimeout, readTimeout, requestTimeout, minimumSpeed);
    }

    /** These settings searching {@code directories} for CA certificates. */
    public TransportSettings withCertsDirectories(List<Path> directories) {
        return new TransportSettings(insecureRegistries, directories, connectTimeout, readTimeout, requestTimeout,
                minimumSpeed);
    }

    /** These settings with another minimum blob speed. */
    public TransportSettings withMinimumSpeed(MinimumSpeed speed) {
        return new TransportSettings(insecureRegistries, certsDirectories, connectTimeout, readTimeout, requestTimeout,
                speed);
    }

    /**
     * Whether plain HTTP is allowed for {@code registry}: a loopback host ({@code localhost},
     * {@code 127.0.0.0/8}, {@code ::1}) or one the user marked insecure. No DNS lookup is made.
     */
    public boolean allowsPlainHttp(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        if (insecureRegistries.contains(lower)) {
            return true;
        }
        return isLoopback(lower);
    }

    /**
     * Whether {@code registry} (a host, with or without a port) names this machine: {@code
     * localhost}, {@code 127.0.0.0/8} or {@code ::1}. No DNS lookup is made.
     */
    public static boolean isLoopback(String registry) {
        String host = hostOf(registry.toLowerCase(Locale.ROOT));
        return host.equals("localhost") || LOOPBACK_V4.matcher(host).matches() || host.equals("[::1]")
                || host.equals("::1");
    }

    private static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            return end > 0 ? registry.substring(0, end + 1) : registry;
        }
        int colon = registry.lastIndexOf(':');
        return colon >= 0 ? registry.substring(0, colon) : registry;
    }
}
