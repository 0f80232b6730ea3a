package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @Test
    void gantryLogChoosesTheLevelOfGantrysOwnLoggers() {
        assertThat(LogSetup.gantryLevel(null)).isEqualTo(Level.INFO);
        assertThat(LogSetup.gantryLevel(" debug ")).isEqualTo(Level.DEBUG);
        assertThat(LogSetup.gantryLevel("TRACE")).isEqualTo(Level.TRACE);
        assertThat(LogSetup.gantryLevel("loud")).isEqualTo(Level.INFO);
    }

    @Test
    void logbackIsConfiguredByLogSetup() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isNotNull();
    }
}
