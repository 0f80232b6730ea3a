package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gantry --endpoint ID namespaces}: a containerd's namespaces, as {@code ctr namespaces ls}; * marks the one shown. */
@Command(name = "namespaces", description = "List the namespaces of a containerd endpoint (ctr namespaces ls); "
        + "* marks the one --namespace (or the endpoint's default) chooses.")
final class NamespacesCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            if (!store.capabilities().namespaces()) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "list namespaces", store.endpoint().name()
                        + " has no namespaces", null, 0,
                        "Choose a containerd endpoint with --endpoint (gantry endpoints lists them).", null);
            }
            List<String> namespaces = store.namespaces();
            String current = store.namespace().orElse("");
            var out = spec.commandLine().getOut();
            if (output.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (String namespace : namespaces) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", namespace);
                    row.put("current", namespace.equals(current));
                    rows.add(row);
                }
                CliJson.print(out, rows);
                return 0;
            }
            Table table = new Table("NAME");
            for (String namespace : namespaces) {
                table.row(namespace.equals(current) ? namespace + " *" : namespace);
            }
            table.print(out);
        }
        return 0;
    }
}
