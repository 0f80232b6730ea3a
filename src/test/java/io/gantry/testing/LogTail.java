package io.gantry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/** The end of a peer's log file, framed for a failure message. */
final class LogTail {

    private LogTail() {
    }

    /** The last {@code lines} lines of {@code file}, or a note when it cannot be read. */
    static String of(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        Deque<String> tail = new ArrayDeque<>(lines);
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
        return String.join("\n", tail);
    }

    /** A block naming the peer and its log file, with the log's last lines. */
    static String framed(Peer peer, int lines) {
        return "----- last " + lines + " lines of " + peer.name() + " (" + peer.logFile() + ") -----\n"
                + of(peer.logFile(), lines) + "\n----- end of " + peer.name() + " -----";
    }

    /** The framed tails of several peers, one after another. */
    static String framed(List<? extends Peer> peers, int lines) {
        return String.join("\n", peers.stream().map(peer -> framed(peer, lines)).toList());
    }
}
