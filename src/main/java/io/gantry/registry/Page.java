package io.gantry.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a paginated listing (tags, catalog).
 *
 * @param items the items on this page
 * @param next  an opaque cursor for the following page (from the registry's {@code Link}
 *              header), empty on the last page
 * @param <T>   the item type
 */
public record Page<T>(List<T> items, Optional<String> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    public boolean hasNext() {
        return next.isPresent();
    }
}
