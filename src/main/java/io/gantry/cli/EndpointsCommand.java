package io.gantry.cli;

import io.gantry.engine.Endpoint;
import io.gantry.service.EndpointCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry endpoints}: the embedded store and every engine found. */
@Command(name = "endpoints", description = "List the endpoints Gantry can see.")
final class EndpointsCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openAll()) {
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, catalog.endpoints());
                return 0;
            }
            out.printf("%-40s %-9s %s%n", "ID", "KIND", "ADDRESS");
            for (Endpoint endpoint : catalog.endpoints()) {
                out.printf("%-40s %-9s %s%n", endpoint.id(), endpoint.kind().name().toLowerCase(), endpoint.address());
            }
        }
        return 0;
    }
}
