package io.gantry.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the programs the peers run ({@code docker-registry}, {@code dockerd}, {@code docker},
 * {@code busybox}) in a list of directories.
 *
 * <p>The directories are injected so a test can point the finder at an empty directory and check
 * the message a missing program gives. {@link #fromEnvironment()} searches {@code PATH} and then the
 * usual system directories, because Maven is often started with a {@code PATH} that lacks
 * {@code /usr/sbin} (where Debian puts {@code dockerd}).
 */
public final class ToolFinder {

    private static final List<String> SYSTEM_DIRS = List.of(
            "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private final List<Path> searchPath;

    public ToolFinder(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** Searches this process's {@code PATH}, then the system directories. */
    public static ToolFinder fromEnvironment() {
        return fromPathVariable(System.getenv());
    }

    /** Searches {@code env.get("PATH")}, then the system directories. */
    static ToolFinder fromPathVariable(Map<String, String> env) {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir));
            }
        }
        SYSTEM_DIRS.forEach(dir -> dirs.add(Path.of(dir)));
        return new ToolFinder(new ArrayList<>(dirs));
    }

    public List<Path> searchPath() {
        return searchPath;
    }

    /** The first executable named {@code tool.command()}, if any. */
    public Optional<Path> find(RequiredTool tool) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(tool.command());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The tool's path; throws {@link MissingToolException} with the install command when absent. */
    public Path require(RequiredTool tool) {
        return find(tool).orElseThrow(() -> new MissingToolException(tool, ""));
    }

    /**
     * A statically linked busybox: a {@code FROM scratch} image has no dynamic loader, so the
     * dynamically linked busybox of Debian's {@code busybox} package cannot run in it.
     */
    public Path requireStaticBusybox() {
        Path busybox = require(RequiredTool.BUSYBOX);
        if (!ElfFile.isStaticallyLinked(busybox)) {
            throw new MissingToolException(RequiredTool.BUSYBOX,
                    busybox + " is dynamically linked; a FROM scratch image needs the static one");
        }
        return busybox;
    }
}
