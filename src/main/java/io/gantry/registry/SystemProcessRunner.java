package io.gantry.registry;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs with {@link ProcessBuilder}, looking the program up on the {@code PATH} of the
 * given environment (not the JVM's), and with that environment.
 */
public final class SystemProcessRunner implements ProcessRunner {

    private final Map<String, String> environment;

    /** @param environment the child's environment, including the {@code PATH} to search */
    public SystemProcessRunner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A runner with this JVM's environment. */
    public static SystemProcessRunner inheritingEnvironment() {
        return new SystemProcessRunner(System.getenv());
    }

    @Override
    public Result run(List<String> command, String stdin, Duration timeout) throws IOException {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, resolve(command.get(0))
                .orElseThrow(() -> new IOException(command.get(0) + ": not found on PATH")).toString());
        ProcessBuilder builder = new ProcessBuilder(resolved);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program may exit without reading its input; its exit code tells
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        } catch (ExecutionException e) {
            throw new IOException("could not read the output of " + command.get(0), e.getCause());
        }
    }

    private Optional<Path> resolve(String program) {
        if (program.contains(File.separator)) {
            return Optional.of(Path.of(program));
        }
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static byte[] readAll(InputStream stream) {
        try (stream; ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
            stream.transferTo(buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
