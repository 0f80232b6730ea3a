package io.gantry.core;

import io.gantry.core.InvalidReferenceException.Reason;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fully qualified image reference: registry, repository, and a tag, a digest or both, e.g.
 * {@code docker.io/library/ubuntu:latest} or {@code localhost:5000/team/app@sha256:…}.
 *
 * <p>{@link #parse(String)} implements the Docker reference grammar (distribution's
 * {@code reference} package) with Docker's normalization, so a user's familiar text means what it
 * means to {@code docker pull}:
 * <ul>
 *   <li>{@code ubuntu} → {@code docker.io/library/ubuntu:latest};</li>
 *   <li>{@code user/repo} → {@code docker.io/user/repo:latest};</li>
 *   <li>a first component containing {@code .} or {@code :}, or equal to {@code localhost}, is a
 *       registry: {@code localhost/app}, {@code host:5000/repo:tag}, {@code ghcr.io/o/r};</li>
 *   <li>{@code index.docker.io} is an alias of {@code docker.io};</li>
 *   <li>with neither tag nor digest the tag is {@code latest}; {@code repo@sha256:…} keeps no tag,
 *       and {@code repo:tag@sha256:…} keeps both (the digest is what gets pulled).</li>
 * </ul>
 * {@link #familiar()} gives back the short form users type, and parsing it returns an equal
 * reference.
 *
 * <p>Invalid input fails with an {@link InvalidReferenceException} whose
 * {@link InvalidReferenceException#reason() reason} names the broken rule.
 *
 * @param registry   the registry as users name it ({@code docker.io}, {@code localhost:5000});
 *                   see {@link #registryApiHost()} for the host to talk to
 * @param repository the repository path, lower case, e.g. {@code library/ubuntu}
 * @param tag        the tag, when there is one
 * @param digest     the manifest digest, when there is one
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {

    /** The registry name of Docker Hub as it appears in references. */
    public static final String DOCKER_HUB = "docker.io";
    /** The host that serves Docker Hub's registry API. */
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    /** The key under which Docker stores Docker Hub credentials in {@code config.json}. */
    public static final String DOCKER_HUB_CREDENTIALS_KEY = "https://index.docker.io/v1/";
    /** The tag a reference gets when it names neither tag nor digest. */
    public static final String DEFAULT_TAG = "latest";

    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_TAG_LENGTH = 128;

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]*");
    private static final Pattern DOMAIN_NAME =
            Pattern.compile("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
                    + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*");
    private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+\\]");
    private static final Pattern PORT = Pattern.compile("[0-9]+");
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    /** Validates the parts; prefer {@link #parse(String)} or {@link #of}. */
    public ImageReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        String text = registry + "/" + repository;
        checkRegistry(text, registry);
        checkRepository(text, repository);
        tag.ifPresent(t -> checkTag(text, t));
        if (text.length() > MAX_NAME_LENGTH) {
            throw invalid(Reason.NAME_TOO_LONG, text, "the name is longer than " + MAX_NAME_LENGTH + " characters",
                    "Use a shorter repository name.");
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            throw new IllegalArgumentException("an image reference needs a tag or a digest: " + text);
        }
    }

    /**
     * A reference from already separated parts, validated like {@link #parse(String)} but without
     * normalization (so {@code docker.io} repositories must already carry {@code library/}).
     */
    public static ImageReference of(String registry, String repository, String tag) {
        return new ImageReference(registry, repository, Optional.of(tag), Optional.empty());
    }

    /** A digest-only reference ({@code registry/repository@digest}). */
    public static ImageReference of(String registry, String repository, Digest digest) {
        return new ImageReference(registry, repository, Optional.empty(), Optional.of(digest));
    }

    /**
     * Parses a reference as {@code docker pull} does, normalizing it (see the class comment).
     *
     * @throws InvalidReferenceException when {@code text} breaks the grammar, naming the rule
     */
    public static ImageReference parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw invalid(Reason.EMPTY, text, "the reference is empty", "Enter an image name such as ubuntu:24.04.");
        }
        int scheme = text.indexOf("://");
        if (scheme >= 0 && text.lastIndexOf('/', scheme) < 0) {
            String withoutScheme = text.substring(scheme + 3);
            throw invalid(Reason.HAS_SCHEME, text, "an image name has no scheme ('" + text.substring(0, scheme + 3) + "')",
                    withoutScheme.isEmpty() ? "Enter an image name such as ubuntu:24.04."
                            : "Use '" + withoutScheme + "'.");
        }
        if (IMAGE_ID.matcher(text).matches()) {
            throw invalid(Reason.LOOKS_LIKE_ID, text,
                    "a 64-character hex string is an image ID, not a repository name",
                    "Use the image's name, or sha256:" + text.substring(0, 12) + "… where an ID is expected.");
        }

        String rest = text;
        Optional<Digest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String digestText = rest.substring(at + 1);
            try {
                digest = Optional.of(Digest.of(digestText));
            } catch (IllegalArgumentException e) {
                throw invalid(Reason.INVALID_DIGEST, text, "'" + digestText + "' is not a valid digest: " + e.getMessage(),
                        "A digest looks like sha256: followed by 64 lower-case hex characters.");
            }
            rest = rest.substring(0, at);
        }

        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String tagText = rest.substring(colon + 1);
            checkTag(text, tagText);
            tag = Optional.of(tagText);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) {
            throw invalid(Reason.EMPTY, text, "the repository name is empty", "Enter an image name before the tag or digest.");
        }

        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        boolean firstIsRegistry = slash >= 0 && (first.contains(".") || first.contains(":")
                || first.equals("localhost") || !first.equals(first.toLowerCase(Locale.ROOT)));
        if (firstIsRegistry) {
            registry = first;
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        String typedPath = firstIsRegistry ? rest.substring(slash + 1) : rest;
        if (!typedPath.equals(typedPath.toLowerCase(Locale.ROOT))) {
            // Suggest what the user typed with only the repository lower-cased: 'Bad:Tag' -> 'bad:Tag'.
            String suggestion = (firstIsRegistry ? first + "/" : "") + typedPath.toLowerCase(Locale.ROOT)
                    + text.substring(rest.length());
            throw invalid(Reason.UPPERCASE_REPOSITORY, text, "the repository name '" + typedPath + "' must be lower case",
                    "Use '" + suggestion + "'.");
        }
        if (registry.equals(LEGACY_DOCKER_HUB)) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = OFFICIAL_PREFIX + repository;
        }
        checkRegistry(text, registry);
        checkRepository(text, repository);
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw invalid(Reason.NAME_TOO_LONG, text, "the name is longer than " + MAX_NAME_LENGTH + " characters",
                    "Use a shorter repository name.");
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of(DEFAULT_TAG);
        }
        return new ImageReference(registry, repository, tag, digest);
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/ubuntu}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The repository this reference points into, without tag or digest. */
    public Repository repo() {
        return new Repository(registry, repository);
    }

    /** Whether this image lives on Docker Hub. */
    public boolean isDockerHub() {
        return registry.equals(DOCKER_HUB);
    }

    /** The host (and port) that serves the registry API: {@code registry-1.docker.io} for Docker Hub. */
    public String registryApiHost() {
        return isDockerHub() ? DOCKER_HUB_API_HOST : registry;
    }

    /**
     * What goes after {@code /manifests/} in a registry URL: the digest when there is one (it is
     * what Docker pulls for {@code repo:tag@digest}), otherwise the tag.
     */
    public String manifestReference() {
        return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
    }

    /** This repository with {@code newTag} and no digest. */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, Optional.of(newTag), Optional.empty());
    }

    /** This repository at {@code newDigest}, keeping the tag for display. */
    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, Optional.of(newDigest));
    }

    /** This repository at {@code newDigest} only, without a tag. */
    public ImageReference atDigest(Digest newDigest) {
        return new ImageReference(registry, repository, Optional.empty(), Optional.of(newDigest));
    }

    /** Another repository in the same registry, at {@code tag}. */
    public ImageReference inRepository(String otherRepository, String otherTag) {
        return new ImageReference(registry, otherRepository, Optional.of(otherTag), Optional.empty());
    }

    /**
     * The short name users type and {@code docker images} shows: {@code ubuntu} for
     * {@code docker.io/library/ubuntu}, {@code user/repo} for {@code docker.io/user/repo}, the full
     * name elsewhere.
     */
    public String familiarName() {
        if (!isDockerHub()) {
            return name();
        }
        if (repository.startsWith(OFFICIAL_PREFIX) && repository.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return repository.substring(OFFICIAL_PREFIX.length());
        }
        return repository;
    }

    /**
     * The short form for display, e.g. {@code ubuntu:latest} or {@code ghcr.io/o/r@sha256:…};
     * {@code parse(familiar())} equals this reference.
     */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** The canonical form, e.g. {@code docker.io/library/ubuntu:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    private String suffix() {
        return tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }

    private static void checkTag(String input, String tag) {
        if (tag.length() > MAX_TAG_LENGTH) {
            throw invalid(Reason.TAG_TOO_LONG, input,
                    "the tag is " + tag.length() + " characters long; at most " + MAX_TAG_LENGTH + " are allowed",
                    "Use a tag of at most 128 characters.");
        }
        if (!TAG.matcher(tag).matches()) {
            throw invalid(Reason.INVALID_TAG, input, tag.isEmpty() ? "the tag after ':' is empty"
                            : "the tag '" + tag + "' may contain only letters, digits, '_', '.' and '-', "
                            + "and may not start with '.' or '-'",
                    "Use a tag such as latest or 1.2.3.");
        }
    }

    private static void checkRepository(String input, String repository) {
        if (repository.isEmpty()) {
            throw invalid(Reason.EMPTY, input, "the repository name is empty", "Enter a repository name after the registry.");
        }
        if (!repository.equals(repository.toLowerCase(Locale.ROOT))) {
            throw invalid(Reason.UPPERCASE_REPOSITORY, input, "the repository name '" + repository + "' must be lower case",
                    "Use '" + repository.toLowerCase(Locale.ROOT) + "'.");
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(Reason.INVALID_REPOSITORY, input,
                        component.isEmpty() ? "the repository name '" + repository + "' has an empty path component"
                                : "the repository path component '" + component + "' may contain only lower-case "
                                + "letters and digits, separated by '.', '_', '__' or dashes",
                        "Use a repository name such as team/app.");
            }
        }
    }

    private static void checkRegistry(String input, String registry) {
        String host = registry;
        int portColon = registry.startsWith("[") ? registry.indexOf(':', registry.indexOf(']')) : registry.lastIndexOf(':');
        if (portColon >= 0) {
            host = registry.substring(0, portColon);
            String port = registry.substring(portColon + 1);
            if (!PORT.matcher(port).matches()) {
                throw invalid(Reason.INVALID_REGISTRY, input, "the registry port '" + port + "' is not a number",
                        "Write the registry as host:port, e.g. localhost:5000.");
            }
        }
        if (!DOMAIN_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw invalid(Reason.INVALID_REGISTRY, input, "'" + registry + "' is not a valid registry host",
                    "Write the registry as a host name or IP address, optionally with :port.");
        }
    }

    /*
     * equals and hashCode written out (the record's generated ones, bound by an invokedynamic
     * bootstrap at their first call, cost every command's start a few milliseconds; see Digest);
     * hashCode gives the generated one's value.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ImageReference that && registry.equals(that.registry)
                && repository.equals(that.repository) && tag.equals(that.tag) && digest.equals(that.digest);
    }

    @Override
    public int hashCode() {
        return ((31 * registry.hashCode() + repository.hashCode()) * 31 + tag.hashCode()) * 31 + digest.hashCode();
    }

    private static InvalidReferenceException invalid(Reason reason, String input, String detail, String action) {
        return new InvalidReferenceException(reason, input, "invalid reference '" + input + "': " + detail, action);
    }
}
