package io.gantry.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The docker command-line client, pointed at one daemon and nothing else: {@code --host} on the
 * command line, {@code DOCKER_HOST} in an environment that holds nothing else of the user's (no
 * {@code DOCKER_CONTEXT}, no proxy variables), and a private {@code DOCKER_CONFIG} directory so
 * neither the user's contexts nor their credentials are read or written.
 */
public final class DockerCli {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path binary;
    private final String host;
    private final Path configDir;

    DockerCli(Path binary, String host, Path configDir) {
        this.binary = binary;
        this.host = host;
        this.configDir = configDir;
    }

    /** Runs {@code docker --host <host> args...} and returns what it did, failed or not. */
    public CommandResult run(String... args) {
        return runWithInput(new byte[0], args);
    }

    /** Runs {@code docker --host <host> args...} with {@code stdin} as its standard input. */
    public CommandResult runWithInput(byte[] stdin, String... args) {
        return run(TIMEOUT, stdin, args);
    }

    /** Runs {@code docker --host <host> args...} within {@code timeout} (a benchmark's bulk {@code load}). */
    public CommandResult run(Duration timeout, byte[] stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--host");
        command.add(host);
        command.addAll(List.of(args));
        return Commands.run(command, environment(), stdin, timeout);
    }

    /** The whole environment the CLI runs with. */
    Map<String, String> environment() {
        return Map.of(
                "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME", configDir.toString(),
                "DOCKER_CONFIG", configDir.toString(),
                "DOCKER_HOST", host);
    }

    public Path binary() {
        return binary;
    }
}
