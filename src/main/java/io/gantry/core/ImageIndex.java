package io.gantry.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A multi-platform image: a Docker manifest list or an OCI image index, listing one manifest per
 * platform (and possibly attestations or nested indexes).
 *
 * @param mediaType   {@link MediaTypes#DOCKER_MANIFEST_LIST} or {@link MediaTypes#OCI_INDEX}
 * @param manifests   the listed manifests, each usually with a platform
 * @param annotations free-form metadata (OCI only; empty when none)
 */
public record ImageIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations)
        implements ManifestContent {

    public ImageIndex {
        Objects.requireNonNull(mediaType, "mediaType");
        if (!MediaTypes.isIndex(mediaType)) {
            throw new IllegalArgumentException("not an index media type: " + mediaType);
        }
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    public static ImageIndex of(String mediaType, List<Descriptor> manifests) {
        return new ImageIndex(mediaType, manifests, Map.of());
    }

    /**
     * The image manifest that best fits {@code wanted} (see {@link Platform#compatibility}): an
     * exact match first, then the closest compatible variant; among equals, the first listed.
     * Entries without a platform, and nested indexes, are never chosen.
     */
    public Optional<Descriptor> manifestFor(Platform wanted) {
        Descriptor best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Descriptor candidate : manifests) {
            if (candidate.platform().isEmpty() || !MediaTypes.isImageManifest(candidate.mediaType())) {
                continue;
            }
            OptionalInt rank = wanted.compatibility(candidate.platform().get());
            if (rank.isPresent() && rank.getAsInt() < bestRank) {
                best = candidate;
                bestRank = rank.getAsInt();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The platforms this index offers images for, in listed order, skipping attestations. */
    public List<Platform> platforms() {
        return manifests.stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
                .flatMap(d -> d.platform().stream())
                .filter(p -> !p.os().equals("unknown"))
                .toList();
    }
}
