package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.LogMarkers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the window says about a failure, and where the detail of an unexpected one goes. */
class ErrorMessagesTest {

    @Test
    void anUnexpectedFailureNamesTheLogFileThatHoldsItsStackTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger(ErrorMessages.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            ErrorMessages.logFile(Path.of("/home/u/.local/share/gantry/logs/gantry.log"));
            IllegalStateException bug = new IllegalStateException("java.lang.IllegalStateException: the list broke");
            ErrorMessages.Message message = ErrorMessages.of(bug);
            assertThat(message.title()).isEqualTo("Unexpected error");
            assertThat(message.detail()).isEqualTo("the list broke");
            assertThat(message.action())
                    .isEqualTo("Please report this with the log file /home/u/.local/share/gantry/logs/gantry.log.");
            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getThrowableProxy()).as("the stack trace goes to the log").isNotNull();
                assertThat(event.getMarkerList()).as("the window said it: the file only").contains(LogMarkers.TOLD);
            });
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void anExpectedFailureIsNotLoggedAsABug() {
        Logger logger = (Logger) LoggerFactory.getLogger(ErrorMessages.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            ErrorMessages.Message message = ErrorMessages.of(new GantryException(ErrorKind.NOT_FOUND, "pull a:1", "no such tag"));
            assertThat(message.title()).isEqualTo("Not found");
            assertThat(logged.list).isEmpty();
        } finally {
            logger.detachAppender(logged);
        }
    }
}
