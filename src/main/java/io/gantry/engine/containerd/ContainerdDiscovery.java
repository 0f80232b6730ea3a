package io.gantry.engine.containerd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the containerd sockets this user can reach, in this order:
 * <ol>
 *   <li>{@code CONTAINERD_ADDRESS} (as {@code ctr} and {@code nerdctl} read it; listed even when the
 *       socket is missing, since the user named it), with {@code CONTAINERD_NAMESPACE} as the
 *       namespace to show first;</li>
 *   <li>the system's {@code /run/containerd/containerd.sock};</li>
 *   <li>k3s (and Rancher Desktop inside its VM): {@code /run/k3s/containerd/containerd.sock};</li>
 *   <li>the containerd that dockerd runs itself: {@code /run/docker/containerd/containerd.sock};</li>
 *   <li>colima with the containerd runtime: {@code ~/.colima/PROFILE/containerd.sock} and
 *       {@code ~/.config/colima/PROFILE/containerd.sock};</li>
 *   <li>Lima instances whose containerd socket is forwarded to the host:
 *       {@code $LIMA_HOME/INSTANCE/sock/containerd.sock} ({@code LIMA_HOME} defaults to
 *       {@code ~/.lima}), and Rancher Desktop's Lima home on macOS
 *       ({@code ~/Library/Application Support/rancher-desktop/lima}).</li>
 * </ol>
 * Sockets other than {@code CONTAINERD_ADDRESS} are listed only when they exist; whether a daemon
 * answers is for the caller to find out. Everything read is injected: the environment, the home
 * directory and the root that absolute paths are resolved under.
 */
public final class ContainerdDiscovery {

    /** A containerd socket, the name to show it under and the namespace to show first. */
    public record Found(String name, Path socket, String namespace) {
    }

    private final Map<String, String> env;
    private final Path home;
    private final Path root;

    public ContainerdDiscovery(Map<String, String> env, Path home, Path root) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.root = root;
    }

    public List<Found> discover() {
        List<Found> found = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        String namespace = env.getOrDefault("CONTAINERD_NAMESPACE", "").isBlank() ? ContainerdStore.DEFAULT_NAMESPACE
                : env.get("CONTAINERD_NAMESPACE").trim();
        String address = env.getOrDefault("CONTAINERD_ADDRESS", "").trim();
        if (!address.isEmpty()) {
            Path socket = Path.of(address.startsWith("unix://") ? address.substring("unix://".length()) : address);
            seen.add(socket.toAbsolutePath().normalize());
            found.add(new Found("containerd", socket, namespace)); // the tooltip and gantry endpoints show the address
        }
        addIfPresent(found, seen, "containerd", root.resolve("run/containerd/containerd.sock"), namespace);
        addIfPresent(found, seen, "k3s containerd", root.resolve("run/k3s/containerd/containerd.sock"), "k8s.io");
        addIfPresent(found, seen, "dockerd's containerd", root.resolve("run/docker/containerd/containerd.sock"), "moby");
        for (Path colima : List.of(home.resolve(".colima"), home.resolve(".config/colima"))) {
            for (Path profile : children(colima)) {
                addIfPresent(found, seen, "colima " + profile.getFileName() + " containerd",
                        profile.resolve("containerd.sock"), namespace);
            }
        }
        String limaHome = env.getOrDefault("LIMA_HOME", "");
        List<Path> limaHomes = new ArrayList<>();
        limaHomes.add(limaHome.isBlank() ? home.resolve(".lima") : Path.of(limaHome));
        limaHomes.add(home.resolve("Library/Application Support/rancher-desktop/lima"));
        for (Path lima : limaHomes) {
            for (Path instance : children(lima)) {
                String name = lima.toString().contains("rancher-desktop") ? "Rancher Desktop containerd"
                        : "lima " + instance.getFileName() + " containerd";
                addIfPresent(found, seen, name, instance.resolve("sock/containerd.sock"), namespace);
            }
        }
        return found;
    }

    private static void addIfPresent(List<Found> found, Set<Path> seen, String name, Path socket, String namespace) {
        if (Files.exists(socket) && seen.add(socket.toAbsolutePath().normalize())) {
            found.add(new Found(name, socket, namespace));
        }
    }

    private static List<Path> children(Path dir) {
        List<Path> children = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return children;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(children::add);
        } catch (IOException | RuntimeException unreadable) {
            // a directory we may not read holds no socket we could use
        }
        children.sort(null);
        return children;
    }
}
