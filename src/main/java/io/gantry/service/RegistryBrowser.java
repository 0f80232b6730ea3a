package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.InvalidReferenceException;
import io.gantry.core.Platform;
import io.gantry.core.Repository;
import io.gantry.registry.Page;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.SearchPage;
import io.gantry.registry.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * Search and tag listing for the search window and {@code gantry search}/{@code gantry tags}:
 * Docker Hub's search for {@code docker.io}, a registry's catalog otherwise; the window pages
 * through results and tags and asks which platforms an image offers. Plain Java over
 * {@link RegistryClient}; every call blocks, so the UI runs it in the background.
 */
public final class RegistryBrowser {

    /** Search results per page. */
    public static final int SEARCH_PAGE = 25;
    /** Tags per page. */
    public static final int TAG_PAGE = 50;

    private final Supplier<RegistryClient> client;

    public RegistryBrowser(RegistryClient client) {
        Objects.requireNonNull(client, "client");
        this.client = () -> client;
    }

    /**
     * A browser whose client is built on first use (on the background thread of the first search),
     * so that opening the window never waits for the TLS and HTTP set-up.
     */
    public RegistryBrowser(Supplier<RegistryClient> client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * What the user typed in the search field.
     *
     * @param registry  where to search: {@code docker.io} or the registry named in the text
     * @param term      the search term (empty when the text names an image to pull)
     * @param reference the image to pull, when the text is a full reference (with a tag or digest)
     */
    public record Query(String registry, String term, Optional<ImageReference> reference) {

        public Query {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(term, "term");
            Objects.requireNonNull(reference, "reference");
        }

        /** Whether the text names one image to pull rather than a search. */
        public boolean isReference() {
            return reference.isPresent();
        }
    }

    /**
     * Reads the search field: {@code nginx} searches {@code defaultRegistry};
     * {@code 127.0.0.1:5000/demo} searches that registry's catalog for {@code demo};
     * {@code nginx:1.27}, {@code host:5000/app:1} or {@code repo@sha256:…} name an image to pull.
     */
    public static Query interpret(String text, String defaultRegistry) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.lastIndexOf('/');
        boolean tagged = trimmed.indexOf(':', slash + 1) >= 0;
        if (!trimmed.isEmpty() && !trimmed.contains(" ") && (trimmed.contains("@") || tagged)) {
            try {
                ImageReference reference = ImageReference.parse(trimmed);
                return new Query(reference.registry(), "", Optional.of(reference));
            } catch (InvalidReferenceException e) {
                // not a reference after all: search for it
            }
        }
        int firstSlash = trimmed.indexOf('/');
        if (firstSlash > 0) {
            String first = trimmed.substring(0, firstSlash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return new Query(first, trimmed.substring(firstSlash + 1), Optional.empty());
            }
        }
        return new Query(defaultRegistry, trimmed, Optional.empty());
    }

    /**
     * Why {@code text} is no valid reference, when it is written as one (a {@code :tag} after the
     * last {@code /}, or an {@code @digest}) but breaks the grammar, as in {@code UPPER/Case:bad tag}:
     * the same reason the CLI gives, found before any network call. Empty for a valid reference or
     * a search term.
     */
    public static Optional<InvalidReferenceException> malformedReference(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.lastIndexOf('/');
        boolean tagged = trimmed.indexOf(':', slash + 1) >= 0;
        if (trimmed.isEmpty() || !(tagged || trimmed.contains("@"))) {
            return Optional.empty();
        }
        try {
            ImageReference.parse(trimmed);
            return Optional.empty();
        } catch (InvalidReferenceException e) {
            return Optional.of(e);
        }
    }

    /** Up to {@code limit} repositories matching {@code term} in {@code registry} (Docker Hub when empty). */
    public List<SearchResult> search(String term, Optional<String> registry, int limit, Cancellation cancellation) {
        List<SearchResult> results = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        java.util.Set<String> cursors = new java.util.HashSet<>();
        do {
            SearchPage page = client.get().search(registry.orElse(ImageReference.DOCKER_HUB), term,
                    Math.min(100, limit - results.size()), cursor, cancellation);
            for (SearchResult r : page.results()) {
                if (results.size() < limit) {
                    results.add(r);
                }
            }
            cursor = page.next();
            if (cursor.isPresent() && (!cursors.add(cursor.get()) || page.results().isEmpty())) {
                break; // a cursor seen before, or an empty page that still says "more": stop, keep what was found
            }
        } while (cursor.isPresent() && results.size() < limit);
        return results;
    }

    /** Every tag of {@code repository} ({@code ubuntu}, {@code host:5000/team/app}), as the registry lists them. */
    public List<String> tags(String repository, Cancellation cancellation) {
        Repository repo = ImageReference.parse(repository).repo();
        return client.get().listAllTags(repo, cancellation);
    }

    /** One page of repositories matching {@code term}: Docker Hub's search or the registry's catalog. */
    public SearchPage search(String registry, String term, Optional<String> cursor, Cancellation cancellation) {
        return client.get().search(registry, term, SEARCH_PAGE, cursor, cancellation);
    }

    /** One page of a repository's tags; {@code repository} as a search result names it. */
    public Page<String> tags(String repository, Optional<String> cursor, Cancellation cancellation) {
        return client.get().listTags(Repository.parse(repository), TAG_PAGE, cursor, cancellation);
    }

    /**
     * The platforms an image offers when the reference names a multi-platform index (in the
     * index's order); empty for a single-platform image.
     */
    public List<Platform> platforms(ImageReference reference, Cancellation cancellation) {
        return client.get().pullManifest(reference, cancellation).index().map(index -> index.platforms()).orElse(List.of());
    }

    /**
     * What {@code reference} names in its registry, without pulling: the manifest or index as sent,
     * and each platform's manifest and config (at most {@value #MAX_PLATFORMS} platforms are read).
     */
    public RemoteImage inspect(ImageReference reference, Cancellation cancellation) {
        RegistryClient registry = client.get();
        io.gantry.registry.FetchedManifest top = registry.pullManifest(reference, cancellation);
        List<RemoteImage.PlatformImage> images = new java.util.ArrayList<>();
        if (top.index().isPresent()) {
            for (io.gantry.core.Descriptor child : top.index().get().manifests()) {
                if (images.size() >= MAX_PLATFORMS) {
                    break;
                }
                io.gantry.registry.FetchedManifest fetched = registry.pullManifest(reference.atDigest(child.digest()), cancellation);
                if (fetched.manifest().isEmpty()) {
                    continue; // an index inside the index: not an image of a platform
                }
                images.add(platformImage(registry, reference, child, fetched, cancellation));
            }
        } else {
            images.add(platformImage(registry, reference, top.descriptor(), top, cancellation));
        }
        return new RemoteImage(reference, top.digest(), top.mediaType(), top.bytes(), images);
    }

    /**
     * The layer blobs of the image or index {@code reference} names (every platform's, at most {@value
     * #MAX_PLATFORMS}): manifests only, no config and no layer is read.
     */
    public Set<Digest> layerBlobs(ImageReference reference, Cancellation cancellation) {
        RegistryClient registry = client.get();
        io.gantry.registry.FetchedManifest top = registry.pullManifest(reference, cancellation);
        Set<Digest> blobs = new java.util.HashSet<>();
        top.manifest().ifPresent(manifest -> manifest.layers().forEach(layer -> blobs.add(layer.digest())));
        if (top.index().isPresent()) {
            for (io.gantry.core.Descriptor child : top.index().get().manifests().stream().limit(MAX_PLATFORMS).toList()) {
                registry.pullManifest(reference.atDigest(child.digest()), cancellation).manifest()
                        .ifPresent(manifest -> manifest.layers().forEach(layer -> blobs.add(layer.digest())));
            }
        }
        return blobs;
    }

    /** The most platforms {@link #inspect} reads the manifests and configs of. */
    public static final int MAX_PLATFORMS = 64;

    private static RemoteImage.PlatformImage platformImage(RegistryClient registry, ImageReference reference,
                                                           io.gantry.core.Descriptor descriptor,
                                                           io.gantry.registry.FetchedManifest fetched, Cancellation cancellation) {
        io.gantry.core.Manifest manifest = fetched.manifest().orElseThrow();
        io.gantry.core.ImageConfig config = registry.pullConfig(reference.repo(), manifest, cancellation);
        return new RemoteImage.PlatformImage(descriptor, fetched.bytes(), manifest, config);
    }
}
