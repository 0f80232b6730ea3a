package io.gantry.cli;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry ps}: every container, running and stopped, with its image and state (docker ps -a). */
@Command(name = "ps", aliases = "containers", description = "List every container (running and stopped) with its image and state.")
final class PsCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Only the containers of this image (name or ID).")
    String image;

    @Option(names = {"-q", "--quiet"}, description = "Only container IDs.")
    boolean quiet;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<ContainerRef> containers;
            if (image != null) {
                Digest id = store.inspect(ImageKey.parse(image)).id();
                containers = store.containersUsing(id);
            } else {
                containers = store.containers();
            }
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, containers);
                return 0;
            }
            if (quiet) {
                containers.forEach(c -> out.println(c.shortId()));
                out.flush();
                return 0;
            }
            Table table = new Table("CONTAINER ID", "IMAGE", "IMAGE ID", "CREATED", "STATE", "STATUS", "NAMES");
            Instant now = Instant.now();
            for (ContainerRef c : containers) {
                table.row(c.shortId(), c.image(), c.imageId().shortHex(), ImageTable.ago(c.created(), now),
                        c.state().name().toLowerCase(java.util.Locale.ROOT), c.status(), c.name());
            }
            table.print(out);
        }
        return 0;
    }
}
