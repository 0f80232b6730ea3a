package io.gantry.store;

import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import java.util.Objects;
import java.util.Optional;

/**
 * A name an {@code index.json} entry carries. Gantry writes full references
 * ({@code docker.io/library/alpine:3.20}, {@code localhost:5000/app@sha256:…}) into both
 * {@code org.opencontainers.image.ref.name} and {@code io.containerd.image.name}; other tools often
 * write a bare tag ({@code skopeo copy … oci:DIR:latest}), which is kept as {@code raw} and shown as
 * {@code <none>:latest}.
 *
 * @param raw       the annotation's text
 * @param reference the parsed reference, when the text is one (a bare tag is not)
 */
public record ImageName(String raw, Optional<ImageReference> reference) {

    /** The shown repository of a bare tag, which names no repository. */
    public static final String NO_REPOSITORY = "<none>";

    public ImageName {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(reference, "reference");
    }

    public static ImageName of(ImageReference reference) {
        return new ImageName(reference.toString(), Optional.of(reference));
    }

    /**
     * Reads an annotation: text with a '/', ':' or '@' is a reference (Docker's normalization);
     * anything else, or text that does not parse, is a bare name.
     */
    public static ImageName parse(String raw) {
        if (raw.indexOf('/') >= 0 || raw.indexOf(':') >= 0 || raw.indexOf('@') >= 0) {
            try {
                return new ImageName(raw, Optional.of(ImageReference.parse(raw)));
            } catch (GantryException | IllegalArgumentException e) {
                return new ImageName(raw, Optional.empty());
            }
        }
        return new ImageName(raw, Optional.empty());
    }

    /** Names a tag (or is a bare name, which tools use as a tag). */
    public boolean isTag() {
        return reference.map(r -> r.tag().isPresent() && r.digest().isEmpty()).orElse(true);
    }

    /** Names a digest ({@code repo@sha256:…}). */
    public boolean isDigest() {
        return reference.map(r -> r.digest().isPresent()).orElse(false);
    }

    /** The repository as {@code docker images} shows it, e.g. {@code alpine}, or {@code <none>} for a bare name. */
    public String repository() {
        return reference.map(ImageReference::familiarName).orElse(NO_REPOSITORY);
    }

    /** The short form: {@code alpine:3.20}, {@code ghcr.io/o/r@sha256:…}, {@code <none>:latest}. */
    public String display() {
        return reference.map(ImageReference::familiar).orElse(NO_REPOSITORY + ":" + raw);
    }

    /** Whether a user's text names this: the raw annotation, or the same reference once normalized. */
    public boolean matches(String input, Optional<ImageReference> parsed) {
        if (raw.equals(input) || display().equals(input)) {
            return true;
        }
        return reference.isPresent() && parsed.isPresent() && reference.get().equals(parsed.get());
    }

    /*
     * equals, hashCode and toString written out, with the values the record's generated ones give
     * (hashCode: 31 times the hash so far plus each component's; toString: {@code Name[a=…, b=…]}):
     * the generated ones are bound at their first call by an invokedynamic bootstrap
     * (ObjectMethods) that spins method-handle classes, a few milliseconds of a cold pull each, which
     * no class-data archive of JDK 17 keeps (RecordMethodsTest keeps them written out).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ImageName that && raw.equals(that.raw) && reference.equals(that.reference);
    }

    @Override
    public int hashCode() {
        return 31 * raw.hashCode() + reference.hashCode();
    }

    @Override
    public String toString() {
        return "ImageName[raw=" + raw + ", reference=" + reference + "]";
    }
}
