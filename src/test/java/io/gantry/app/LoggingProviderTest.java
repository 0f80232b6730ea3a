package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoggingProviderTest {

    @Test
    void configuresLogbackWithGantrysSetUp() {
        LoggingProvider provider = new LoggingProvider();
        provider.initialize();
        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isNotNull();
        assertThat(root.getAppender("FILE")).as("the log file's, made on first use once Main names the file").isNotNull();
        assertThat(provider.getMDCAdapter()).isNotNull();
        assertThat(provider.getMarkerFactory()).isNotNull();
        context.stop();
    }

    @Test
    void aWarningReachesStderrAsOneLineInWordsOnceItIsLogged() {
        LoggingProvider provider = new LoggingProvider();
        provider.initialize();
        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            context.getLogger("io.gantry.registry.Example").warn("the registry answered 503, retrying");
            context.getLogger("io.gantry.registry.Example").info("not shown at the default level");
        } finally {
            System.setErr(original);
            context.stop();
        }
        // as a user reads it; GANTRY_LOG (a developer's request for detail) gives the developer's log
        assertThat(captured.toString(StandardCharsets.UTF_8)).matches(LogConfigurator.detailed(System.getenv("GANTRY_LOG"))
                ? "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  i\\.g\\.registry\\.Example - the registry answered 503, retrying\\R"
                : "gantry: warning: the registry answered 503, retrying\\R");
    }
}
