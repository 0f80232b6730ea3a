package io.gantry.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Gantry's logging set-up, in code rather than {@code logback.xml}: warnings to stderr, and
 * {@code GANTRY_LOG} (e.g. {@code info}, {@code debug}) sets the level of Gantry's own loggers
 * (default warn, so that a script's stderr carries only what went wrong, not retries and other
 * progress notes).
 * Secrets are never logged.
 *
 * <p>{@link LoggingProvider} (the provider {@link Main} names) calls it directly; Logback's own
 * provider (as in the tests) finds it through {@code META-INF/services}. Configuring in code
 * spares every start Logback's XML configurator (Joran), which cost a few hundred milliseconds of a
 * cold start. A {@code -Dlogback.configurationFile=…} given by the user still wins.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        StderrOnFirstUse stderr = new StderrOnFirstUse();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.gantry").setLevel(level(System.getenv("GANTRY_LOG")));
        // Netty (shaded in grpc-netty-shaded) warns on every containerd
        // connection that a unix socket has no SO_KEEPALIVE, which grpc-java always sets
        context.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Writes to stderr through Logback's console appender and {@link #PATTERN}, both set up by the
     * first event. Their set-up looks up the time zone's rules for the pattern's time, and the JDK's
     * first look-up of zone rules searches every jar on the class path for more rule providers (all
     * 90 opened and their directories read: about 50 ms of CPU); most commands log nothing.
     */
    static final class StderrOnFirstUse extends AppenderBase<ILoggingEvent> {

        private ConsoleAppender<ILoggingEvent> console;

        @Override
        protected void append(ILoggingEvent event) { // AppenderBase.doAppend holds this appender's lock
            if (console == null) {
                PatternLayoutEncoder encoder = new PatternLayoutEncoder();
                encoder.setContext(getContext());
                encoder.setPattern(PATTERN);
                encoder.start();
                console = new ConsoleAppender<>();
                console.setContext(getContext());
                console.setName(getName());
                console.setTarget("System.err");
                console.setEncoder(encoder);
                console.start();
            }
            console.doAppend(event);
        }

        @Override
        public void stop() {
            if (console != null) {
                console.stop();
            }
            super.stop();
        }
    }

    static Level level(String text) {
        return text == null || text.isBlank() ? Level.WARN : Level.toLevel(text.trim(), Level.WARN);
    }
}
