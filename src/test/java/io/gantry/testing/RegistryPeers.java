package io.gantry.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts registries of a test's own configuration; each is stopped when the test (or class) that
 * received this object ends. Get one as a parameter through {@link RegistryExtension}.
 */
public final class RegistryPeers {

    private final RegistryExtension extension;
    private final ExtensionContext context;

    RegistryPeers(RegistryExtension extension, ExtensionContext context) {
        this.extension = extension;
        this.context = context;
    }

    /** A fresh anonymous registry, for a test that must see an empty one. */
    public RegistryPeer start() {
        return start(RegistryConfig.anonymous());
    }

    /** A fresh registry configured by {@code config}. */
    public RegistryPeer start(RegistryConfig config) {
        return extension.startOwned(context, config, ToolFinder.fromEnvironment());
    }
}
