package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A failure no code path foresaw (a bug) reaches the user as one line that names the log file
 * holding its stack trace, never as the trace itself.
 */
class UnexpectedFailureCliTest {

    private static String stderrOf(Optional<Path> logFile) {
        CliServices services = new CliServices() {
            @Override
            public EndpointCatalog open(Optional<Path> storeDir) {
                throw new IllegalStateException("the catalog broke");
            }

            @Override
            public Optional<Path> logFile() {
                return logFile;
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GantryCli.run(services, new PrintWriter(out), new PrintWriter(err), "images");
        assertThat(code).isEqualTo(GantryCli.EXIT_FAILURE);
        return err.toString();
    }

    @Test
    void theLineNamesTheLogFile() {
        String err = stderrOf(Optional.of(Path.of("/home/u/.local/share/gantry/logs/gantry.log")));
        assertThat(err.lines().toList()).containsExactly(
                "gantry: images failed unexpectedly: the catalog broke (details in /home/u/.local/share/gantry/logs/gantry.log)");
    }

    @Test
    void withoutALogFileTheLineSaysHowToSeeTheDetails() {
        String err = stderrOf(Optional.empty());
        assertThat(err.lines().toList()).containsExactly(
                "gantry: images failed unexpectedly: the catalog broke (run it again with GANTRY_LOG=debug for the details)");
        assertThat(err).doesNotContain("IllegalStateException").doesNotContain("\tat ");
    }
}
