package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private containerd (Debian's 1.6) with the CRI plugin for tests, isolated from any containerd of
 * the machine's: root, state, the gRPC socket (which the CRI plugin serves too), the ttrpc socket,
 * the CNI directories, runc's root, the registry {@code config_path} and the {@code opt} directory
 * all under one short {@code /tmp/gc-…} directory; never {@code /run/containerd}.
 *
 * <p>The configuration is {@code containerd config default} with those paths moved, and with what a
 * sandbox needs: the aufs, btrfs, devmapper and zfs snapshotters disabled, the native snapshotter
 * for the CRI (no overlay mounts), {@code restrict_oom_score_adj = true} (runc may not lower the
 * OOM score here) and the sandbox (pause) image {@link #SANDBOX_IMAGE}, which no registry serves:
 * a test that runs a pod tags a local image with that name first. Pods must use host networking
 * (there is no CNI configuration).
 *
 * <p>{@link #trustRegistry} writes a {@code hosts.toml} so that the CRI pulls from a plain-HTTP
 * test registry; {@link #ctr} runs containerd's own client against this daemon only (for seeding
 * images with {@code images pull --plain-http} and for comparing what Gantry shows with what
 * {@code ctr} says). {@link #close()} kills the containers' tasks and shims, stops the daemon and
 * removes the directory; the log stays in {@code target/peer-logs}.
 */
public final class ContainerdPeer implements Peer {

    /** The CRI's sandbox image: a name no registry serves, so a test tags a local image with it. */
    public static final String SANDBOX_IMAGE = "registry.gantry.test/pause:1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(3);
    private static final int MAX_SOCKET_PATH = 107;

    private final Path dir;
    private final Path ctr;
    private final Map<String, String> env;
    private final PeerProcess process;
    private String sandboxImageId;

    private ContainerdPeer(Path dir, Path ctr, Map<String, String> env, PeerProcess process) {
        this.dir = dir;
        this.ctr = ctr;
        this.env = Map.copyOf(env);
        this.process = process;
    }

    /** Starts a daemon; a missing containerd, ctr or runc fails with the package to install. */
    public static ContainerdPeer start() {
        return start(ToolFinder.fromEnvironment());
    }

    public static ContainerdPeer start(ToolFinder tools) {
        Path containerd = tools.require(RequiredTool.CONTAINERD);
        Path ctr = tools.require(RequiredTool.CTR);
        tools.require(RequiredTool.RUNC);
        Path dir = PeerFiles.newTempDir("gc-");
        if (dir.resolve("containerd.sock.ttrpc").toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalStateException("the temporary directory " + dir + " is too deep for unix sockets");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", dir.resolve("home").toString());
        env.put("TMPDIR", dir.resolve("tmp").toString());
        try {
            for (String sub : List.of("root", "state", "home", "tmp", "cni/bin", "cni/conf", "certs.d", "opt", "runc")) {
                Files.createDirectories(dir.resolve(sub));
            }
            CommandResult defaults = Commands.run(List.of(containerd.toString(), "config", "default"), env, CLI_TIMEOUT)
                    .orFail();
            Path config = Files.writeString(dir.resolve("config.toml"), configFor(defaults.stdout(), dir));
            List<String> command = List.of(containerd.toString(), "--config", config.toString(), "--log-level", "info");
            long started = System.nanoTime();
            PeerProcess process = PeerProcess.start(command, env, dir, PeerFiles.newLogFile("containerd"));
            ContainerdPeer peer = new ContainerdPeer(dir, ctr, env, process);
            if (!peer.awaitReady()) {
                peer.close();
                throw new IllegalStateException("the test containerd did not start (it needs root; see its log)\n"
                        + LogTail.framed(peer, 60));
            }
            process.note("ready in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return peer;
        } catch (IOException e) {
            PeerFiles.deleteRecursively(dir);
            throw new UncheckedIOException("cannot prepare the test containerd in " + dir, e);
        }
    }

    /** {@code containerd config default} with every path moved under {@code dir} and the sandbox settings. */
    static String configFor(String defaults, Path dir) {
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("disabled_plugins = []", "disabled_plugins = [\"io.containerd.snapshotter.v1.aufs\", "
                + "\"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.devmapper\", "
                + "\"io.containerd.snapshotter.v1.zfs\"]");
        replacements.put("root = \"/var/lib/containerd\"", "root = \"" + dir.resolve("root") + "\"");
        replacements.put("state = \"/run/containerd\"", "state = \"" + dir.resolve("state") + "\"");
        replacements.put("address = \"/run/containerd/containerd.sock\"", "address = \"" + dir.resolve("containerd.sock") + "\"");
        replacements.put("restrict_oom_score_adj = false", "restrict_oom_score_adj = true");
        replacements.put("sandbox_image = \"registry.k8s.io/pause:3.6\"", "sandbox_image = \"" + SANDBOX_IMAGE + "\"");
        replacements.put("bin_dir = \"/opt/cni/bin\"", "bin_dir = \"" + dir.resolve("cni/bin") + "\"");
        replacements.put("conf_dir = \"/etc/cni/net.d\"", "conf_dir = \"" + dir.resolve("cni/conf") + "\"");
        replacements.put("snapshotter = \"overlayfs\"", "snapshotter = \"native\"");
        replacements.put("config_path = \"\"", "config_path = \"" + dir.resolve("certs.d") + "\"");
        replacements.put("path = \"/opt/containerd\"", "path = \"" + dir.resolve("opt") + "\"");
        replacements.put("Root = \"\"", "Root = \"" + dir.resolve("runc") + "\"");
        String config = defaults;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!config.contains(r.getKey())) {
                throw new IllegalStateException("containerd config default has no line " + r.getKey()
                        + "; the harness knows containerd 1.6's defaults");
            }
            config = config.replace(r.getKey(), r.getValue());
        }
        if (config.contains("/run/containerd") || config.contains("/var/lib/containerd")) {
            throw new IllegalStateException("the test containerd's configuration still names the host's paths");
        }
        return config;
    }

    private boolean awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (Files.exists(socket()) && ctr("version").succeeded()) {
                return true;
            }
            RegistryPeer.sleep(Duration.ofMillis(100));
        }
        return false;
    }

    // ---- where it is -----------------------------------------------------------------------

    /** The gRPC socket (containerd's API and the CRI), e.g. {@code /tmp/gc-123/containerd.sock}. */
    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** {@code unix:///tmp/gc-…/containerd.sock}, as {@code CONTAINERD_ADDRESS} may give it. */
    public String address() {
        return "unix://" + socket();
    }

    /** The daemon's process ID (a benchmark reads its CPU time from {@code /proc/PID/stat}). */
    public long pid() {
        return process.pid();
    }

    /** containerd's {@code root}: the content store is {@code root/io.containerd.content.v1.content}. */
    public Path root() {
        return dir.resolve("root");
    }

    /** Where the content store keeps its blobs, {@code blobs/sha256/<hex>}. */
    public Path contentStore() {
        return root().resolve("io.containerd.content.v1.content");
    }

    // ---- its own client ----------------------------------------------------------------------

    /** Runs {@code ctr -a SOCKET -n NAMESPACE ARGS}; returns the result whether it failed or not. */
    public CommandResult ctr(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of(ctr.toString(), "--address", socket().toString(),
                "--namespace", namespace));
        command.addAll(List.of(args));
        return Commands.run(command, env, CLI_TIMEOUT);
    }

    /** {@link #ctr(String, String...)} that fails the test when the command fails. */
    public CommandResult ctrOk(String namespace, String... args) {
        return ctr(namespace, args).orFail();
    }

    /**
     * Pulls a plain-HTTP reference into {@code namespace} with {@code ctr images pull --plain-http},
     * unpacked with the native snapshotter (as the CRI would); returns the reference.
     */
    public String pull(String namespace, String reference) {
        ctrOk(namespace, "images", "pull", "--plain-http", "--snapshotter", "native", reference);
        return reference;
    }

    /** The server's version, as {@code ctr version} prints it under "Server:" (e.g. {@code 1.6.20~ds1}). */
    public String version() {
        String out = ctrOk("default", "version").stdout();
        int server = out.indexOf("Server:");
        int at = out.indexOf("Version:", server < 0 ? 0 : server);
        if (server < 0 || at < 0) {
            throw new AssertionError("ctr version printed no server version:\n" + out);
        }
        return out.substring(at + "Version:".length()).lines().findFirst().orElse("").trim();
    }

    /**
     * Lets the CRI pull from a plain-HTTP registry at {@code hostPort} ({@code certs.d/HOST:PORT/hosts.toml},
     * read at each pull). {@code ctr} needs {@code --plain-http} instead.
     */
    public void trustRegistry(String hostPort) {
        try {
            Path hosts = Files.createDirectories(dir.resolve("certs.d").resolve(hostPort));
            Files.writeString(hosts.resolve("hosts.toml"), """
                    server = "http://%1$s"

                    [host."http://%1$s"]
                      capabilities = ["pull", "resolve"]
                      skip_verify = true
                    """.formatted(hostPort), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry configuration for " + hostPort, e);
        }
    }

    /**
     * Makes {@link #SANDBOX_IMAGE} exist in {@code k8s.io}, so that the CRI can run pods offline: a
     * pause-like image of the host's static busybox ({@code sleep} for a day) pushed to
     * {@code registry}, pulled and unpacked with {@code ctr}, and tagged with the sandbox image's
     * name (the CRI sees the new name through containerd's events). Once per daemon; returns the
     * image's ID.
     */
    public synchronized String provideSandboxImage(RegistryPeer registry) {
        if (sandboxImageId == null) {
            FixtureImage pause = new FixtureImages().busybox("gantry-test/pause").tag("1")
                    .cmd("/bin/busybox", "sleep", "86400");
            registry.pusher().push(pause);
            String ref = pull("k8s.io", pause.reference(registry.hostPort()));
            ctrOk("k8s.io", "images", "tag", "--force", ref, SANDBOX_IMAGE);
            sandboxImageId = pause.imageId();
        }
        return sandboxImageId;
    }

    // ---- lifecycle -------------------------------------------------------------------------

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public String name() {
        return "containerd " + address();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                killTasks();
            } catch (RuntimeException | AssertionError ignored) {
                // stopping matters more than a clean task list
            }
        }
        process.stop(STOP_GRACE);
        killShims();
        PeerFiles.deleteRecursively(dir);
    }

    /** Kills and deletes every task (running container) of every namespace, so no shim outlives the test. */
    private void killTasks() {
        for (String namespace : ctr("default", "namespaces", "ls", "-q").lines()) {
            for (String task : ctr(namespace, "tasks", "ls", "-q").lines()) {
                ctr(namespace, "tasks", "kill", "-s", "SIGKILL", task);
                ctr(namespace, "tasks", "rm", "-f", task);
            }
        }
    }

    /**
     * The runc shims this daemon started re-parent to init, so stopping the daemon does not stop
     * them: each is found by the socket address on its command line and killed by its process ID.
     */
    private void killShims() {
        String marker = socket().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("containerd-shim") && c.contains(marker))
                        .orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return name();
    }
}
