package io.gantry.store;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gantry's working files under {@code .gantry}: this process's temp directory (its session,
 * locked for the process's lifetime so others know it is alive), and the cleaning of what dead
 * processes left behind (their temp directories, partial downloads older than a week).
 */
final class WorkFiles {

    private static final Logger log = LoggerFactory.getLogger(WorkFiles.class);
    private static final Duration PARTIAL_MAX_AGE = Duration.ofDays(7);

    private final LayoutPaths paths;
    private final Clock clock;
    private final Object sessionMonitor = new Object();
    private Path sessionDir;
    private FileChannel sessionLockChannel;
    private FileLock sessionLock;
    private boolean closed;

    /** False for a store Gantry may not write to: the session lives in the system's temp directory. */
    private final boolean writable;

    WorkFiles(LayoutPaths paths, Clock clock, boolean writable) {
        this.paths = paths;
        this.clock = clock;
        this.writable = writable;
    }

    WorkFiles(LayoutPaths paths, Clock clock) {
        this(paths, clock, true);
    }

    /** This process's temp directory, created on first use and locked for its lifetime. */
    Path session() {
        synchronized (sessionMonitor) {
            if (closed) {
                throw new GantryException(ErrorKind.INTERNAL, "use store " + paths.root(), "the store is closed");
            }
            if (sessionDir == null && !writable) {
                try {
                    sessionDir = Files.createTempDirectory("gantry-read-only-store-");
                } catch (IOException e) {
                    throw FileOps.writeFailure("create a temp directory", Path.of(System.getProperty("java.io.tmpdir")), e);
                }
            }
            if (sessionDir == null) {
                String id = UUID.randomUUID().toString();
                Path lockFile = paths.tmp().resolve(id + ".lock");
                try {
                    Files.createDirectories(paths.tmp());
                    sessionLockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    sessionLock = sessionLockChannel.lock();
                    sessionDir = Files.createDirectories(paths.tmp().resolve(id));
                } catch (IOException e) {
                    throw FileOps.writeFailure("create a temp directory in " + paths.root(), paths.tmp(), e);
                }
            }
            return sessionDir;
        }
    }

    /**
     * Removes what dead processes left under {@code .gantry}: temp directories whose owner's lock is
     * free, partial downloads older than a week, lock files of finished partials. Call with the
     * store held exclusively (or {@code dryRun} to count).
     */
    int clean(boolean dryRun) {
        int count = cleanDeadSessions(dryRun);
        Instant cutoff = clock.instant().minus(PARTIAL_MAX_AGE);
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(paths.partials())) {
            for (Path file : partials) {
                String name = file.getFileName().toString();
                boolean lockFile = name.endsWith(".lock");
                Path partial = lockFile ? file.resolveSibling(name.substring(0, name.length() - 5)) : file;
                boolean stale = lockFile ? !Files.exists(partial)
                        : Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
                if (stale) {
                    count++;
                    if (!dryRun) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // nothing partial
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", paths.partials(), e.toString());
        }
        return count;
    }

    /** Temp directories under {@code .gantry/tmp} whose owner died (its session lock is free). */
    int cleanDeadSessions(boolean dryRun) {
        int count = 0;
        try (DirectoryStream<Path> sessions = Files.newDirectoryStream(paths.tmp())) {
            for (Path path : sessions) {
                String name = path.getFileName().toString();
                if (name.endsWith(".lock")) {
                    continue;
                }
                Path lockFile = path.resolveSibling(name + ".lock");
                synchronized (sessionMonitor) {
                    if (path.equals(sessionDir)) {
                        continue;
                    }
                }
                if (ownerIsDead(lockFile)) {
                    count++;
                    if (!dryRun) {
                        deleteTree(path);
                        Files.deleteIfExists(lockFile);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // no temp dir yet
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", paths.tmp(), e.toString());
        }
        return count;
    }

    private static boolean ownerIsDead(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes this process's temp directory and releases its lock; later {@link #session()} calls fail. */
    void close() {
        synchronized (sessionMonitor) {
            if (closed) {
                return;
            }
            closed = true;
            if (sessionDir != null) {
                try {
                    deleteTree(sessionDir);
                } catch (IOException | UncheckedIOException e) {
                    log.debug("cannot remove {}: {}", sessionDir, e.toString());
                }
                if (sessionLock == null) {
                    return; // a read-only store's session in the system's temp directory
                }
                try {
                    sessionLock.release();
                    sessionLockChannel.close();
                    Files.deleteIfExists(paths.tmp().resolve(sessionDir.getFileName() + ".lock"));
                } catch (IOException e) {
                    log.debug("cannot release the session lock: {}", e.toString());
                }
            }
        }
    }
}
