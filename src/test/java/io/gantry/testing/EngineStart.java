package io.gantry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Waiting for a private engine (dockerd, the Podman service) that was just started: it is ready
 * when {@code GET /_ping} on its socket answers 200. Shared by {@link DockerdPeer} and
 * {@link PodmanPeer}, which start their engines differently but wait for them alike.
 */
final class EngineStart {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private EngineStart() {
    }

    /** Polls the socket until the engine answers its ping, the process dies or {@link #TIMEOUT} passes. */
    static boolean awaitPing(Path socket, PeerProcess process) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (Files.exists(socket)) {
                try {
                    if (UnixSocketHttp.get(socket, "/_ping").status() == 200) {
                        return true;
                    }
                } catch (IOException notYetServing) {
                    // keep polling
                }
            }
            RegistryPeer.sleep(Duration.ofMillis(50));
        }
        return false;
    }

    /**
     * Waits for a just-started engine; when it does not answer, stops it, removes its directory and
     * fails with the end of its log. {@code what} names it ("the test dockerd").
     */
    static void awaitStarted(Peer peer, Path socket, PeerProcess process, Path dir, String what) {
        long started = System.nanoTime();
        if (!awaitPing(socket, process)) {
            process.stop(Duration.ofSeconds(10));
            PeerFiles.deleteRecursively(dir);
            throw new IllegalStateException(what + " did not start (it needs root; see its log)\n"
                    + LogTail.framed(peer, 60));
        }
        process.note("ready in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
}
