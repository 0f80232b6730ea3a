package io.gantry.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * Gantry's logging set-up, in code rather than a {@code logback.xml}: warnings (of any library)
 * go to stderr, and Gantry's own loggers log at {@code GANTRY_LOG} ({@code info} unless set;
 * {@code debug} shows requests and timings). Secrets are never logged.
 *
 * <p>Logback finds it through {@code META-INF/services}. Doing it in code spares every start
 * Logback's XML configurator, which cost about 70 ms of CPU before {@code gantry --version} could
 * print anything. A {@code -Dlogback.configurationFile=…} still wins, for whoever needs more.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.gantry").setLevel(gantryLevel(System.getenv("GANTRY_LOG")));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code GANTRY_LOG}'s level (trace, debug, info, warn, error, off); info when unset or unknown. */
    static Level gantryLevel(String value) {
        return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.trim().toUpperCase(Locale.ROOT), Level.INFO);
    }
}
