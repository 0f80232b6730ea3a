package io.gantry.cli;

import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry images}: like {@code docker images}, with shared and unique size. */
@Command(name = "images", description = "List the images of an endpoint.")
final class ImagesCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.opener.open(parent.storeDir())) {
            ImageStore store = parent.endpoint == null ? catalog.defaultStore() : catalog.store(parent.endpoint);
            var out = spec.commandLine().getOut();
            out.printf("%-40s %-20s %-12s %-20s %10s %10s %10s%n",
                    "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED", "UNIQUE");
            for (ImageSummary image : store.listImages()) {
                for (ImageTable.Row row : ImageTable.rows(image)) {
                    out.printf("%-40s %-20s %-12s %-20s %10s %10s %10s%n",
                            row.repository(), row.tag(), image.id().shortHex(), row.createdAgo(),
                            ImageTable.humanSize(image.size()), ImageTable.humanSize(image.sharedSize()),
                            ImageTable.humanSize(image.uniqueSize()));
                }
            }
        }
        return 0;
    }
}
