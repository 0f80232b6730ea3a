package io.gantry.cli;

import io.gantry.core.GantryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code gantry} command. Subcommands share the {@code --store} and {@code --endpoint}
 * options; errors print one readable line (what failed, why, what to do) and exit non-zero.
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, version = "gantry 0.1.0",
        description = "See and tidy container images: the embedded store, Docker-compatible engines, registries.",
        subcommands = {EndpointsCommand.class, ImagesCommand.class})
public final class GantryCli {

    /** Exit code for a failure Gantry reported (as opposed to picocli's 2 for bad usage). */
    public static final int EXIT_FAILURE = 1;

    final CatalogOpener opener;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The embedded store's directory (default: $GANTRY_HOME/store or the platform data dir).")
    Path store;

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "ID",
            description = "The endpoint to use, as 'gantry endpoints' lists it (default: embedded).")
    String endpoint;

    public GantryCli(CatalogOpener opener) {
        this.opener = opener;
    }

    Optional<Path> storeDir() {
        return Optional.ofNullable(store);
    }

    /** Runs the command line and returns the exit code. */
    public static int run(CatalogOpener opener, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new GantryCli(opener));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof GantryException ge) {
                cmd.getErr().println("gantry: " + ge.describe());
                ge.action().ifPresent(action -> cmd.getErr().println("  " + action));
                return EXIT_FAILURE;
            }
            throw ex;
        });
        return commandLine.execute(args);
    }
}
