package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.registry.SearchResult;
import io.gantry.service.RegistryBrowser;
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

/**
 * {@code gantry search TERM}: Docker Hub's search, or a registry's catalog with {@code --registry}
 * or a {@code HOST[:PORT]/TERM} term.
 */
@Command(name = "search", description = "Search Docker Hub, or a registry's catalog, for repositories.")
final class SearchCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(paramLabel = "TERM", description = "What to look for; HOST[:PORT]/TERM searches that registry's catalog.")
    String term;

    @Option(names = "--registry", paramLabel = "[http[s]://]HOST[:PORT]",
            description = "Search this registry's catalog (default: Docker Hub). http:// allows plain HTTP for this "
                    + "search; loopback registries and those marked insecure in the settings may use it anyway.")
    String registry;

    @Option(names = "--limit", defaultValue = "25", description = "At most this many results (default: 25).")
    int limit;

    /** Where to search and for what, from {@code --registry} and the term. */
    record Target(Optional<String> registry, String term, boolean plainHttp) {
    }

    /**
     * Reads {@code --registry} ({@code host:5000}, {@code http://host:5000}, {@code https://host/})
     * and the term; without {@code --registry}, a term {@code host:5000/app} searches that
     * registry's catalog for {@code app}, as the window's search field does.
     */
    static Target target(String registryOption, String term) {
        if (registryOption == null) {
            RegistryBrowser.Query query = RegistryBrowser.interpret(term, ImageReference.DOCKER_HUB);
            String registry = query.registry();
            String what = query.reference().map(r -> r.repository()).orElse(query.term());
            return new Target(registry.equals(ImageReference.DOCKER_HUB) ? Optional.empty() : Optional.of(registry),
                    what, false);
        }
        String host = registryOption.strip();
        boolean plainHttp = false;
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://")) {
            plainHttp = true;
            host = host.substring("http://".length());
        } else if (lower.startsWith("https://")) {
            host = host.substring("https://".length());
        }
        while (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.contains("/") || host.contains("://") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "search " + term,
                    "--registry takes HOST[:PORT], optionally after http:// or https://, not '"
                            + io.gantry.core.PeerText.clean(registryOption) + "'",
                    null, 0, "Write it as --registry localhost:5000 or --registry http://registry.lan:5000.", null);
        }
        boolean hub = host.equals(ImageReference.DOCKER_HUB) || host.equals("index.docker.io");
        return new Target(hub ? Optional.empty() : Optional.of(host), term, plainHttp && !hub);
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "search " + term,
                    "--limit must be 1 or more, not " + limit, null, 0, "Leave out --limit for 25 results.", null);
        }
        Target target = target(registry, term);
        RegistryBrowser browser = target.plainHttp()
                ? parent.services.registries(java.util.Set.of(target.registry().orElseThrow()))
                : parent.services.registries();
        List<SearchResult> results = browser.search(target.term(), target.registry(), limit, new Cancellation());
        var out = spec.commandLine().getOut();
        if (output.json()) {
            CliJson.print(out, results);
            return 0;
        }
        out.printf("%-40s %-50s %6s %s%n", "NAME", "DESCRIPTION", "STARS", "OFFICIAL");
        for (SearchResult r : results) {
            String full = io.gantry.core.PeerText.clean(r.description());
            String description = full.length() > 50 ? full.substring(0, 49) + "…" : full;
            out.printf("%-40s %-50s %6d %s%n", io.gantry.core.PeerText.clean(r.name()), description, r.stars(), r.official() ? "[OK]" : "");
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
