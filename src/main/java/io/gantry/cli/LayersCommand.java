package io.gantry.cli;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.LayerRows;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry layers IMAGE}: each layer with its size, created-by and the images sharing it. */
@Command(name = "layers", description = "Show an image's layers, base first, and which other images share each (by chain ID).")
final class LayersCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(paramLabel = "IMAGE")
    String image;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            List<LayerRows.Row> rows = LayerRows.of(parent.store(catalog), ImageKey.parse(image));
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, rows);
                return 0;
            }
            out.printf("%-3s %-12s %-12s %9s  %-30s %s%n", "#", "DIFF ID", "BLOB", "SIZE", "SHARED WITH", "CREATED BY");
            for (LayerRows.Row row : rows) {
                String shared = row.sharedWith().isEmpty() ? "-" : io.gantry.core.PeerText.clean(String.join(", ", row.sharedWith()));
                String full = io.gantry.core.PeerText.clean(row.createdBy());
                String createdBy = full.length() > 50 ? full.substring(0, 49) + "…" : full;
                out.printf("%-3d %-12s %-12s %9s  %-30s %s%n", row.index(), row.diffId().shortHex(), row.blob().map(Digest::shortHex).orElse("-"),
                        ImageTable.humanSize(row.size()), shared, createdBy);
            }
        }
        return 0;
    }
}
