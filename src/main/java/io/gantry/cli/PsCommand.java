package io.gantry.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageStore;
import io.gantry.service.DiskUsage;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    @Option(names = {"-s", "--size"}, description = "Show each container's writable layer (docker's SIZE without its "
            + "\"virtual\" part). Asks the engine to measure every container, which can take a while.")
    boolean size;

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
            Map<String, Long> sizes = size && !quiet ? store.containerSizes().orElseThrow(() -> new GantryException(
                    ErrorKind.INVALID_INPUT, "measure containers", store.endpoint().name() + " does not report container sizes",
                    null, 0, "Leave out --size.", null)) : Map.of();
            if (output.json()) {
                CliJson.print(out, size ? containers.stream().map(c -> new Sized(c, sizes.get(c.id()))).toList() : containers);
                return 0;
            }
            if (quiet) {
                containers.forEach(c -> out.println(c.shortId()));
                out.flush();
                return 0;
            }
            Table table = size ? new Table("CONTAINER ID", "IMAGE", "IMAGE ID", "CREATED", "STATE", "STATUS", "SIZE", "NAMES")
                    : new Table("CONTAINER ID", "IMAGE", "IMAGE ID", "CREATED", "STATE", "STATUS", "NAMES");
            Instant now = Instant.now();
            for (ContainerRef c : containers) {
                List<Object> cells = new java.util.ArrayList<>(List.of(c.shortId(), c.image(), c.imageId().shortHex(),
                        ImageTable.ago(c.created(), now), c.state().name().toLowerCase(java.util.Locale.ROOT), c.status()));
                if (size) {
                    Long rw = sizes.get(c.id());
                    cells.add(rw == null ? "-" : DiskUsage.humanSize(rw));
                }
                cells.add(c.name());
                table.row(cells.toArray());
            }
            table.print(out);
        }
        return 0;
    }

    /** A container with its writable layer's size ({@code ps -s --format json}, key {@code sizeRw}); null when the engine had none. */
    record Sized(@JsonUnwrapped ContainerRef container, @JsonProperty("sizeRw") Long sizeRw) {
    }
}
