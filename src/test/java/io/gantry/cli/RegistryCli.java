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
 * pull, push, registries, the update check and manifest drafts (in {@code dir/manifests}).
 */
final class RegistryCli {

    private final Path dir;
    private final Executor executor;

    RegistryCli(Path dir, Executor executor) {
        this.dir = dir;
        this.executor = executor;
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
                return new EndpointCatalog(List.of(OciLayoutStore.open(dir.resolve("store"), StoreOptions.defaults()
                        .withPulls(new StorePulls(client, executor, jobs.orElse(3))))));
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
