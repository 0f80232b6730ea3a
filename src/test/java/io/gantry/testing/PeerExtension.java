package io.gantry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * What the registry and dockerd extensions share: a peer given to a test is remembered in that
 * test's (or its class's) extension context, and when the test fails the last lines of those
 * peers' logs are attached to the failure as a suppressed {@link PeerLogTail}, which Surefire
 * prints with the failure on the console and in its report.
 *
 * <p>Shared peers live in the root context's store and are closed by JUnit when the test JVM's
 * run ends (the store closes {@link AutoCloseable} values); fresh peers live in the store of the
 * context that asked for them and are closed when that test or class ends.
 */
abstract class PeerExtension implements AfterTestExecutionCallback {

    static final int TAIL_LINES = 60;
    private static final String IN_USE = "peers-in-use";

    /** The peers one context has handed out; a plain holder, so the store never closes it. */
    private static final class InUse {
        private final List<Peer> peers = new ArrayList<>();

        synchronized void add(Peer peer) {
            if (peers.stream().noneMatch(p -> p == peer)) {
                peers.add(peer);
            }
        }

        synchronized List<Peer> peers() {
            return List.copyOf(peers);
        }
    }

    /** The namespace of this extension's store entries. */
    abstract Namespace namespace();

    /** Remembers that the test (or class) of {@code context} uses {@code peer}. */
    final void inUse(ExtensionContext context, Peer peer) {
        context.getStore(namespace()).getOrComputeIfAbsent(IN_USE, k -> new InUse(), InUse.class).add(peer);
    }

    /** The peers in use by {@code context} and the contexts around it (class, enclosing classes). */
    final List<Peer> peersInUse(ExtensionContext context) {
        List<Peer> all = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            InUse inUse = c.get().getStore(namespace()).get(IN_USE, InUse.class);
            if (inUse != null) {
                inUse.peers().stream().filter(p -> all.stream().noneMatch(q -> q == p)).forEach(all::add);
            }
        }
        return all;
    }

    @Override
    public final void afterTestExecution(ExtensionContext context) {
        Optional<Throwable> failure = context.getExecutionException();
        List<Peer> peers = peersInUse(context);
        if (failure.isEmpty() || peers.isEmpty()) {
            return;
        }
        // Surefire prints suppressed exceptions on the console and in its report, right under the failure.
        failure.get().addSuppressed(new PeerLogTail(LogTail.framed(peers, TAIL_LINES)));
    }
}
