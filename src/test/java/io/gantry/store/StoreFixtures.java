package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Small deterministic images for store tests, written straight into a store (no registry): a
 * layer is a gzipped tar with one file of seeded random bytes, so the same seed gives the same
 * layer and images that share seeds share layers.
 */
public final class StoreFixtures {

    private StoreFixtures() {
    }

    /** A layer: the compressed blob and its diff ID. */
    public record Layer(byte[] blob, Digest digest, Digest diffId) {
        Descriptor descriptor() {
            return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, blob.length);
        }
    }

    /** A built image: its blobs, not yet stored. */
    public record Image(List<Layer> layers, byte[] config, byte[] manifest) {
        public Digest id() {
            return Digest.sha256(config);
        }

        public Descriptor manifestDescriptor() {
            return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
        }

        Descriptor configDescriptor() {
            return Descriptor.of(MediaTypes.OCI_CONFIG, id(), config.length);
        }
    }

    public static Layer layer(long seed, int size) {
        return layer(seed, size, Deflater.DEFAULT_COMPRESSION);
    }

    /** The layer of {@code seed} compressed at {@code level}: the same diff ID, another blob for another level. */
    static Layer layer(long seed, int size, int level) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                TarArchiveEntry entry = new TarArchiveEntry("file-" + seed);
                entry.setSize(size);
                entry.setModTime(0);
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
            byte[] tarBytes = tar.toByteArray();
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz) {
                {
                    def.setLevel(level);
                }
            }) {
                out.write(tarBytes);
            }
            byte[] blob = gz.toByteArray();
            return new Layer(blob, Digest.sha256(blob), Digest.sha256(tarBytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An image whose layers are made from {@code seeds}, bottom first; {@code label} makes the config unique. */
    public static Image image(String label, long... seeds) {
        return imageGzippedAt(Deflater.DEFAULT_COMPRESSION, label, seeds);
    }

    /**
     * As {@link #image(String, long...)} with the layers gzipped at {@code level}: the same diff IDs
     * as the default image of those seeds, stored as other blobs (as a layer pulled from a registry and
     * the same layer copied from an engine are).
     */
    static Image imageGzippedAt(int level, String label, long... seeds) {
        List<Layer> layers = new ArrayList<>();
        for (long seed : seeds) {
            layers.add(layer(seed, 2000 + (int) (seed % 1000), level));
        }
        StringBuilder diffIds = new StringBuilder();
        StringBuilder history = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            diffIds.append(i > 0 ? "," : "").append('"').append(layers.get(i).diffId()).append('"');
            history.append(i > 0 ? "," : "").append("{\"created\":\"2024-01-0").append(1 + i % 9)
                    .append("T00:00:00Z\",\"created_by\":\"/bin/sh -c add layer ").append(i).append("\"}");
        }
        history.append(layers.isEmpty() ? "" : ",").append("{\"created\":\"2024-02-01T00:00:00Z\",\"created_by\":\"/bin/sh -c #(nop) LABEL x=")
                .append(label).append("\",\"empty_layer\":true}");
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-02-01T00:00:00Z\","
                + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"Labels\":{\"x\":\"" + label + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},\"history\":[" + history + "]}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(configBytes)
                + "\",\"size\":" + configBytes.length + "},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            manifest.append(i > 0 ? "," : "").append("{\"mediaType\":\"").append(MediaTypes.OCI_LAYER_GZIP)
                    .append("\",\"digest\":\"").append(l.digest()).append("\",\"size\":").append(l.blob().length).append('}');
        }
        manifest.append("]}");
        return new Image(layers, configBytes, manifest.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the image's blobs (verified) and adds it under {@code names}. */
    public static LayoutImage store(OciLayoutStore store, Image image, String... names) {
        writeBlobs(store, image);
        List<ImageName> refs = new ArrayList<>();
        for (String name : names) {
            refs.add(ImageName.of(ImageReference.parse(name)));
        }
        return store.addImage(image.manifestDescriptor(), refs, Optional.empty());
    }

    /** Writes a harness fixture image's blobs (verified) and adds it under {@code names}. */
    public static LayoutImage store(OciLayoutStore store, io.gantry.testing.FixtureImage image, String... names) {
        for (io.gantry.testing.Blob blob : image.layerBlobs()) {
            put(store, blob);
        }
        put(store, image.configBlob());
        io.gantry.testing.Blob manifest = image.manifest();
        put(store, manifest);
        List<ImageName> refs = new ArrayList<>();
        for (String name : names) {
            refs.add(ImageName.of(ImageReference.parse(name)));
        }
        return store.addImage(Descriptor.of(manifest.mediaType(), Digest.of(manifest.digest()), manifest.size()), refs,
                Optional.empty());
    }

    static Descriptor put(OciLayoutStore store, io.gantry.testing.Blob blob) {
        Descriptor d = Descriptor.of(blob.mediaType(), Digest.of(blob.digest()), blob.size());
        store.writeBlob(d, new java.io.ByteArrayInputStream(blob.bytes()));
        return d;
    }

    static void writeBlobs(OciLayoutStore store, Image image) {
        for (Layer layer : image.layers()) {
            store.writeBlob(layer.descriptor(), new java.io.ByteArrayInputStream(layer.blob()));
        }
        store.writeBlob(image.configDescriptor(), new java.io.ByteArrayInputStream(image.config()));
        store.writeBlob(image.manifestDescriptor(), new java.io.ByteArrayInputStream(image.manifest()));
    }
}
