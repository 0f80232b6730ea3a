package io.gantry.cli;

import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry prune [-a] [--dry-run]}: as {@code docker image prune}, with a preview. */
@Command(name = "prune", description = "Remove dangling images (or, with -a, every unused one) and the layers only they use.")
final class PruneCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = {"-a", "--all"}, description = "Every image no container uses, not only dangling ones.")
    boolean all;

    @Option(names = "--dry-run", description = "Show what would be removed and the space it would free; remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            PruneResult result = parent.store(catalog).prune(all ? PruneMode.ALL_UNUSED : PruneMode.DANGLING, dryRun);
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, result);
                return 0;
            }
            if (dryRun) {
                out.println("Would remove (dry run, nothing removed):");
            }
            result.lines().forEach(line -> out.println(line));
            out.println((dryRun ? "Would reclaim: " : "Total reclaimed space: ") + ImageTable.humanSize(result.spaceReclaimed()));
        }
        return 0;
    }
}
