package io.gantry.app;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.engine.docker.EngineDiscovery;
import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The composition root: builds the services the GUI and the CLI run on. */
public final class Gantry {

    private final AppPaths paths;
    private final Map<String, String> env;

    public Gantry(AppPaths paths, Map<String, String> env) {
        this.paths = paths;
        this.env = Map.copyOf(env);
    }

    public AppPaths paths() {
        return paths;
    }

    /** The embedded store at {@code storeDir}, then every Docker-compatible engine found. */
    public EndpointCatalog openCatalog(Path storeDir) {
        List<ImageStore> stores = new ArrayList<>();
        stores.add(OciLayoutStore.open(storeDir));
        EngineDiscovery discovery = new EngineDiscovery(env, Path.of(System.getProperty("user.home")),
                Path.of("/").toAbsolutePath().getRoot(), System.getProperty("os.name", ""));
        // Engine pulls are anonymous until the registry's credential chain is adapted to EngineCredentials.
        for (EngineAddress address : discovery.discover()) {
            stores.add(DockerEngineStore.of(address, EngineCredentials.anonymous()));
        }
        return new EndpointCatalog(stores);
    }
}
