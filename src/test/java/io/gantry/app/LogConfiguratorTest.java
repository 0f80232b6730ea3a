package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.gantry.core.LogMarkers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogConfiguratorTest {

    @TempDir
    Path dir;

    @Test
    void theLevelComesFromGantryLog() {
        assertThat(LogConfigurator.level(null)).as("quiet by default: retries are no news on a script's stderr")
                .isEqualTo(Level.WARN);
        assertThat(LogConfigurator.level("info")).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.level(" debug ")).isEqualTo(Level.DEBUG);
        assertThat(LogConfigurator.level("TRACE")).isEqualTo(Level.TRACE);
        assertThat(LogConfigurator.level("loud")).isEqualTo(Level.WARN);
        assertThat(LogConfigurator.detailed(null)).isFalse();
        assertThat(LogConfigurator.detailed(" ")).isFalse();
        assertThat(LogConfigurator.detailed("debug")).isTrue();
    }

    @Test
    void logbackIsConfiguredByLogConfigurator() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isNotNull();
        assertThat(root.getAppender("FILE")).isNotNull();
    }

    /** What a user sees on the terminal: one line in words, no logger, no class name, no stack trace. */
    @Test
    void standardErrorSaysWhatWentWrongInOneLineWithoutAStackTrace() {
        String err = stderrOf(false, log -> {
            log.warn("ignoring the damaged listing cache /s/.gantry/listing-cache: the file ended early",
                    new java.io.EOFException("at 12"));
            log.error("the engine said \u001b[31mno\u001b[0m");
            log.error(LogMarkers.TOLD, "gantry images failed", new IllegalStateException("told already"));
        });
        assertThat(err.lines().toList()).containsExactly(
                "gantry: warning: ignoring the damaged listing cache /s/.gantry/listing-cache: the file ended early",
                "gantry: error: the engine said no");
        assertThat(err).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("LogConfiguratorTest")
                .doesNotContain("\u001b").doesNotContain("told already");
    }

    /** GANTRY_LOG asks for detail: standard error becomes the developer's log, stack traces and all. */
    @Test
    void gantryLogTurnsStandardErrorIntoTheDevelopersLog() {
        String err = stderrOf(true, log -> log.error(LogMarkers.TOLD, "gantry images failed",
                new IllegalStateException("told already")));
        assertThat(err).contains("ERROR").contains("gantry images failed")
                .contains("java.lang.IllegalStateException: told already").contains("\tat ");
    }

    /** The log file keeps what the terminal leaves out: the time, the thread, the logger and the trace. */
    @Test
    void theLogFileKeepsTheDetailsAUserAttachesToAReport() throws IOException {
        Path file = dir.resolve("logs").resolve("gantry.log");
        LoggerContext context = newContext();
        Appender<ILoggingEvent> appender = LogConfigurator.file(context, file);
        assertThat(appender).as("the directory is made").isNotNull();
        Logger log = context.getLogger("io.gantry.cli.GantryCli");
        log.addAppender(appender);
        log.warn("a warning");
        log.error(LogMarkers.TOLD, "gantry images failed", new IllegalStateException("told already"));
        appender.stop();
        String text = Files.readString(file);
        assertThat(text).contains("WARN ").contains("io.gantry.cli.GantryCli - a warning")
                .contains("[" + Thread.currentThread().getName() + "]")
                .contains("gantry images failed").contains("java.lang.IllegalStateException: told already")
                .contains("\tat io.gantry.app.LogConfiguratorTest");
    }

    @Test
    void noLogFileWhereItsDirectoryCannotBeMade() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("logs"), "a file");
        assertThat(LogConfigurator.file(newContext(), notADirectory.resolve("gantry.log"))).isNull();
    }

    /** A context of its own, as {@link LoggingProvider} makes one, so the tests' own logging is untouched. */
    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        return context;
    }

    private static String stderrOf(boolean detailed, Consumer<Logger> body) {
        PrintStream before = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerContext context = newContext();
            Appender<ILoggingEvent> appender = LogConfigurator.stderr(context, detailed);
            Logger log = context.getLogger("io.gantry.store.ListingCache");
            log.addAppender(appender);
            body.accept(log);
            appender.stop();
        } finally {
            System.setErr(before);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
