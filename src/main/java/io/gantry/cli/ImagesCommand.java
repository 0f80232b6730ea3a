package io.gantry.cli;

import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry images}: like {@code docker images}, with shared and unique size. */
@Command(name = "images", description = "List the images of an endpoint, with SIZE, SHARED and UNIQUE as docker system df -v counts them.")
final class ImagesCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = "--dangling", description = "Only untagged images.")
    boolean dangling;

    @Option(names = {"-q", "--quiet"}, description = "Only image IDs.")
    boolean quiet;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<ImageSummary> images = store.listImages().stream().filter(i -> !dangling || i.dangling()).toList();
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, images.stream().map(i -> Map.of("id", i.id(), "repoTags", i.repoTags(),
                        "repoDigests", i.repoDigests(), "created", i.created(), "size", i.size(),
                        "sharedSize", i.sharedSize(), "uniqueSize", i.uniqueSize(), "containers", i.containers())).toList());
                return 0;
            }
            if (quiet) {
                images.forEach(i -> out.println(i.id().shortHex()));
                return 0;
            }
            out.printf("%-40s %-20s %-12s %-16s %9s %9s %9s%n",
                    "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED", "UNIQUE");
            for (ImageSummary image : images) {
                for (ImageTable.Row row : ImageTable.rows(image)) {
                    out.printf("%-40s %-20s %-12s %-16s %9s %9s %9s%n",
                            row.repository(), row.tag(), image.id().shortHex(), row.createdAgo(),
                            ImageTable.humanSize(image.size()), ImageTable.humanSize(image.sharedSize()),
                            ImageTable.humanSize(image.uniqueSize()));
                }
            }
        }
        return 0;
    }
}
