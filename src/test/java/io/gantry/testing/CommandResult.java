package io.gantry.testing;

import java.util.List;

/**
 * What a finished command left behind: its exit code and everything it printed.
 *
 * @param command the command line, for messages
 * @param exitCode the process's exit code
 * @param stdout standard output, decoded as UTF-8
 * @param stderr standard error, decoded as UTF-8
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** This result when the command succeeded; otherwise an {@link AssertionError} that shows all of it. */
    public CommandResult orFail() {
        if (!succeeded()) {
            throw new AssertionError(describe());
        }
        return this;
    }

    /** Standard output without its trailing newline, for commands that print one value. */
    public String out() {
        return stdout.strip();
    }

    /** Standard output, one element per non-empty line. */
    public List<String> lines() {
        return stdout.lines().filter(line -> !line.isBlank()).toList();
    }

    /** The command, its exit code and its output, as a failure message. */
    public String describe() {
        return String.join(" ", command) + " exited with " + exitCode
                + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
