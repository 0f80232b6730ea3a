package io.gantry.cli;

import io.gantry.service.EndpointCatalog;
import io.gantry.service.EndpointStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry endpoints}: the embedded store and every engine found, with kind, version and
 * state; the one the docker CLI would use now is marked {@code *}, as {@code docker context ls} does.
 */
@Command(name = "endpoints", description = "List the endpoints Gantry can see: name, kind, version, state (* = the docker CLI's current one).")
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
            List<EndpointStatus> statuses = EndpointStatus.of(catalog);
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, statuses);
                return 0;
            }
            // an ERROR column (as docker context ls has) only when an endpoint is unavailable
            boolean errors = statuses.stream().anyMatch(s -> !s.error().isEmpty());
            Table table = errors ? new Table("NAME", "KIND", "VERSION", "STATE", "ID", "ADDRESS", "ERROR")
                    : new Table("NAME", "KIND", "VERSION", "STATE", "ID", "ADDRESS");
            for (EndpointStatus s : statuses) {
                String name = s.name() + (s.current() ? " *" : "");
                if (errors) {
                    table.row(name, s.kind(), s.version(), s.state(), s.id(), s.address(), s.error());
                } else {
                    table.row(name, s.kind(), s.version(), s.state(), s.id(), s.address());
                }
            }
            table.print(out);
        }
        return 0;
    }
}
