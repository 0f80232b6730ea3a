package io.gantry.cli;

import io.gantry.registry.RegistryClient;
import io.gantry.registry.Sleeper;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ManifestDrafts;
import io.gantry.service.PullService;
import io.gantry.service.RegistryBrowser;
import io.gantry.service.UpdateCheck;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

/**
 * The CLI over an embedded store in {@code dir/store} with a registry client (the tests' choice):
 * pull, push, registries, the update check and manifest drafts (in {@code dir/manifests}); with
 * {@link #withEngine}, an engine of the harness after it in the catalog.
 */
final class RegistryCli {

    private final Path dir;
    private final Executor executor;
    private final Optional<java.util.function.Supplier<io.gantry.engine.ImageStore>> engine;

    RegistryCli(Path dir, Executor executor) {
        this(dir, executor, Optional.empty());
    }

    private RegistryCli(Path dir, Executor executor, Optional<java.util.function.Supplier<io.gantry.engine.ImageStore>> engine) {
        this.dir = dir;
        this.executor = executor;
        this.engine = engine;
    }

    /** The same CLI with a store {@code engine} opens (each run its own) in the catalog after the embedded store. */
    RegistryCli withEngine(java.util.function.Supplier<io.gantry.engine.ImageStore> engine) {
        return new RegistryCli(dir, executor, Optional.of(engine));
    }

    GantryCliTest.Run run(RegistryClient client, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliServices services = new CliServices() {
            @Override
            public EndpointCatalog open(Optional<Path> storeDir) {
                return open(storeDir, OptionalInt.empty());
            }

            @Override
            public EndpointCatalog open(Optional<Path> storeDir, OptionalInt jobs) {
                OciLayoutStore embedded = OciLayoutStore.open(dir.resolve("store"), StoreOptions.defaults()
                        .withPulls(new StorePulls(client, executor, jobs.orElse(3))));
                return new EndpointCatalog(engine.<List<io.gantry.engine.ImageStore>>map(e -> List.of(embedded, e.get()))
                        .orElse(List.of(embedded)));
            }

            @Override
            public PullService pulls() {
                return new PullService();
            }

            @Override
            public RegistryBrowser registries() {
                return new RegistryBrowser(client);
            }

            @Override
            public UpdateCheck updateCheck() {
                return new UpdateCheck(client, Sleeper.system(), Duration.ZERO);
            }

            @Override
            public io.gantry.service.RegistryCopy registryCopy() {
                return new io.gantry.service.RegistryCopy(() -> client);
            }

            @Override
            public ManifestDrafts manifestDrafts() {
                return new ManifestDrafts(dir.resolve("manifests"), () -> client);
            }
        };
        int code = GantryCli.run(services, new PrintWriter(out), new PrintWriter(err), args);
        return new GantryCliTest.Run(code, out.toString(), err.toString());
    }
}
