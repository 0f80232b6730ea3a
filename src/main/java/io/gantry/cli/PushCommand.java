package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PushResult;
import io.gantry.service.EndpointCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry push REF}: as {@code docker push}, from the embedded store (or through the engine
 * {@code --endpoint} names). Ctrl-C cancels; pushing again skips what the registry already has.
 */
@Command(name = "push", description = {"Push an image to the registry its name names, as docker push.",
        "Layers the repository has are skipped, layers another repository of the registry holds are mounted, and the "
                + "manifest keeps its bytes, so the digest stays the one it was pulled or loaded with. "
                + "Credentials come from the Docker config, as for pull. Push again after a cancel: what arrived is not sent twice."})
final class PushCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME[:TAG]", description = "A local image's name, e.g. localhost:5000/team/app:1.0 (tag it first with gantry tag).")
    String reference;

    @Option(names = {"-q", "--quiet"}, description = "Print only the pushed manifest's digest.")
    boolean quiet;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        ImageReference target = ImageReference.parse(reference); // before anything is opened
        Cancellation cancellation = parent.ctrlC();
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.storeThatCan(catalog, Capability.PUSH, "push");
            boolean terminal = System.console() != null;
            PushProgressPrinter printer = new PushProgressPrinter(terminal ? TerminalSafeWriter.raw(out) : out, terminal, quiet);
            PushResult result = store.push(target, printer, cancellation);
            printer.finish();
            if (quiet) {
                out.println(result.digest());
            }
            return 0;
        }
    }
}
