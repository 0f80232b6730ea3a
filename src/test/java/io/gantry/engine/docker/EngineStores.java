package io.gantry.engine.docker;

import io.gantry.engine.EngineCredentials;
import io.gantry.testing.EnginePeer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;

/** Helpers for tests of {@link DockerEngineStore} against the harness's private dockerd. */
final class EngineStores {

    private EngineStores() {
    }

    /** A store on the test engine only (never the user's), with short retry delays. */
    static DockerEngineStore on(EnginePeer engine) {
        return on(engine.host(), EngineCredentials.anonymous());
    }

    static DockerEngineStore on(String host, EngineCredentials credentials) {
        EngineAddress address = new EngineAddress("test dockerd", host, EngineAddress.Source.DOCKER_HOST, false,
                Optional.empty(), true);
        return new DockerEngineStore(address, credentials,
                new DockerEngineStore.Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofMinutes(5),
                        Duration.ofMillis(200)),
                runnable -> {
                    Thread thread = new Thread(runnable, "test-events");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * go-units' {@code HumanSizeWithPrecision}, as {@code docker system df -v} prints sizes: decimal
     * units, {@code %.Ng} (N significant digits, trailing zeros dropped). SIZE uses 3 digits,
     * SHARED SIZE and UNIQUE SIZE 4.
     */
    static String goHumanSize(long bytes, int precision) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        return rounded.stripTrailingZeros().toPlainString() + units[unit];
    }
}
