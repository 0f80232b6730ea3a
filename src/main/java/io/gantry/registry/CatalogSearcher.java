package io.gantry.registry;

import io.gantry.core.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Search for registries other than Docker Hub: walks the catalog ({@code /v2/_catalog}) page by
 * page and keeps the repository names containing the term (case-insensitive), until a page of
 * results is full. The cursor is the last repository name examined, passed back as the
 * catalog's {@code last} parameter, so the next page continues exactly there.
 */
final class CatalogSearcher {

    /** Catalog names fetched per request while searching. */
    static final int CATALOG_PAGE = 100;

    private final RegistryCaller caller;

    CatalogSearcher(RegistryCaller caller) {
        this.caller = caller;
    }

    SearchPage search(String registry, String term, int pageSize, Optional<String> cursor, Cancellation cancellation) {
        String needle = term.toLowerCase(Locale.ROOT).trim();
        List<SearchResult> results = new ArrayList<>();
        Optional<String> last = cursor;
        PageGuard guard = new PageGuard("search " + registry + " for " + term, registry);
        while (true) {
            Page<String> page = caller.call(registry,
                    new CatalogLister(registry, CATALOG_PAGE, Optional.empty(), last), cancellation);
            for (String name : page.items()) {
                last = Optional.of(name);
                if (name.toLowerCase(Locale.ROOT).contains(needle)) {
                    results.add(new SearchResult(registry + "/" + name, "", 0, false, false));
                    if (results.size() == pageSize) {
                        return new SearchPage(results, OptionalLong.empty(), last);
                    }
                }
            }
            boolean advanced = !page.items().isEmpty();
            if (!page.hasNext() || !advanced) {
                return new SearchPage(results, OptionalLong.empty(), Optional.empty());
            }
            // the catalog continues from the last name read: the same name twice is a loop
            guard.advance(page.items().size(), last);
        }
    }
}
