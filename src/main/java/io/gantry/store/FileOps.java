package io.gantry.store;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The few file-system steps crash safety rests on: fsync a file and its directory, atomic rename. */
final class FileOps {

    private FileOps() {
    }

    /** Writes {@code content} to a temp file beside {@code target}, fsyncs it, renames it over {@code target}. */
    static void writeAtomically(Path target, byte[] content, Path tmpDir) throws IOException {
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames {@code source} over {@code target} atomically and fsyncs the target's directory. */
    static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically (different file systems?)", e);
        }
        syncDirectory(target.getParent());
    }

    /** Makes a rename or delete in {@code dir} durable; a no-op where directories cannot be opened (Windows). */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform; the rename is still atomic
        }
    }

    /**
     * The error for a failed write: {@code STORAGE}, saying "disk full" when the file system has
     * (almost) no space left, judged from the file store rather than the message text.
     */
    static GantryException writeFailure(String operation, Path where, IOException e) {
        long usable = -1;
        try {
            usable = Files.getFileStore(Files.exists(where) ? where : where.getParent()).getUsableSpace();
        } catch (IOException | RuntimeException ignored) {
            // cannot tell; report the plain error
        }
        if (usable >= 0 && usable < 1024 * 1024) {
            return new GantryException(ErrorKind.STORAGE, operation, "the disk is full (" + IoProblem.describe(e) + ")",
                    "DISK_FULL", 0, "Free some space (gantry prune removes unused images), then try again; a pull resumes where it stopped.", e);
        }
        return new GantryException(ErrorKind.STORAGE, operation, "cannot write " + where + ": " + IoProblem.describe(e), e);
    }
}
