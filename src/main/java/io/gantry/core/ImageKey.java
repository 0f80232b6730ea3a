package io.gantry.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What names a local image, as Docker's image commands take it: a reference ({@code alpine},
 * {@code localhost:5000/app:1}, {@code repo@sha256:…}) or an image ID or unique ID prefix
 * ({@code sha256:3f4c…}, {@code 3f4c}). Text that is both (a short hex word such as {@code cafe})
 * carries both; an endpoint tries the reference first and then the ID prefix, as moby's
 * {@code GetImage} does.
 *
 * @param text      what the user typed (or the reference's short form), for messages and for
 *                  endpoints that take the text themselves
 * @param reference the text as a reference, when it is one
 * @param idPrefix  the text as an image ID or ID prefix, lower-case hex without {@code sha256:},
 *                  when it is one
 */
public record ImageKey(String text, Optional<ImageReference> reference, Optional<String> idPrefix) {

    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?([a-f0-9]{1,64})");

    public ImageKey {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(idPrefix, "idPrefix");
        if (reference.isEmpty() && idPrefix.isEmpty()) {
            throw new IllegalArgumentException("an image key needs a reference or an ID prefix: " + text);
        }
    }

    /**
     * Parses what a user typed; {@code INVALID_INPUT} (with the reference rule it breaks) when it is
     * neither a reference nor an image ID or ID prefix.
     */
    public static ImageKey parse(String text) {
        Objects.requireNonNull(text, "text");
        var hex = HEX_PREFIX.matcher(text);
        Optional<String> prefix = hex.matches() ? Optional.of(hex.group(2)) : Optional.empty();
        if (text.startsWith("sha256:")) {
            if (prefix.isEmpty()) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "find image " + text, "'" + text
                        + "' is not an image ID: expected sha256: and up to 64 lower-case hex digits", null, 0,
                        "Give the image ID as gantry images shows it, or a name.", null);
            }
            return new ImageKey(text, Optional.empty(), prefix);
        }
        try {
            return new ImageKey(text, Optional.of(ImageReference.parse(text)), prefix);
        } catch (GantryException e) {
            if (prefix.isPresent()) {
                return new ImageKey(text, Optional.empty(), prefix);
            }
            throw e;
        }
    }

    /** The image {@code reference} names. */
    public static ImageKey of(ImageReference reference) {
        return new ImageKey(reference.familiar(), Optional.of(reference), Optional.empty());
    }

    /** The image with this ID. */
    public static ImageKey of(Digest imageId) {
        return new ImageKey(imageId.toString(), Optional.empty(), Optional.of(imageId.hex()));
    }

    /** The full image ID, when the key is one (64 hex digits). */
    public Optional<Digest> id() {
        return idPrefix.filter(hex -> hex.length() == 64).map(hex -> Digest.of("sha256:" + hex));
    }

    @Override
    public String toString() {
        return text;
    }
}
