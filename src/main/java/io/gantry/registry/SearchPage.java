package io.gantry.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of search results.
 *
 * @param results      the results on this page
 * @param totalResults how many results there are in all, when the source says (Docker Hub does,
 *                     a catalog does not)
 * @param next         an opaque cursor for the following page, empty on the last one
 */
public record SearchPage(List<SearchResult> results, OptionalLong totalResults, Optional<String> next) {

    public SearchPage {
        results = List.copyOf(results);
        Objects.requireNonNull(totalResults, "totalResults");
        Objects.requireNonNull(next, "next");
    }

    public boolean hasNext() {
        return next.isPresent();
    }
}
