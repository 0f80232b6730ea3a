package io.gantry.cli;

import io.gantry.engine.Capabilities.Capability;
import io.gantry.service.EndpointCatalog;
import io.gantry.engine.LoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry load -i FILE}: a docker save or OCI archive (gzipped or not) into the embedded store. */
@Command(name = "load", description = "Load images from a docker save archive or an OCI archive (plain or gzipped).")
final class LoadCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "The archive (default: standard input).")
    Path input;

    @Override
    public Integer call() {
        if (input != null && !java.nio.file.Files.exists(input)) {
            throw new io.gantry.core.GantryException(io.gantry.core.ErrorKind.NOT_FOUND, "load " + input,
                    "no such file", null, 0, "Check the path given to -i.", null);
        }
        try (EndpointCatalog catalog = parent.openCatalog(java.util.OptionalInt.empty(), true)) {
            var store = parent.storeThatCan(catalog, Capability.LOAD, "load");
            LoadResult result = input == null ? store.load(System.in) : store.load(input);
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, result);
                return 0;
            }
            for (LoadResult.Loaded image : result.images()) {
                if (image.names().isEmpty()) {
                    out.println("Loaded image ID: " + image.id());
                } else {
                    image.names().forEach(name -> out.println("Loaded image: " + name));
                }
            }
        }
        return 0;
    }
}
