package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private Docker daemon for tests, isolated from any daemon of the user's: its own data-root,
 * exec-root, pidfile, config file and unix socket under one short {@code /tmp/gd-…} directory
 * (unix socket paths must stay under 108 bytes, and containerd's socket lives in the exec-root),
 * and its own containerd namespace.
 *
 * <p>The flags are those that work in a sandbox without privileges over the network:
 * {@code --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs}. So containers
 * need {@code --network none}, which the container helpers here pass. {@code --insecure-registry
 * 127.0.0.0/8} lets it pull from the plain-HTTP test registry (Docker trusts loopback registries
 * anyway; the flag keeps that explicit).
 *
 * <p>{@link #start} returns once {@code GET /_ping} on the socket answers OK. {@link #close()}
 * removes the containers, stops the daemon (SIGTERM, then SIGKILL) and removes its directories;
 * the log stays in {@code target/peer-logs}. Tests normally get the shared one from
 * {@link DockerdExtension}.
 */
public final class DockerdPeer implements EnginePeer {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int MAX_SOCKET_PATH = 107;

    private final Path dir;
    private final DockerCli cli;
    private final List<String> command;
    private final Map<String, String> env;
    private volatile PeerProcess process;

    private DockerdPeer(Path dir, PeerProcess process, DockerCli cli, List<String> command, Map<String, String> env) {
        this.dir = dir;
        this.process = process;
        this.cli = cli;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
    }

    /** Starts a daemon with the sandbox flags. */
    public static DockerdPeer start() {
        return start(ToolFinder.fromEnvironment());
    }

    /** Starts a daemon with the sandbox flags; {@code tools} finds {@code dockerd} and {@code docker}. */
    public static DockerdPeer start(ToolFinder tools) {
        return start(tools, List.of());
    }

    /** Starts a daemon with the sandbox flags plus {@code extraFlags} (e.g. {@code --log-level=debug}). */
    public static DockerdPeer start(ToolFinder tools, List<String> extraFlags) {
        Path dockerd = tools.require(RequiredTool.DOCKERD);
        Path docker = tools.require(RequiredTool.DOCKER);
        Path dir = PeerFiles.newTempDir("gd-");
        Path socket = dir.resolve("docker.sock");
        Path execRoot = dir.resolve("x");
        if (execRoot.resolve("containerd/containerd.sock").toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalStateException("the temporary directory " + dir + " is too deep for unix sockets");
        }
        try {
            Files.createDirectories(dir.resolve("cli"));
            // The trust key would otherwise go to /etc/docker/key.json, which belongs to the host.
            Path config = Files.writeString(dir.resolve("daemon.json"),
                    "{\"deprecated-key-path\": \"" + dir.resolve("key.json") + "\"}\n");
            String namespace = "gantry-test-" + dir.getFileName().toString().substring(3);
            List<String> command = new ArrayList<>(List.of(dockerd.toString(),
                    "--config-file", config.toString(),
                    "--data-root", dir.resolve("data").toString(),
                    "--exec-root", execRoot.toString(),
                    "--pidfile", dir.resolve("docker.pid").toString(),
                    "--host", "unix://" + socket,
                    "--containerd-namespace", namespace,
                    "--containerd-plugins-namespace", namespace + "-plugins",
                    "--iptables=false", "--ip6tables=false", "--bridge=none",
                    "--storage-driver=vfs",
                    "--insecure-registry", "127.0.0.0/8",
                    "--shutdown-timeout", "5"));
            command.addAll(extraFlags);
            Map<String, String> env = Map.of(
                    "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "HOME", dir.toString());
            PeerProcess process = PeerProcess.start(command, env, dir, PeerFiles.newLogFile("dockerd"));
            DockerdPeer peer = new DockerdPeer(dir, process, new DockerCli(docker, "unix://" + socket, dir.resolve("cli")),
                    command, env);
            EngineStart.awaitStarted(peer, socket, process, dir, "the test dockerd");
            return peer;
        } catch (IOException e) {
            PeerFiles.deleteRecursively(dir);
            throw new UncheckedIOException("cannot prepare the test dockerd in " + dir, e);
        }
    }

    // ---- where it is -----------------------------------------------------------------------

    /** {@code unix:///tmp/gd-…/docker.sock}: the value for {@code DOCKER_HOST} or a client's host. */
    @Override
    public String host() {
        return "unix://" + socket();
    }

    @Override
    public Path socket() {
        return dir.resolve("docker.sock");
    }

    /** The daemon's {@code --data-root}, where images and containers live (vfs: full copies). */
    public Path dataRoot() {
        return dir.resolve("data");
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    // ---- the docker CLI against it ---------------------------------------------------------

    @Override
    public DockerCli cli() {
        return cli;
    }

    @Override
    public Kind kind() {
        return Kind.DOCKERD;
    }

    /**
     * Removes every container and image, for a test that needs an empty engine. Prefer unique
     * names on the shared daemon, or a fresh one from {@link DockerdPeers}, when that is enough.
     */
    public void reset() {
        removeAllContainers();
        List<String> images = dockerOk("image", "ls", "--all", "--quiet", "--no-trunc").lines();
        if (!images.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("image", "rm", "--force"));
            args.addAll(images.stream().distinct().toList());
            docker(args.toArray(String[]::new));
        }
    }

    private void removeAllContainers() {
        List<String> containers = docker("container", "ls", "--all", "--quiet").lines();
        if (!containers.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("container", "rm", "--force"));
            args.addAll(containers);
            docker(args.toArray(String[]::new));
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------

    /**
     * Stops the daemon (as a user's engine going away) but keeps its data and socket path, so
     * {@link #restartDaemon()} brings it back with the same images. Containers are not removed.
     */
    public void stopDaemon() {
        process.stop(STOP_GRACE);
    }

    /** Starts the daemon again after {@link #stopDaemon()}, with the same flags and data. */
    public void restartDaemon() {
        if (process.isAlive()) {
            throw new IllegalStateException(name() + " is still running");
        }
        process = PeerProcess.start(command, env, dir, PeerFiles.newLogFile("dockerd"));
        if (!EngineStart.awaitPing(socket(), process)) {
            throw new IllegalStateException("the test dockerd did not restart\n" + LogTail.framed(this, 60));
        }
    }

    @Override
    public String name() {
        return "dockerd " + host();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                // Running containers would each hold up the shutdown for --shutdown-timeout.
                removeAllContainers();
            } catch (RuntimeException | AssertionError ignored) {
                // stopping matters more than a clean container list
            }
        }
        process.stop(STOP_GRACE);
        PeerFiles.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The daemon's version, as {@code GET /version} reports it (for messages and sanity checks). */
    @Override
    public String version() {
        String body = api("/version").body();
        int at = body.indexOf("\"Version\":\"");
        return at < 0 ? body : body.substring(at + 11, body.indexOf('"', at + 11));
    }
}
