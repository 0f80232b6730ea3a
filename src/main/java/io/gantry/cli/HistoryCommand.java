package io.gantry.cli;

import io.gantry.core.ImageKey;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageStore;
import io.gantry.service.DockerImageView;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry history IMAGE}: the build steps, newest first, as {@code docker history}. */
@Command(name = "history", description = "Show an image's build steps, newest first.")
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = "--no-trunc", description = "Do not shorten the commands.")
    boolean noTrunc;

    @Parameters(paramLabel = "IMAGE")
    String image;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<HistoryEntry> history = store.history(ImageKey.parse(image));
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, history);
                return 0;
            }
            out.printf("%-12s %-16s %-60s %9s  %s%n", "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            Instant now = Instant.now();
            for (HistoryEntry entry : history) {
                String createdBy = io.gantry.core.PeerText.clean(entry.createdBy()); // peer text, one line
                if (!noTrunc && createdBy.length() > 60) {
                    createdBy = createdBy.substring(0, 59) + "…";
                }
                out.printf("%-12s %-16s %-60s %9s  %s%n", entry.imageId().map(d -> d.shortHex()).orElse("<missing>"),
                        ImageTable.ago(entry.created(), now), createdBy, ImageTable.humanSize(entry.size()), io.gantry.core.PeerText.clean(entry.comment()));
            }
            out.flush();
            if (DockerImageView.sizesCompressed(store)) {
                var err = spec.commandLine().getErr();
                err.println("gantry: SIZE is each layer's compressed size, as the embedded store keeps it "
                        + "(docker history shows uncompressed sizes).");
                err.flush();
            }
        }
        return 0;
    }
}
