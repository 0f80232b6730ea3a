package io.gantry.engine.containerd;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.LayerHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One image of a containerd namespace: every image record (name) whose target resolves to the same
 * config, as Docker groups names under one image ID.
 *
 * @param id       the config digest
 * @param target   the descriptor the records point at (an index or a manifest)
 * @param manifest the manifest chosen for this machine's platform (the target itself when it is one)
 * @param content  the parsed manifest
 * @param config   the parsed config
 * @param names    the records' names as containerd keeps them ({@code docker.io/library/alpine:3.20},
 *                 {@code 127.0.0.1:5000/app@sha256:…}, and in {@code k8s.io} the CRI's {@code sha256:<id>})
 * @param created  when the oldest of the records was created (what {@code ctr images ls} does not show)
 */
record ContainerdImage(Digest id, Descriptor target, Descriptor manifest, Manifest content, ImageConfig config,
                       List<String> names, Instant created) {

    ContainerdImage {
        names = List.copyOf(names);
    }

    /** {@code repository:tag} names in Docker's short form. */
    List<String> repoTags() {
        return repoTags(names);
    }

    /** {@code repository@digest} names in Docker's short form. */
    List<String> repoDigests() {
        return repoDigests(names);
    }

    /** The names that parse as references (not the CRI's bare {@code sha256:<id>} record). */
    List<ImageReference> references() {
        return references(names);
    }

    /** {@code repository:tag} names among the record names {@code names}, in Docker's short form. */
    static List<String> repoTags(List<String> names) {
        return references(names).stream().filter(r -> r.tag().isPresent() && r.digest().isEmpty())
                .map(ImageReference::familiar).distinct().toList();
    }

    /** {@code repository@digest} names among the record names {@code names}, in Docker's short form. */
    static List<String> repoDigests(List<String> names) {
        return references(names).stream().filter(r -> r.digest().isPresent()).map(ImageReference::familiar).distinct()
                .toList();
    }

    private static List<ImageReference> references(List<String> names) {
        List<ImageReference> references = new ArrayList<>();
        for (String name : names) {
            reference(name).ifPresent(references::add);
        }
        return references;
    }

    /** The record name a short-form reference ({@link #repoTags()}, {@link #repoDigests()}) stands for. */
    Optional<String> recordOf(String shortForm) {
        return names.stream().filter(n -> reference(n).map(ImageReference::familiar).orElse("").equals(shortForm))
                .findFirst();
    }

    /** The layer blobs' sizes, each blob once, as the embedded store counts an image's SIZE. */
    long size() {
        return content.storedLayersSize();
    }

    List<ImageLayer> layers() {
        return LayerHistory.layers(content, config);
    }

    List<HistoryEntry> history() {
        return LayerHistory.history(id, content, config, repoTags());
    }

    static Optional<ImageReference> reference(String name) {
        if (Digest.isDigest(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImageReference.parse(name));
        } catch (RuntimeException notAReference) {
            return Optional.empty();
        }
    }
}
