package io.gantry.cli;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.EnginePeer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CLI over an embedded store in {@code storeDir} and the harness's private dockerd (never the
 * user's): {@link #onEngine} runs a command with {@code --endpoint} naming the dockerd.
 */
final class EngineCli {

    private final EnginePeer dockerd;
    private final Path storeDir;

    EngineCli(EnginePeer dockerd, Path storeDir) {
        this.dockerd = dockerd;
        this.storeDir = storeDir;
    }

    /** The endpoint ID the dockerd gets. */
    String endpointId() {
        try (DockerEngineStore store = engine()) {
            return store.endpoint().id();
        }
    }

    DockerEngineStore engine() {
        return DockerEngineStore.of(new EngineAddress("test dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true), EngineCredentials.anonymous());
    }

    /** Runs with only the embedded store in the catalog (no engine found by discovery). */
    GantryCliTest.Run runWithoutEngines(String... args) {
        return run(false, args);
    }

    GantryCliTest.Run run(String... args) {
        return run(true, args);
    }

    /**
     * Runs the CLI over the embedded store in {@code storeDir}, with the dockerd in the catalog when
     * {@code withEngine}; an {@code --endpoint} address opens an engine at that address either way.
     */
    private GantryCliTest.Run run(boolean withEngine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--store", storeDir.toString()));
        all.addAll(List.of(args));
        CliServices services = new CliServices() {
            @Override
            public EndpointCatalog open(Optional<Path> dir) {
                OciLayoutStore embedded = OciLayoutStore.open(dir.orElseThrow());
                return new EndpointCatalog(withEngine ? List.of(embedded, engine()) : List.of(embedded));
            }

            @Override
            public io.gantry.service.RegistryBrowser registries() {
                return new io.gantry.service.RegistryBrowser(io.gantry.registry.RegistryClient.builder().build());
            }

            @Override
            public Optional<io.gantry.engine.ImageStore> openEngine(String host) {
                return Optional.of(DockerEngineStore.of(new EngineAddress(host, host, EngineAddress.Source.CONTEXT,
                        false, Optional.empty(), false), EngineCredentials.anonymous()));
            }
        };
        int code = GantryCli.run(services, new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new GantryCliTest.Run(code, out.toString(), err.toString());
    }

    GantryCliTest.Run onEngine(String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoint", endpointId()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }
}
