package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.service.EndpointCatalog;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry pull REF}: as {@code docker pull}, into the embedded store (or the engine
 * {@code --endpoint} names). Ctrl-C cancels cleanly: finished layers stay for the next pull.
 */
@Command(name = "pull", description = "Pull an image by tag or digest; layers already stored are not fetched again.")
final class PullCommand implements Callable<Integer>, SimpleParse.Command {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REFERENCE", description = "e.g. alpine:3.20, localhost:5000/app@sha256:…")
    String reference;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which image of a multi-platform index (default: this machine's).")
    String platform;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Layers downloaded at once (default: 3).")
    Integer jobs;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image digest.")
    boolean quiet;

    @Override
    public Integer call() {
        return callWith(spec.commandLine().getOut());
    }

    /**
     * The command read without picocli, for the common forms only: {@code [--store DIR] pull
     * [-q|--quiet] [--platform P] [-j N|--jobs N] REFERENCE}, each option at most once, spelt as
     * here ({@code --platform=P} and {@code --jobs=N} too), {@code N} a plain decimal, the reference
     * a word not starting with {@code -} or {@code @}. Null for anything else (help, {@code --endpoint},
     * a repeated, bundled or unknown option, {@code --}, a value picocli would refuse or read
     * differently), which picocli then parses as before, with its messages.
     */
    static PullCommand parseSimple(GantryCli root, String... args) {
        SimpleParse.Start start = SimpleParse.start("pull", args);
        if (start == null) {
            return null;
        }
        SimpleParse.Words words = SimpleParse.words(args, start.next(), java.util.Set.of("--quiet"),
                java.util.Set.of("--platform", "--jobs"), java.util.Map.of("-q", "--quiet", "-j", "--jobs"));
        if (words == null) {
            return null;
        }
        PullCommand command = new PullCommand();
        command.reference = words.parameter();
        command.quiet = words.options().containsKey("--quiet");
        String platform = words.options().get("--platform");
        String jobs = words.options().get("--jobs");
        if (platform != null && !SimpleParse.plainValue(platform) || jobs != null && !SimpleParse.wholeNumber(jobs, 9)) {
            return null;
        }
        command.platform = platform;
        command.jobs = jobs == null ? null : Integer.valueOf(jobs);
        SimpleParse.apply(start, root);
        command.parent = root;
        return command;
    }

    @Override
    public String name() {
        return "pull";
    }

    @Override
    public int callWith(java.io.PrintWriter out) {
        Cancellation cancellation = parent.ctrlC();
        if (jobs != null && (jobs < 1 || jobs > 64)) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "pull " + reference, "-j must be between 1 and 64, not " + jobs);
        }
        // Parsed before anything is opened: a malformed name or platform needs no store and no registry.
        PullRequest request = new PullRequest(ImageReference.parse(reference),
                Optional.ofNullable(platform).map(Platform::parse));
        try (EndpointCatalog catalog = parent.openCatalog(jobs == null ? OptionalInt.empty() : OptionalInt.of(jobs), true)) {
            PullProgressPrinter printer = PullProgressPrinter.forOutput(System.console() != null ? TerminalSafeWriter.raw(out) : out,
                    System.console() != null, quiet);
            PullResult result = parent.services.pulls().pull(parent.store(catalog), request,
                    batch -> batch.forEach(printer), cancellation);
            printer.finish();
            if (quiet) {
                out.println(result.digest().map(Object::toString).orElse(result.imageId().toString()));
            } else {
                out.println(result.reference());
            }
            return 0;
        }
    }
}
