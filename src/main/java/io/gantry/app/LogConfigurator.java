package io.gantry.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import io.gantry.core.LogMarkers;
import io.gantry.core.PeerText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gantry's logging set-up, in code rather than {@code logback.xml}.
 *
 * <ul>
 *   <li><b>Standard error</b> carries only what went wrong, as a user reads it: {@code gantry:
 *       warning: …} or {@code gantry: error: …}, one line each, no class name and no stack trace.
 *       {@code GANTRY_LOG} (e.g. {@code info}, {@code debug}) sets the level of Gantry's own loggers
 *       (default warn) and, being a request for detail, turns standard error into the developer's
 *       log: time, level, logger, message and stack traces. An event marked {@link LogMarkers#TOLD}
 *       (the user was told in words already) goes to the log file only.</li>
 *   <li><b>The log file</b> ({@link #writeTo}: {@code logs/gantry.log} in Gantry's data directory,
 *       set by {@link Main}) gets the same events with the time, the thread, the logger and the stack
 *       trace: what a user attaches to a report ("Please report this with the log file …"). It is
 *       kept under about 2 MB: at 1 MB it rolls over to {@code gantry.1.log}, replacing the older one.</li>
 * </ul>
 * Secrets are never logged.
 *
 * <p>{@link LoggingProvider} (the provider {@link Main} names) calls it directly; Logback's own
 * provider (as in the tests) finds it through {@code META-INF/services}. Configuring in code
 * spares every start Logback's XML configurator (Joran), which cost a few hundred milliseconds of a
 * cold start. A {@code -Dlogback.configurationFile=…} given by the user still wins.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** Standard error's pattern when {@code GANTRY_LOG} asks for detail. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";
    /** The log file's pattern: a full date, the thread and the whole logger name; stack traces follow. */
    static final String FILE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n";
    static final String ROLL_AT = "1MB";

    private static volatile Path logFile;

    /** Where the log file goes: from the next event on (Main sets it before anything logs). */
    public static void writeTo(Path file) {
        logFile = file;
    }

    /** The log file, once {@link #writeTo} named one. */
    public static Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        String asked = System.getenv("GANTRY_LOG");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(onFirstUse(context, "STDERR", () -> stderr(context, detailed(asked))));
        root.addAppender(onFirstUse(context, "FILE", () -> logFile().map(file -> file(context, file)).orElse(null)));
        context.getLogger("io.gantry").setLevel(level(asked));
        // Netty (shaded in grpc-netty-shaded) warns on every containerd
        // connection that a unix socket has no SO_KEEPALIVE, which grpc-java always sets
        context.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Level level(String text) {
        return text == null || text.isBlank() ? Level.WARN : Level.toLevel(text.trim(), Level.WARN);
    }

    /** Whether {@code GANTRY_LOG} asks for the developer's log on standard error. */
    static boolean detailed(String gantryLog) {
        return gantryLog != null && !gantryLog.isBlank();
    }

    private static Appender<ILoggingEvent> onFirstUse(LoggerContext context, String name,
                                                      Supplier<Appender<ILoggingEvent>> make) {
        OnFirstUse appender = new OnFirstUse(make);
        appender.setContext(context);
        appender.setName(name);
        appender.start();
        return appender;
    }

    static Appender<ILoggingEvent> stderr(LoggerContext context, boolean detailed) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDERR");
        console.setTarget("System.err");
        if (detailed) {
            console.setEncoder(pattern(context, PATTERN));
        } else {
            console.addFilter(new NotTold());
            TerminalLayout layout = new TerminalLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.start();
            console.setEncoder(encoder);
        }
        console.start();
        return console;
    }

    /** A rolling file appender on {@code file}, or none when its directory cannot be made. */
    static Appender<ILoggingEvent> file(LoggerContext context, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException | RuntimeException e) {
            return null; // a read-only home: standard error still says what went wrong
        }
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        String name = file.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        rolling.setFileNamePattern(file.resolveSibling(stem + ".%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(1);
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf(ROLL_AT));
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(pattern(context, FILE_PATTERN));
        rolling.start();
        trigger.start();
        appender.start();
        return appender.isStarted() ? appender : null;
    }

    private static PatternLayoutEncoder pattern(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /**
     * {@code gantry: warning: …}: the message alone, its peer text cleaned, on one line; the
     * exception's stack trace goes to the log file only.
     */
    static final class TerminalLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            String level = event.getLevel().toInt() >= Level.ERROR_INT ? "error"
                    : event.getLevel().toString().toLowerCase(Locale.ROOT).replace("warn", "warning");
            return "gantry: " + level + ": " + PeerText.clean(event.getFormattedMessage()).replace('\n', ' ')
                    + System.lineSeparator();
        }
    }

    /** Leaves out what the user was already told ({@link LogMarkers#TOLD}): that is for the log file. */
    static final class NotTold extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            java.util.List<org.slf4j.Marker> markers = event.getMarkerList();
            return markers != null && markers.contains(LogMarkers.TOLD) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }

    /**
     * Builds its appender on the first event. Their set-up looks up the time zone's rules for the
     * patterns' time, and the JDK's first look-up of zone rules searches every jar on the class
     * path for more rule providers (all 90 opened and their directories read: about 50 ms of CPU);
     * most commands log nothing. An appender that cannot be made (no log file named, a read-only
     * home) is not tried again.
     */
    static final class OnFirstUse extends AppenderBase<ILoggingEvent> {

        private final Supplier<Appender<ILoggingEvent>> make;
        private Appender<ILoggingEvent> appender;
        private boolean made;

        OnFirstUse(Supplier<Appender<ILoggingEvent>> make) {
            this.make = make;
        }

        @Override
        protected void append(ILoggingEvent event) { // AppenderBase.doAppend holds this appender's lock
            if (!made) {
                made = true;
                appender = make.get();
            }
            if (appender != null) {
                appender.doAppend(event);
            }
        }

        @Override
        public void stop() {
            if (appender != null) {
                appender.stop();
            }
            super.stop();
        }
    }
}
