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
 * A private rootful Podman service for tests (Debian's {@code podman} 4.3), isolated from any
 * Podman of the machine's or the user's: {@code podman --root D/root --runroot D/run
 * --storage-driver vfs --tmpdir D/tmp system service --time=0 unix://D/podman.sock} under one short
 * {@code /tmp/gp-…} directory D, with {@code CONTAINERS_CONF}, {@code CONTAINERS_STORAGE_CONF} and
 * {@code CONTAINERS_REGISTRIES_CONF} pointing at files of its own there (so neither
 * {@code /etc/containers} storage nor a user's {@code ~/.config/containers} is read), the network
 * configuration in D/net, events in a file in D, and {@code HOME} and the XDG directories in D.
 *
 * <p>Its registries.conf marks loopback registries ({@code 127.0.0.1}, {@code localhost}) insecure,
 * so it pulls from the plain-HTTP test registry, and resolves short names to {@code docker.io} as
 * Podman's Docker API does. Its containers.conf lowers the default {@code nofile} and
 * {@code nproc} limits (Podman would raise them to the maximum, which the sandbox refuses) and
 * uses cgroupfs. Containers need {@code --network none}, as on the test dockerd.
 *
 * <p>The only thing it writes outside D is containers/image's blob-info cache
 * ({@code /var/lib/containers/cache}, a cache of where blobs were seen), which Podman 4.3 does not
 * let a rootful process move.
 *
 * <p>Tests drive it like {@link DockerdPeer}, with the docker CLI on its socket (Podman's
 * Docker-compatible API), and with {@link #podman} (the podman CLI as a remote client of this
 * service only) for what only Podman has, such as {@code podman manifest}. Tests normally get the
 * shared one from {@link BothEngines}.
 */
public final class PodmanPeer implements EnginePeer {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;
    private final Path podman;
    private final DockerCli cli;
    private final Map<String, String> env;
    private final PeerProcess process;

    private PodmanPeer(Path dir, Path podman, PeerProcess process, DockerCli cli, Map<String, String> env) {
        this.dir = dir;
        this.podman = podman;
        this.process = process;
        this.cli = cli;
        this.env = Map.copyOf(env);
    }

    /** Starts a service; a missing podman (or docker CLI) fails with the package to install. */
    public static PodmanPeer start() {
        return start(ToolFinder.fromEnvironment());
    }

    public static PodmanPeer start(ToolFinder tools) {
        Path podman = tools.require(RequiredTool.PODMAN);
        Path docker = tools.require(RequiredTool.DOCKER);
        Path dir = PeerFiles.newTempDir("gp-");
        Path socket = dir.resolve("podman.sock");
        try {
            for (String sub : List.of("root", "run", "tmp", "net", "home", "cli", "xdg-run", "xdg-config",
                    "xdg-data", "volumes")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.writeString(dir.resolve("containers.conf"), """
                    [containers]
                    default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
                    log_driver = "k8s-file"

                    [engine]
                    cgroup_manager = "cgroupfs"
                    events_logger = "file"
                    events_logfile_path = "%1$s/events.log"
                    tmp_dir = "%1$s/tmp"
                    volume_path = "%1$s/volumes"

                    [network]
                    network_backend = "cni"
                    network_config_dir = "%1$s/net"
                    """.formatted(dir));
            Files.writeString(dir.resolve("storage.conf"), """
                    [storage]
                    driver = "vfs"
                    runroot = "%1$s/run"
                    graphroot = "%1$s/root"
                    """.formatted(dir));
            Files.writeString(dir.resolve("registries.conf"), """
                    unqualified-search-registries = ["docker.io"]

                    [[registry]]
                    location = "127.0.0.1"
                    insecure = true

                    [[registry]]
                    location = "localhost"
                    insecure = true
                    """);
            Map<String, String> env = Map.of(
                    "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "HOME", dir.resolve("home").toString(),
                    "XDG_RUNTIME_DIR", dir.resolve("xdg-run").toString(),
                    "XDG_CONFIG_HOME", dir.resolve("xdg-config").toString(),
                    "XDG_DATA_HOME", dir.resolve("xdg-data").toString(),
                    "CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
                    "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString(),
                    "CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
            List<String> command = new ArrayList<>(List.of(podman.toString(),
                    "--root", dir.resolve("root").toString(),
                    "--runroot", dir.resolve("run").toString(),
                    "--storage-driver", "vfs",
                    "--tmpdir", dir.resolve("tmp").toString(),
                    "--log-level", "info",
                    "system", "service", "--time=0", "unix://" + socket));
            PeerProcess process = PeerProcess.start(command, env, dir, PeerFiles.newLogFile("podman"));
            PodmanPeer peer = new PodmanPeer(dir, podman, process,
                    new DockerCli(docker, "unix://" + socket, dir.resolve("cli")), env);
            EngineStart.awaitStarted(peer, socket, process, dir, "the test podman service");
            return peer;
        } catch (IOException e) {
            PeerFiles.deleteRecursively(dir);
            throw new UncheckedIOException("cannot prepare the test podman service in " + dir, e);
        }
    }

    @Override
    public Kind kind() {
        return Kind.PODMAN;
    }

    @Override
    public String host() {
        return "unix://" + socket();
    }

    @Override
    public Path socket() {
        return dir.resolve("podman.sock");
    }

    /** The service's {@code --root}, where images and containers live (vfs: full copies). */
    public Path storageRoot() {
        return dir.resolve("root");
    }

    @Override
    public DockerCli cli() {
        return cli;
    }

    /**
     * Runs the podman CLI as a remote client of this service only ({@code --remote --url}), e.g.
     * {@code podman manifest create}; returns the result whether it failed or not.
     */
    public CommandResult podman(String... args) {
        List<String> command = new ArrayList<>(List.of(podman.toString(), "--remote", "--url", host()));
        command.addAll(List.of(args));
        return Commands.run(command, env, CLI_TIMEOUT);
    }

    /** {@link #podman} that fails the test when the command fails. */
    public CommandResult podmanOk(String... args) {
        return podman(args).orFail();
    }

    @Override
    public void commitWith(List<String> args) {
        podmanOk(args.toArray(String[]::new));
    }

    /** Podman's version, from the "Podman Engine" component of {@code GET /version}. */
    @Override
    public String version() {
        String body = api("/version").body();
        int at = body.indexOf("\"Version\":\"");
        return at < 0 ? body : body.substring(at + 11, body.indexOf('"', at + 11));
    }

    @Override
    public String name() {
        return "podman " + host();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                List<String> containers = docker("container", "ls", "--all", "--quiet").lines();
                if (!containers.isEmpty()) {
                    List<String> args = new ArrayList<>(List.of("container", "rm", "--force"));
                    args.addAll(containers);
                    docker(args.toArray(String[]::new));
                }
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
}
