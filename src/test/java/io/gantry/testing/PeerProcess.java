package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running server process started for a test: clean environment, output appended to a log
 * file, stopped with SIGTERM and then SIGKILL (its descendants too, so a daemon's helpers such as
 * containerd never outlive it). A JVM shutdown hook kills it if the test JVM exits without closing it.
 */
final class PeerProcess {

    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private PeerProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::kill, "kill " + logFile.getFileName());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code command} with {@code env} as its whole environment, logging to {@code logFile}. */
    static PeerProcess start(List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Files.writeString(logFile, "$ " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new PeerProcess(builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Appends a line of the harness's own to the log, e.g. how long the start took. */
    void note(String line) {
        try {
            Files.writeString(logFile, "[gantry harness] " + line + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the note is a convenience; the peer works without it
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL the process and whatever it started. */
    void stop(Duration grace) {
        long started = System.nanoTime();
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
            for (ProcessHandle child : descendants) {
                child.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } catch (Exception e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        } finally {
            removeShutdownHook();
            note("stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms"
                    + (process.isAlive() ? ", still running" : ", exit code " + process.exitValue()));
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; nothing to undo
        }
    }
}
