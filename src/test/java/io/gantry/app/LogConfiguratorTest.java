package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogConfiguratorTest {

    @Test
    void gantryLogChoosesTheLevelOfGantrysOwnLoggers() {
        assertThat(LogConfigurator.level(null)).as("quiet by default: retries are no news on a script's stderr")
                .isEqualTo(Level.WARN);
        assertThat(LogConfigurator.level("info")).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.level(" debug ")).isEqualTo(Level.DEBUG);
        assertThat(LogConfigurator.level("TRACE")).isEqualTo(Level.TRACE);
        assertThat(LogConfigurator.level("loud")).isEqualTo(Level.WARN);
    }

    @Test
    void logbackIsConfiguredByLogConfigurator() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isNotNull();
    }
}
