package io.gantry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command with exactly the environment given (nothing inherited), waits for it with a
 * timeout, and returns what it printed.
 *
 * <p>A clean environment is the point: a developer's {@code DOCKER_HOST}, {@code DOCKER_CONTEXT},
 * proxy or {@code REGISTRY_*} variables must never leak into the peers or the CLI the tests run.
 */
public final class Commands {

    private Commands() {
    }

    /** Runs {@code command} with {@code env} as its whole environment and nothing on standard input. */
    public static CommandResult run(List<String> command, Map<String, String> env, Duration timeout) {
        return run(command, env, new byte[0], timeout);
    }

    /** Runs {@code command} with {@code env} as its whole environment and {@code stdin} as its input. */
    public static CommandResult run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            in = Files.createTempFile("gantry-cmd-", ".in");
            Files.write(in, stdin);
            builder.redirectInput(in.toFile());
            // Files, not pipes: a command that prints a lot can never block on a full pipe.
            out = Files.createTempFile("gantry-cmd-", ".out");
            err = Files.createTempFile("gantry-cmd-", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "\n--- stdout ---\n" + read(out) + "\n--- stderr ---\n" + read(err));
            }
            return new CommandResult(command, process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
