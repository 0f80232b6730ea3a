package io.gantry.cli;

import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageListing;
import io.gantry.service.ImageTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry images}: like {@code docker images} (its filters, {@code --digests},
 * {@code --no-trunc}, one row per tag, columns as wide as their content), with docker system df
 * -v's SHARED, UNIQUE and CONTAINERS.
 */
@Command(name = "images", description = "List the images of an endpoint, with SIZE, SHARED, UNIQUE and CONTAINERS as docker system df -v counts them.")
final class ImagesCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only this repository (and tag).")
    String repository;

    @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE",
            description = "dangling=true|false, label=KEY[=VALUE], before=IMAGE, since=IMAGE, reference=PATTERN (as docker images).")
    List<String> filters = new ArrayList<>();

    @Option(names = "--dangling", description = "Only untagged images (--filter dangling=true).")
    boolean dangling;

    @Option(names = {"-a", "--all"}, description = "Accepted as docker's; Gantry lists no intermediate build images, so it changes nothing.")
    boolean all;

    @Option(names = "--digests", description = "Show the DIGEST column.")
    boolean digests;

    @Option(names = "--no-trunc", description = "Full image IDs.")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only image IDs (one per row, as docker).")
    boolean quiet;

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(filters);
        if (dangling) {
            all.add("dangling=true");
        }
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<ImageListing.Row> rows = ImageListing.rows(store, store.listImages(), all, Optional.ofNullable(repository));
            var out = spec.commandLine().getOut();
            if (output.json()) {
                List<Map<String, Object>> json = new ArrayList<>();
                List<ImageSummary> seen = new ArrayList<>();
                for (ImageListing.Row row : rows) {
                    ImageSummary i = row.image();
                    if (seen.contains(i)) {
                        continue;
                    }
                    seen.add(i);
                    Map<String, Object> image = new LinkedHashMap<>();
                    image.put("id", i.id());
                    image.put("repoTags", i.repoTags());
                    image.put("repoDigests", i.repoDigests());
                    image.put("created", i.created());
                    image.put("size", i.size());
                    image.put("sharedSize", i.sharedSize());
                    image.put("uniqueSize", i.uniqueSize());
                    image.put("containers", i.containers());
                    json.add(image);
                }
                CliJson.print(out, json);
                return 0;
            }
            if (quiet) {
                rows.forEach(r -> out.println(id(r.image())));
                out.flush();
                return 0;
            }
            Table table = digests
                    ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE", "SHARED", "UNIQUE", "CONTAINERS")
                    : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED", "UNIQUE", "CONTAINERS");
            Instant now = Instant.now();
            for (ImageListing.Row row : rows) {
                ImageSummary image = row.image();
                List<Object> cells = new ArrayList<>(List.of(row.repository(), row.tag()));
                if (digests) {
                    cells.add(row.digest());
                }
                cells.addAll(List.of(id(image), ImageTable.ago(image.created(), now), ImageTable.humanSize(image.size()),
                        ImageTable.humanSize(image.sharedSize()), ImageTable.humanSize(image.uniqueSize()),
                        image.containers()));
                table.row(cells.toArray());
            }
            table.print(out);
        }
        return 0;
    }

    private String id(ImageSummary image) {
        return noTrunc ? image.id().toString() : image.id().shortHex();
    }
}
