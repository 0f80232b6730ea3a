package io.gantry.testing;

import java.nio.file.Path;

/**
 * A real server a test talks to (the registry, the Docker daemon), started by the harness. Every
 * peer writes its log to a file, so a failed test can show what the server said.
 */
public interface Peer extends AutoCloseable {

    /** A short name for messages, such as {@code registry 127.0.0.1:41234}. */
    String name();

    /** The file the peer's standard output and error go to; it survives {@link #close()}. */
    Path logFile();

    /** The last {@code lines} lines of the log. */
    default String logTail(int lines) {
        return LogTail.of(logFile(), lines);
    }

    /** Stops the peer and removes its data; never throws. */
    @Override
    void close();
}
