package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ImageStore#load} added, one entry per image, as {@code docker load} reports
 * "Loaded image: …" and "Loaded image ID: …".
 *
 * @param format the archive's format, as detected
 * @param images the images loaded
 */
public record LoadResult(ArchiveFormat format, List<Loaded> images) {

    public LoadResult {
        Objects.requireNonNull(format, "format");
        images = List.copyOf(images);
    }

    /**
     * One loaded image.
     *
     * @param id    the image ID
     * @param names the names it was given, short form; empty when the archive named none
     * @param bytes the bytes of blobs the store did not have before
     */
    public record Loaded(Digest id, List<String> names, long bytes) {
        public Loaded {
            Objects.requireNonNull(id, "id");
            names = List.copyOf(names);
        }
    }
}
