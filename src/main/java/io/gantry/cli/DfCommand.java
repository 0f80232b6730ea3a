package io.gantry.cli;

import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageSummary;
import io.gantry.service.DiskUsage;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageListing;
import io.gantry.service.ImageTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry df [-v]}: like {@code docker system df [-v]} for images and containers, shared layers once. */
@Command(name = "df", description = "Show the disk the images use, shared layers once, as docker system df [-v].")
final class DfCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = {"-v", "--verbose"}, description = "Every image and container, as docker system df -v.")
    boolean verbose;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            DiskUsage usage = DiskUsage.of(parent.store(catalog));
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, usage);
                return 0;
            }
            OptionalLong containersSize = usage.containersSize();
            if (verbose) {
                printVerbose(out, usage);
            } else {
                new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE")
                        .row("Images", usage.images().size(), usage.activeImages(), DiskUsage.humanSize(usage.imagesSize()),
                                DiskUsage.reclaimableCell(usage.reclaimable(), usage.imagesSize()))
                        .row("Containers", usage.containers().size(), usage.runningContainers(),
                                containersSize.isPresent() ? DiskUsage.humanSize(containersSize.getAsLong()) : "-",
                                containersSize.isPresent() ? DiskUsage.reclaimableCell(
                                        usage.containersReclaimable().getAsLong(), containersSize.getAsLong()) : "-")
                        .print(out);
            }
            if (usage.sizesCompressed()) {
                out.println("(sizes of the compressed layer blobs the embedded store keeps)");
            }
            if (containersSize.isEmpty()) {
                out.println("(container sizes are not shown: this endpoint does not report them)");
            }
        }
        return 0;
    }

    /** As {@code docker system df -v}: the images, then the containers, without the summary table. */
    private static void printVerbose(PrintWriter out, DiskUsage usage) {
        out.println("Images space usage:");
        out.println();
        Table images = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE",
                "CONTAINERS");
        Instant now = Instant.now();
        for (ImageSummary image : usage.images()) {
            for (ImageListing.Row row : ImageListing.rowsOf(image)) {
                images.row(row.repository(), row.tag(), image.id().shortHex(), ImageTable.ago(image.created(), now),
                        ImageTable.humanSize(image.size()), DiskUsage.humanSize(image.sharedSize()),
                        DiskUsage.humanSize(image.uniqueSize()), image.containers());
            }
        }
        images.print(out);
        out.println();
        out.println("Containers space usage:");
        out.println();
        Table containers = new Table("CONTAINER ID", "IMAGE", "SIZE", "CREATED", "STATUS", "NAMES");
        for (ContainerRef c : usage.containers()) {
            String size = usage.containerSizes().map(m -> m.get(c.id())).map(DiskUsage::humanSize).orElse("-");
            containers.row(c.shortId(), c.image(), size, ImageTable.ago(c.created(), now), c.status(), c.name());
        }
        containers.print(out);
        out.println();
    }
}
