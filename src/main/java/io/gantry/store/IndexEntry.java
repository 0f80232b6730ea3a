package io.gantry.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.registry.ManifestCodec;
import java.util.Optional;

/**
 * One descriptor of {@code index.json}, with the JSON it was read from so that fields Gantry does
 * not model (another tool's annotations, {@code os.features}) survive a rewrite.
 */
record IndexEntry(Descriptor descriptor, ObjectNode json) {

    static final String REF_NAME = io.gantry.engine.archive.ArchiveWriter.REF_NAME;
    static final String CONTAINERD_NAME = io.gantry.engine.archive.ArchiveWriter.CONTAINERD_NAME;
    /** The index (manifest list) the entry's manifest was chosen from, when it was pulled through one. */
    static final String SOURCE_INDEX = "io.gantry.image.index";
    static final String SOURCE_INDEX_MEDIA_TYPE = "io.gantry.image.index.mediaType";
    static final String SOURCE_INDEX_SIZE = "io.gantry.image.index.size";
    /** The manifest as the registry (or archive) had it, when the entry holds its OCI form. */
    static final String SOURCE_MANIFEST = "io.gantry.image.manifest";
    static final String SOURCE_MANIFEST_MEDIA_TYPE = "io.gantry.image.manifest.mediaType";
    static final String SOURCE_MANIFEST_SIZE = "io.gantry.image.manifest.size";

    static IndexEntry of(Descriptor descriptor) {
        return new IndexEntry(descriptor, ManifestCodec.descriptorJson(descriptor));
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
        return annotated(SOURCE_INDEX, SOURCE_INDEX_MEDIA_TYPE, SOURCE_INDEX_SIZE, io.gantry.core.MediaTypes.OCI_INDEX);
    }

    /** The original manifest, when the entry holds the OCI form of a Docker v2 manifest. */
    Optional<Descriptor> sourceManifest() {
        return annotated(SOURCE_MANIFEST, SOURCE_MANIFEST_MEDIA_TYPE, SOURCE_MANIFEST_SIZE,
                io.gantry.core.MediaTypes.DOCKER_MANIFEST);
    }

    /** The names of entries that stand for one image, each once, in {@code index.json} order. */
    static java.util.List<ImageName> names(java.util.List<IndexEntry> sameImage) {
        java.util.List<ImageName> names = new java.util.ArrayList<>();
        for (IndexEntry entry : sameImage) {
            entry.name().filter(n -> !names.contains(n)).ifPresent(names::add);
        }
        return names;
    }

    /** The first source index entries of one image record. */
    static Optional<Descriptor> sourceIndex(java.util.List<IndexEntry> sameImage) {
        return sameImage.stream().map(IndexEntry::sourceIndex).flatMap(Optional::stream).findFirst();
    }

    /** The first original manifest entries of one image record. */
    static Optional<Descriptor> sourceManifest(java.util.List<IndexEntry> sameImage) {
        return sameImage.stream().map(IndexEntry::sourceManifest).flatMap(Optional::stream).findFirst();
    }

    /** Both, for reachability: blobs the entry keeps alive besides its own graph. */
    java.util.List<Descriptor> provenance() {
        java.util.List<Descriptor> kept = new java.util.ArrayList<>();
        sourceIndex().ifPresent(kept::add);
        sourceManifest().ifPresent(kept::add);
        return kept;
    }

    private Optional<Descriptor> annotated(String digestKey, String typeKey, String sizeKey, String defaultType) {
        String digest = descriptor.annotations().getOrDefault(digestKey, "");
        if (digest.isEmpty() || !Digest.isDigest(digest)) {
            return Optional.empty();
        }
        long size;
        try {
            size = Long.parseLong(descriptor.annotations().getOrDefault(sizeKey, "-1"));
        } catch (NumberFormatException e) {
            size = -1;
        }
        return Optional.of(Descriptor.of(descriptor.annotations().getOrDefault(typeKey, defaultType), Digest.of(digest),
                Math.max(size, 0)));
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
        return other instanceof IndexEntry that && descriptor.equals(that.descriptor) && java.util.Objects.equals(json, that.json);
    }

    @Override
    public int hashCode() {
        return 31 * descriptor.hashCode() + java.util.Objects.hashCode(json);
    }

    @Override
    public String toString() {
        return "IndexEntry[descriptor=" + descriptor + ", json=" + json + "]";
    }
}
