package io.gantry.testing;

import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a private Docker daemon. A {@link DockerdPeer} parameter is the daemon shared by the
 * whole test JVM (started on first use, a second or so; stopped when the run ends); a
 * {@link DockerdPeers} parameter starts daemons of the test's own. On a failure the daemon's log
 * tail is attached to it.
 *
 * <pre>{@code
 * @ExtendWith(DockerdExtension.class)
 * class DeleteTest {
 *     @Test void refusesWhenInUse(DockerdPeer dockerd) {
 *         FixtureImage app = images.image(FixtureImages.unique("app")).layer(l -> l.file("a", "a"));
 *         dockerd.load(app);
 *         dockerd.createContainer(app);
 *         // … Gantry's engine store over dockerd.host() …
 *     }
 * }
 * }</pre>
 *
 * <p>Images and containers of the shared daemon outlive the test that made them: use
 * {@link FixtureImages#unique} names and assert on your own images, not on the whole list.
 */
public final class DockerdExtension extends PeerExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(DockerdExtension.class);

    @Override
    Namespace namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DockerdPeer.class || type == DockerdPeers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == DockerdPeers.class) {
            return new DockerdPeers(this, context);
        }
        DockerdPeer shared = shared(context);
        inUse(context, shared);
        return shared;
    }

    /** The daemon shared by the whole test JVM, started on first use. */
    static DockerdPeer shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared-dockerd", k -> DockerdPeer.start(), DockerdPeer.class);
    }

    /** Starts a daemon owned by {@code context}: closed with it, its log shown when a test in it fails. */
    DockerdPeer startOwned(ExtensionContext context, List<String> extraFlags) {
        DockerdPeer peer = DockerdPeer.start(ToolFinder.fromEnvironment(), extraFlags);
        context.getStore(NAMESPACE).put(peer, peer);
        inUse(context, peer);
        return peer;
    }
}
