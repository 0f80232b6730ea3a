package io.gantry.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-platform image: an OCI image index or a Docker manifest list over per-platform
 * {@link FixtureImage}s. An immutable value, like the images it lists.
 *
 * <p>The children are written in the index's own format (an OCI index lists OCI manifests, a
 * manifest list lists Docker manifests), whatever format they were made with.
 *
 * <pre>{@code
 * FixtureIndex multi = images.index("multi", app.platform("linux/amd64"), app.platform("linux/arm64/v8")).oci();
 * registry.pusher().push(multi);   // children by digest, then the index by tag
 * }</pre>
 */
public final class FixtureIndex {

    private final String repository;
    private final String tag;
    private final ManifestFormat format;
    private final List<FixtureImage> images;

    FixtureIndex(String repository, String tag, ManifestFormat format, List<FixtureImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("an index lists at least one image");
        }
        this.repository = FixtureImage.checkRepository(repository);
        this.tag = FixtureImage.checkTag(tag);
        this.format = format;
        this.images = images.stream().map(image -> image.format(format).named(this.repository)).toList();
    }

    /** Written as an OCI image index (children as OCI manifests). */
    public FixtureIndex oci() {
        return new FixtureIndex(repository, tag, ManifestFormat.OCI, images);
    }

    /** Written as a Docker manifest list (children as Docker manifests); the default. */
    public FixtureIndex docker() {
        return new FixtureIndex(repository, tag, ManifestFormat.DOCKER, images);
    }

    public FixtureIndex tag(String newTag) {
        return new FixtureIndex(repository, newTag, format, images);
    }

    public String repository() {
        return repository;
    }

    public String tag() {
        return tag;
    }

    public String reference() {
        return repository + ":" + tag;
    }

    public String reference(String registryHostPort) {
        return registryHostPort + "/" + reference();
    }

    public ManifestFormat format() {
        return format;
    }

    /** The per-platform images, in the index's format and repository. */
    public List<FixtureImage> images() {
        return images;
    }

    /** The index or manifest list, as pushed. */
    public Blob manifest() {
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (FixtureImage image : images) {
            Map<String, Object> entry = FixtureImage.descriptor(image.manifest());
            entry.put("platform", image.platform().toJson());
            manifests.add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", 2);
        root.put("mediaType", format.indexMediaType());
        root.put("manifests", manifests);
        return Blob.of(format.indexMediaType(), FixtureImage.json(root));
    }

    public String manifestDigest() {
        return manifest().digest();
    }

    @Override
    public String toString() {
        return "FixtureIndex[" + reference() + ", " + format + ", "
                + images.stream().map(i -> i.platform().toString()).toList() + "]";
    }
}
