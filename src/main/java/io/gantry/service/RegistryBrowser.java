package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.core.Repository;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.SearchPage;
import io.gantry.registry.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Search and tag listing for the Search view and {@code gantry search}/{@code gantry tags}:
 * Docker Hub's search for {@code docker.io}, a registry's catalog otherwise.
 */
public final class RegistryBrowser {

    private final RegistryClient client;

    public RegistryBrowser(RegistryClient client) {
        this.client = client;
    }

    /** Up to {@code limit} repositories matching {@code term} in {@code registry} (Docker Hub when empty). */
    public List<SearchResult> search(String term, Optional<String> registry, int limit, Cancellation cancellation) {
        List<SearchResult> results = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            SearchPage page = client.search(registry.orElse(ImageReference.DOCKER_HUB), term,
                    Math.min(100, limit - results.size()), cursor, cancellation);
            for (SearchResult r : page.results()) {
                if (results.size() < limit) {
                    results.add(r);
                }
            }
            cursor = page.next();
        } while (cursor.isPresent() && results.size() < limit);
        return results;
    }

    /** Every tag of {@code repository} ({@code ubuntu}, {@code host:5000/team/app}), as the registry lists them. */
    public List<String> tags(String repository, Cancellation cancellation) {
        Repository repo = ImageReference.parse(repository).repo();
        return client.listAllTags(repo, cancellation);
    }
}
