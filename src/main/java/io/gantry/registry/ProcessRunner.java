package io.gantry.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs an external program, such as a {@code docker-credential-*} helper. Injected so tests can
 * control the {@code PATH} or replace the program.
 */
@FunctionalInterface
public interface ProcessRunner {

    /**
     * Runs {@code command} with {@code stdin} as its standard input and waits at most
     * {@code timeout}.
     *
     * @throws IOException when the program cannot be started or does not finish in time (it is
     *                     killed then)
     */
    Result run(List<String> command, String stdin, Duration timeout) throws IOException;

    /** How a program ended. Output is kept in memory: helpers print a few hundred bytes. */
    record Result(int exitCode, String stdout, String stderr) {

        @Override
        public String toString() {
            return "Result[exitCode=" + exitCode + ", stdout=<" + stdout.length() + " chars>, stderr=<"
                    + stderr.length() + " chars>]";
        }
    }
}
