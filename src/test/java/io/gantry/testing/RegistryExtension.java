package io.gantry.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real registry. A {@link RegistryPeer} parameter is the shared anonymous registry,
 * started once per test JVM on first use; a {@link RegistryPeers} parameter starts registries of
 * the test's own configuration (e.g. with htpasswd), stopped when the test (or, for a
 * {@code @BeforeAll} parameter, the class) ends. On a failure the registry's log tail is shown.
 *
 * <pre>{@code
 * @ExtendWith(RegistryExtension.class)
 * class PullTest {
 *     @Test void pulls(RegistryPeer registry) { registry.pusher().push(image); ... }
 *     @Test void logsIn(RegistryPeers registries) {
 *         RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("alice", "secret"));
 *     }
 * }
 * }</pre>
 *
 * <p>The shared registry is shared by every test class: use {@link FixtureImages#unique} names.
 */
public final class RegistryExtension extends PeerExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(RegistryExtension.class);

    @Override
    Namespace namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RegistryPeer.class || type == RegistryPeers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == RegistryPeers.class) {
            return new RegistryPeers(this, context);
        }
        RegistryPeer shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared-registry", k -> RegistryPeer.start(), RegistryPeer.class);
        inUse(context, shared);
        return shared;
    }

    /** Starts a registry owned by {@code context}: closed with it, its log shown when a test in it fails. */
    RegistryPeer startOwned(ExtensionContext context, RegistryConfig config, ToolFinder tools) {
        RegistryPeer peer = RegistryPeer.start(config, tools);
        context.getStore(NAMESPACE).put(peer, peer);
        inUse(context, peer);
        return peer;
    }
}
