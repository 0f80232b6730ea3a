package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.registry.SearchResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry search TERM}: Docker Hub's search, or a registry's catalog with {@code --registry}. */
@Command(name = "search", description = "Search Docker Hub, or a registry's catalog, for repositories.")
final class SearchCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(paramLabel = "TERM")
    String term;

    @Option(names = "--registry", paramLabel = "HOST[:PORT]", description = "Search this registry's catalog (default: Docker Hub).")
    String registry;

    @Option(names = "--limit", defaultValue = "25", description = "At most this many results (default: 25).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new io.gantry.core.GantryException(io.gantry.core.ErrorKind.INVALID_INPUT, "search " + term,
                    "--limit must be 1 or more, not " + limit, null, 0, "Leave out --limit for 25 results.", null);
        }
        List<SearchResult> results = parent.services.registries().search(term, Optional.ofNullable(registry), limit,
                new Cancellation());
        var out = spec.commandLine().getOut();
        if (output.json()) {
            CliJson.print(out, results);
            return 0;
        }
        out.printf("%-40s %-50s %6s %s%n", "NAME", "DESCRIPTION", "STARS", "OFFICIAL");
        for (SearchResult r : results) {
            String description = r.description().length() > 50 ? r.description().substring(0, 49) + "…" : r.description();
            out.printf("%-40s %-50s %6d %s%n", r.name(), description, r.stars(), r.official() ? "[OK]" : "");
        }
        out.flush();
        if (results.size() >= limit) {
            var err = spec.commandLine().getErr();
            err.println("gantry: showing the first " + limit + " results (--limit); there may be more.");
            err.flush();
        }
        return 0;
    }
}
