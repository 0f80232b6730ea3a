package io.gantry.core;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.zip.ZipException;

/**
 * A file-system failure in words a user reads: "permission denied: /path", "no such file:
 * /path", never the Java class name that {@link IOException#toString()} starts with.
 *
 * <p>Java's {@link FileSystemException}s carry the path as their message and the reason in their
 * class (a {@link NoSuchFileException}'s message is only the path), so the reason is named here
 * once, for every layer that turns an {@link IOException} into a {@link GantryException}.
 */
public final class IoProblem {

    private IoProblem() {
    }

    /** A {@link ErrorKind#STORAGE} error for {@code operation}, its message {@link #describe}d. */
    public static GantryException storage(String operation, IOException e) {
        return new GantryException(ErrorKind.STORAGE, operation, describe(e), e);
    }

    /**
     * What went wrong with a file or a stream, for a warning: {@link #describe(IOException)} for an
     * I/O failure, a {@link GantryException}'s own words, else the message (a JSON parser's "Unexpected
     * character …"), never the class name {@link Throwable#toString()} starts with.
     */
    public static String describe(Throwable e) {
        if (e instanceof IOException io) {
            return describe(io);
        }
        if (e instanceof GantryException g) {
            return g.describe();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "an unexpected failure" : PeerText.clean(message);
    }

    /** What went wrong, e.g. "permission denied: /var/lib/gantry/index.json". */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            return fileSystem(fs);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return "not valid JSON: " + json(json);
        }
        if (e instanceof EOFException) {
            return withDetail("the file ended early", e.getMessage());
        }
        if (e instanceof ZipException) {
            return withDetail("the compressed data is corrupt", e.getMessage());
        }
        if (e instanceof ClosedByInterruptException) {
            return "interrupted";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "input/output error" : PeerText.clean(message);
    }

    /**
     * A JSON parse failure in words: Jackson's original message without its
     * "(start marker at [Source: …])" aside, then where, "(line 1, column 30)".
     */
    public static String json(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = PeerText.clean(String.valueOf(e.getOriginalMessage()))
                .replaceAll(" ?\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll(" ?\\[Source:[^\\]]*\\]", "");
        return e.getLocation() == null ? message
                : message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String fileSystem(FileSystemException e) {
        String what = e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "it already exists"
                : e instanceof DirectoryNotEmptyException ? "the directory is not empty"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof NotLinkException ? "not a symbolic link"
                : e instanceof FileSystemLoopException ? "a symbolic link loop"
                : e.getReason() != null && !e.getReason().isBlank() ? PeerText.clean(e.getReason())
                : "input/output error";
        StringBuilder text = new StringBuilder(what);
        if (e.getFile() != null) {
            text.append(": ").append(PeerText.clean(e.getFile()));
            if (e.getOtherFile() != null) {
                text.append(" -> ").append(PeerText.clean(e.getOtherFile()));
            }
        }
        return text.toString();
    }

    private static String withDetail(String what, String detail) {
        return detail == null || detail.isBlank() ? what : what + " (" + PeerText.clean(detail) + ")";
    }
}
