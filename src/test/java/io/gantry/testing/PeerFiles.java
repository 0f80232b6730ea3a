package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Where peers keep their files: data in fresh temporary directories (removed on close), logs in
 * {@code target/peer-logs} so they can still be read after a failed build (CI keeps {@code target}).
 * The system property {@code gantry.peerLogs} moves the logs elsewhere.
 */
final class PeerFiles {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private PeerFiles() {
    }

    /** A new, empty log file named after the peer, e.g. {@code target/peer-logs/dockerd-3-12345.log}. */
    static Path newLogFile(String peerKind) {
        String configured = System.getProperty("gantry.peerLogs");
        Path dir;
        if (configured != null) {
            dir = Path.of(configured);
        } else if (Files.isDirectory(Path.of("target"))) {
            dir = Path.of("target", "peer-logs");
        } else {
            dir = Path.of(System.getProperty("java.io.tmpdir"), "gantry-peer-logs");
        }
        try {
            Files.createDirectories(dir);
            String name = peerKind + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".log";
            Path file = dir.resolve(name).toAbsolutePath();
            Files.deleteIfExists(file);
            return Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file in " + dir, e);
        }
    }

    /** A new temporary directory under {@code /tmp} (short, because unix socket paths must be short). */
    static Path newTempDir(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * Removes {@code dir} and everything under it, ignoring what cannot be removed (best effort).
     * Never descends into a mount point (a daemon killed hard can leave one behind), so nothing
     * outside {@code dir} is ever deleted.
     */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<Path> mountPoints = mountPointsUnder(dir);
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return mountPoints.contains(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    deleteQuietly(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: a leftover directory under /tmp is not worth failing a test for
        }
    }

    private static Set<Path> mountPointsUnder(Path dir) {
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mounts)) {
            return Set.of();
        }
        try {
            return Files.readAllLines(mounts).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 1)
                    .map(fields -> Path.of(fields[1].replace("\\040", " ")))
                    .filter(mountPoint -> mountPoint.startsWith(dir))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
