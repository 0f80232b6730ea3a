package io.gantry.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import java.util.Optional;

/**
 * One descriptor of {@code index.json}, with the JSON it was read from so that fields Gantry does
 * not model (another tool's annotations, {@code os.features}) survive a rewrite.
 */
record IndexEntry(Descriptor descriptor, ObjectNode json) {

    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    /** The index (manifest list) the entry's manifest was chosen from, when it was pulled through one. */
    static final String SOURCE_INDEX = "io.gantry.image.index";
    static final String SOURCE_INDEX_MEDIA_TYPE = "io.gantry.image.index.mediaType";
    static final String SOURCE_INDEX_SIZE = "io.gantry.image.index.size";

    static IndexEntry of(Descriptor descriptor) {
        return new IndexEntry(descriptor, ContentJson.toJson(descriptor));
    }

    /** The entry's name: {@code io.containerd.image.name} when it parses, else the OCI ref name. */
    Optional<ImageName> name() {
        String containerd = descriptor.annotations().getOrDefault(CONTAINERD_NAME, "");
        if (!containerd.isEmpty()) {
            ImageName name = ImageName.parse(containerd);
            if (name.reference().isPresent()) {
                return Optional.of(name);
            }
        }
        String ref = descriptor.annotations().getOrDefault(REF_NAME, "");
        return ref.isEmpty() ? Optional.empty() : Optional.of(ImageName.parse(ref));
    }

    /** The source index, when the entry's manifest was chosen from one. */
    Optional<Descriptor> sourceIndex() {
        String digest = descriptor.annotations().getOrDefault(SOURCE_INDEX, "");
        if (digest.isEmpty() || !Digest.isDigest(digest)) {
            return Optional.empty();
        }
        long size;
        try {
            size = Long.parseLong(descriptor.annotations().getOrDefault(SOURCE_INDEX_SIZE, "-1"));
        } catch (NumberFormatException e) {
            size = -1;
        }
        return Optional.of(Descriptor.of(descriptor.annotations().getOrDefault(SOURCE_INDEX_MEDIA_TYPE,
                io.gantry.core.MediaTypes.OCI_INDEX), Digest.of(digest), Math.max(size, 0)));
    }
}
