package io.gantry.registry;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a walk over a registry's pages finite: a {@code Link} (or a catalog's {@code last}) that
 * points back to a page already read, or more than {@link #MAX_PAGES} pages or {@link #MAX_ITEMS}
 * items, stops the walk with a clear error instead of looping (a hostile or broken registry once
 * made {@code tags} send 2,700 requests in two minutes, memory growing).
 */
final class PageGuard {

    /** The most pages one listing follows (1,000 pages of 100 are 100,000 names). */
    static final int MAX_PAGES = 1000;
    /** The most items one listing collects. */
    static final int MAX_ITEMS = 200_000;

    private final String operation;
    private final String registry;
    private final Set<String> seen = new HashSet<>();
    private int pages;
    private long items;

    PageGuard(String operation, String registry) {
        this.operation = operation;
        this.registry = registry;
    }

    /**
     * Records a page of {@code count} items whose next cursor is {@code next}; throws when following
     * it would loop or go past the limits.
     */
    void advance(int count, Optional<String> next) {
        pages++;
        items += count;
        if (next.isEmpty()) {
            return;
        }
        if (!seen.add(next.get())) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation, "the registry " + registry
                    + " sent a next-page link back to a page already read (after " + pages + " pages); stopped",
                    "PAGING_LOOP", 0, "The registry's pagination is broken; report it to its operator.", null);
        }
        if (pages >= MAX_PAGES || items >= MAX_ITEMS) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation, "the registry " + registry
                    + " listed more than " + (pages >= MAX_PAGES ? MAX_PAGES + " pages" : MAX_ITEMS + " items")
                    + "; stopped", "PAGING_LIMIT", 0, null, null);
        }
    }
}
