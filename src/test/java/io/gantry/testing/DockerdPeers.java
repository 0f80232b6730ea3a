package io.gantry.testing;

import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts daemons of a test's own; each is stopped when the test (or class) that received this
 * object ends. For a test that needs an engine nobody else has touched. Get one as a parameter
 * through {@link DockerdExtension}.
 */
public final class DockerdPeers {

    private final DockerdExtension extension;
    private final ExtensionContext context;

    DockerdPeers(DockerdExtension extension, ExtensionContext context) {
        this.extension = extension;
        this.context = context;
    }

    /** A fresh daemon with the sandbox flags. */
    public DockerdPeer start() {
        return start(List.of());
    }

    /** A fresh daemon with the sandbox flags plus {@code extraFlags}. */
    public DockerdPeer start(List<String> extraFlags) {
        return extension.startOwned(context, extraFlags);
    }
}
