package io.gantry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Fixture images in the {@code docker save} format, for {@code docker load}: a tar holding
 * {@code manifest.json} (one entry per image: {@code Config}, {@code RepoTags}, {@code Layers}),
 * each image's config as {@code <id>.json}, and each layer once as {@code <diff id>/layer.tar}
 * (uncompressed, the classic format) or gzip-compressed with {@link #gzipLayers()} (which
 * {@code docker load} accepts as well). An image added without tags loads as a dangling image.
 */
public final class DockerArchive {

    private record Item(FixtureImage image, List<String> tags) {
    }

    private final List<Item> items = new ArrayList<>();
    private boolean gzipLayers;

    /** Adds {@code image} with these repository tags (e.g. {@code app:v1}); none means untagged. */
    public DockerArchive add(FixtureImage image, String... tags) {
        items.add(new Item(image, List.of(tags)));
        return this;
    }

    /** Writes layers gzip-compressed, as pushed to a registry, instead of as plain tars. */
    public DockerArchive gzipLayers() {
        gzipLayers = true;
        return this;
    }

    /** The {@code manifest.json} of the archive. */
    public byte[] manifestJson() {
        List<Map<String, Object>> manifest = new ArrayList<>();
        for (Item item : items) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Config", configPath(item.image()));
            entry.put("RepoTags", item.tags().isEmpty() ? null : item.tags());
            entry.put("Layers", item.image().layers().stream().map(this::layerPath).toList());
            manifest.add(entry);
        }
        return FixtureImage.json(manifest);
    }

    /** Writes the archive to {@code file}. */
    public Path writeTo(Path file) {
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Set<String> written = new LinkedHashSet<>();
            for (Item item : items) {
                String config = configPath(item.image());
                if (written.add(config)) {
                    write(tar, config, item.image().configJson());
                }
                for (Layer layer : item.image().layers()) {
                    String path = layerPath(layer);
                    if (written.add(path)) {
                        write(tar, path, gzipLayers ? layer.compressed() : layer.tar());
                    }
                }
            }
            write(tar, "manifest.json", manifestJson());
            tar.finish();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String configPath(FixtureImage image) {
        return Sha256.hex(image.imageId()) + ".json";
    }

    private String layerPath(Layer layer) {
        return Sha256.hex(layer.diffId()) + (gzipLayers ? "/layer.tar.gz" : "/layer.tar");
    }

    private static void write(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100644);
        entry.setModTime(FileTime.from(FixtureImages.DEFAULT_CREATED.getEpochSecond(), TimeUnit.SECONDS));
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
