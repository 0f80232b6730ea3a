package io.gantry.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a private containerd: a {@link ContainerdPeer} parameter is the daemon shared by the
 * whole test JVM (started on first use, stopped when the run ends). On a failure its log tail is
 * attached to it. Images of the shared daemon outlive the test that made them: use a namespace of
 * the test's own ({@link FixtureImages#unique}) and assert on it.
 */
public final class ContainerdExtension extends PeerExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(ContainerdExtension.class);

    @Override
    Namespace namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ContainerdPeer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ContainerdPeer shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared-containerd", k -> ContainerdPeer.start(), ContainerdPeer.class);
        inUse(context, shared);
        return shared;
    }
}
