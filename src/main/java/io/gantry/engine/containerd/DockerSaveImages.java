package io.gantry.engine.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.MediaTypes;
import io.gantry.registry.ManifestCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The images of a {@code docker save} archive of Docker before 25 (no OCI layout: {@code manifest.json}
 * with each image's {@code Config}, {@code RepoTags} and {@code Layers}, the config as
 * {@code <id>.json}, each layer as {@code <dir>/layer.tar}) turned into what containerd keeps: an
 * OCI image manifest per image over the same config (so the image ID stays) and the layers as they
 * are in the archive (uncompressed tars, or gzipped ones where an archive has them), which is what
 * {@code ctr images import} makes of such an archive too.
 *
 * <p>The archive's files are read in any order by {@link ContainerdLoads}; this class only names
 * which file is what and builds the manifests once {@code manifest.json} is read.
 */
final class DockerSaveImages {

    /**
     * A layer of the classic format: {@code <dir>/layer.tar} as Docker writes it, or any other file one
     * directory down that {@code manifest.json} may name ({@code layer.tar.gz} of other tools); the
     * caller takes {@code blobs/sha256/…} as an OCI blob first.
     */
    private static final Pattern LAYER = Pattern.compile("[^/]+/[^/]+");
    /** A config of the classic format: {@code <id>.json} at the top. */
    private static final Pattern CONFIG = Pattern.compile("[^/]+\\.json");

    /**
     * One image of the archive, ready for containerd.
     *
     * @param manifest the manifest's bytes (written as a blob, with the gc labels that keep its blobs)
     * @param target   the manifest's descriptor (what the image records point at)
     * @param id       the image ID: the config's digest
     * @param config   the config's bytes, as the archive has them
     * @param names    the archive's {@code RepoTags}, parsed
     */
    record Image(byte[] manifest, Descriptor target, Digest id, byte[] config, List<ImageReference> names) {
    }

    private DockerSaveImages() {
    }

    static boolean isLayer(String name) {
        return LAYER.matcher(name).matches();
    }

    static boolean isConfig(String name) {
        return CONFIG.matcher(name).matches() && !name.equals("manifest.json") && !name.equals("index.json");
    }

    /** A layer as containerd keeps it: its media type from its first bytes (gzip or a plain tar). */
    static Descriptor layer(Digest digest, long size, boolean gzipped) {
        return Descriptor.of(gzipped ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, digest, size);
    }

    /**
     * The images {@code manifest.json} describes, from the layers and configs read from the archive
     * (by their path in it). A file it names that the archive lacks, or a config whose
     * {@code rootfs.diff_ids} do not match the layers' content, is {@code INVALID_INPUT}.
     */
    static List<Image> images(byte[] manifestJson, Map<String, Descriptor> layers, Map<String, byte[]> configs,
                              Map<String, Digest> layerDiffIds, String op) {
        JsonNode entries;
        try {
            entries = ManifestCodec.JSON.readTree(manifestJson);
        } catch (IOException e) {
            throw invalid(op, "its manifest.json is not JSON");
        }
        if (!entries.isArray()) {
            throw invalid(op, "its manifest.json is not a list of images");
        }
        List<Image> images = new ArrayList<>();
        for (JsonNode entry : entries) {
            String configPath = entry.path("Config").asText("");
            byte[] config = configs.get(configPath);
            if (config == null) {
                throw invalid(op, "it lacks the config " + configPath + " its manifest.json names");
            }
            List<Descriptor> imageLayers = new ArrayList<>();
            List<Digest> diffIds = new ArrayList<>();
            for (JsonNode path : entry.path("Layers")) {
                Descriptor layer = layers.get(path.asText());
                if (layer == null) {
                    throw invalid(op, "it lacks the layer " + path.asText() + " its manifest.json names");
                }
                imageLayers.add(layer);
                diffIds.add(layerDiffIds.get(path.asText()));
            }
            List<Digest> declared = ManifestCodec.parseConfig(config, op).diffIds();
            if (!declared.equals(diffIds)) {
                throw invalid(op, "the layers of " + configPath + " are not the ones its config lists (rootfs.diff_ids)");
            }
            Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
            byte[] manifest = manifest(configDescriptor, imageLayers);
            List<ImageReference> names = new ArrayList<>();
            for (JsonNode tag : entry.path("RepoTags")) {
                try {
                    names.add(ImageReference.parse(tag.asText()));
                } catch (RuntimeException notAReference) {
                    throw invalid(op, "its manifest.json names an image '" + tag.asText() + "', which is no reference");
                }
            }
            images.add(new Image(manifest, Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest),
                    manifest.length), configDescriptor.digest(), config, names));
        }
        return images;
    }

    private static byte[] manifest(Descriptor config, List<Descriptor> layers) {
        ObjectNode manifest = ManifestCodec.JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", ManifestCodec.descriptorJson(config));
        ArrayNode list = manifest.putArray("layers");
        layers.forEach(l -> list.add(ManifestCodec.descriptorJson(l)));
        return ManifestCodec.bytes(manifest);
    }

    private static GantryException invalid(String op, String why) {
        return new GantryException(ErrorKind.INVALID_INPUT, op, "the docker save archive is damaged: " + why, null, 0,
                "Nothing in the namespace was named or changed; save the image again.", null);
    }

    /** Whether the first two bytes are gzip's magic. */
    static boolean gzipMagic(byte[] firstTwo) {
        return firstTwo.length >= 2 && (firstTwo[0] & 0xff) == 0x1f && (firstTwo[1] & 0xff) == 0x8b;
    }
}
