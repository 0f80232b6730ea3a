package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.PeerText;
import io.gantry.engine.ImageSummary;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.UpdateCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry outdated}: which local tags' registry digests moved, by one manifest HEAD request
 * per tag (never a download), compared with the digest the image was pulled as (an index's digest
 * for a multi-platform image, which is what the registry answers for the tag).
 */
@Command(name = "outdated", description = {"Show which local tags have a newer image in their registry (HEAD requests only).",
        "Compares what the registry's tag points at now with the digest the image was pulled as (the index's for a "
                + "multi-platform image). A tag built, loaded or copied here, or whose registry does not answer, is unknown, and WHY says which."})
final class OutdatedCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = {"-q", "--quiet"}, description = "Print only the tags with an update available.")
    boolean quiet;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        List<UpdateCheck.Result> results = new ArrayList<>();
        Map<String, String> local = new LinkedHashMap<>();
        try (EndpointCatalog catalog = parent.openCatalog()) {
            List<ImageSummary> images = parent.store(catalog).listImages();
            for (ImageSummary image : images) {
                for (String tag : image.repoTags()) {
                    local.put(tag, image.repoDigests().isEmpty() ? "-" : String.join(",", image.repoDigests()));
                }
            }
            parent.services.updateCheck().checkAll(images, results::add, new Cancellation());
        }
        if (quiet) {
            results.stream().filter(r -> r.status() == UpdateCheck.Status.UPDATE_AVAILABLE)
                    .forEach(r -> out.println(PeerText.clean(r.repoTag())));
            return GantryCli.EXIT_OK;
        }
        if (output.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (UpdateCheck.Result r : results) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tag", r.repoTag());
                row.put("status", r.status().name().toLowerCase(Locale.ROOT));
                row.put("remoteDigest", r.remote().map(Digest::toString).orElse(null));
                row.put("why", r.why().isEmpty() ? null : r.why());
                rows.add(row);
            }
            CliJson.print(out, rows);
            return GantryCli.EXIT_OK;
        }
        Table table = new Table("TAG", "STATUS", "REGISTRY DIGEST", "WHY");
        for (UpdateCheck.Result r : results) {
            String status = switch (r.status()) {
                case UP_TO_DATE -> "up to date";
                case UPDATE_AVAILABLE -> "update available";
                case UNKNOWN -> "unknown";
            };
            table.row(PeerText.clean(r.repoTag()), status, r.remote().map(Digest::toString).orElse("-"),
                    PeerText.clean(r.why()));
        }
        table.print(out);
        return GantryCli.EXIT_OK;
    }
}
