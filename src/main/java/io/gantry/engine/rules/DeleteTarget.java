package io.gantry.engine.rules;

import io.gantry.core.Digest;
import java.util.Objects;

/** What the user chose to delete: a name (which may only untag) or an image ID (which deletes the image). */
public sealed interface DeleteTarget {

    /**
     * A {@code repo:tag} or {@code repo@sha256:…} reference, as {@code docker images} shows it; a
     * reference without tag or digest means {@code :latest}.
     */
    record ByReference(String reference) implements DeleteTarget {
        public ByReference {
            Objects.requireNonNull(reference, "reference");
        }

        @Override
        public String toString() {
            return reference;
        }
    }

    /** A full image ID. */
    record ById(Digest imageId) implements DeleteTarget {
        public ById {
            Objects.requireNonNull(imageId, "imageId");
        }

        @Override
        public String toString() {
            return imageId.toString();
        }
    }

    static DeleteTarget reference(String reference) {
        return new ByReference(reference);
    }

    static DeleteTarget id(Digest imageId) {
        return new ById(imageId);
    }

    /** {@code sha256:<64 hex>} is an image ID; anything else a reference. */
    static DeleteTarget parse(String text) {
        return Digest.isDigest(text) ? new ById(Digest.of(text)) : new ByReference(text);
    }
}
