package io.gantry.registry;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest or index as a registry served it: the exact bytes (to store or push unchanged), their
 * verified digest and media type, and the parsed content.
 *
 * @param reference the reference it was fetched by
 * @param digest    the digest of {@code bytes}, verified against the reference's digest and the
 *                  registry's {@code Docker-Content-Digest} when they exist
 * @param mediaType the manifest's media type
 * @param bytes     the raw bytes (a copy is returned)
 * @param content   the parsed {@link Manifest} or {@link ImageIndex}
 */
public record FetchedManifest(ImageReference reference, Digest digest, String mediaType, byte[] bytes,
                              ManifestContent content) {

    public FetchedManifest {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The descriptor that points at this manifest (media type, digest, size). */
    public Descriptor descriptor() {
        return Descriptor.of(mediaType, digest, bytes.length);
    }

    /** The image manifest, when this is one. */
    public Optional<Manifest> manifest() {
        return content instanceof Manifest m ? Optional.of(m) : Optional.empty();
    }

    /** The index, when this is one. */
    public Optional<ImageIndex> index() {
        return content instanceof ImageIndex i ? Optional.of(i) : Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FetchedManifest that && reference.equals(that.reference) && digest.equals(that.digest)
                && mediaType.equals(that.mediaType) && Arrays.equals(bytes, that.bytes) && content.equals(that.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reference, digest, mediaType, Arrays.hashCode(bytes), content);
    }

    @Override
    public String toString() {
        return "FetchedManifest[" + reference + ", " + digest + ", " + mediaType + ", " + bytes.length + " bytes]";
    }
}
