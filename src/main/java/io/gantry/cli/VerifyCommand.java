package io.gantry.cli;

import io.gantry.engine.Capabilities.Capability;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.engine.VerifyReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry verify}: checks every reachable blob like {@code git fsck}; exits 5 when something is wrong. */
@Command(name = "verify", description = "Check the embedded store: every referenced blob exists, has its size and hashes to its digest. Repairs nothing.")
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            VerifyReport report = parent.storeThatCan(catalog, Capability.VERIFY, "verify").verify();
            var out = spec.commandLine().getOut();
            if (output.json()) {
                CliJson.print(out, report);
            } else {
                report.problems().forEach(p -> out.println(p));
                out.printf("%d blobs checked (%s), %d problem(s), %d unreferenced blob(s)%s%n", report.blobsChecked(),
                        ImageTable.humanSize(report.bytesChecked()), report.problems().size(), report.unreferenced(),
                        report.unreferenced() > 0 ? " (gantry prune removes them)" : "");
            }
            return report.ok() ? 0 : GantryCli.EXIT_DAMAGED;
        }
    }
}
