package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Digest;
import io.gantry.core.MediaTypes;
import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 5, no false success: {@code save -t oci} of a damaged store fails and leaves no
 * file; an image whose config lists another number of layers than its manifest is refused on load
 * and shown as damaged (never with a layer hidden) when another tool put it in the layout.
 */
class NoFalseSuccessTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run gantry(Path store, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow()))),
                new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    private Path storeWith(StoreFixtures.Image image, String name) {
        Path store = dir.resolve("store");
        try (OciLayoutStore s = OciLayoutStore.open(store)) {
            StoreFixtures.store(s, image, name);
        }
        return store;
    }

    private static Path blob(Path store, Digest digest) {
        return store.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    @Test
    void ociSaveOfATruncatedLayerFailsAndWritesNoFile() throws IOException {
        StoreFixtures.Image image = StoreFixtures.image("cut", 11, 12);
        Path store = storeWith(image, "example.com/cut:1");
        Path layer = blob(store, image.layers().get(1).digest());
        byte[] whole = Files.readAllBytes(layer);
        Files.write(layer, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path target = dir.resolve("out").resolve("cut.tar");
        Files.createDirectories(target.getParent());

        Run run = gantry(store, "save", "-t", "oci", "-o", target.toString(), "example.com/cut:1");

        assertThat(run.code()).as(run.err()).isNotZero();
        assertThat(run.err()).contains("damaged").contains(image.layers().get(1).digest().toString())
                .contains("cut short").doesNotContain("Exception");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).as("no archive and no half file").isEmpty();
        }
    }

    @Test
    void ociSaveOfACorruptLayerOfTheRightSizeFails() throws IOException {
        StoreFixtures.Image image = StoreFixtures.image("flip", 21, 22);
        Path store = storeWith(image, "example.com/flip:1");
        Path layer = blob(store, image.layers().get(0).digest());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(layer, bytes);
        Path target = dir.resolve("flip.tar");

        Run run = gantry(store, "save", "--type", "oci", "-o", target.toString(), "example.com/flip:1");

        assertThat(run.code()).as(run.err()).isNotZero();
        assertThat(run.err()).contains("damaged").contains("hashes to").doesNotContain("Exception");
        assertThat(target).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
        // the store itself is unchanged, and a whole image still saves
        assertThat(gantry(store, "verify").code()).isEqualTo(GantryCli.EXIT_DAMAGED);
    }

    @Test
    void ociSaveOfAWholeStoreStillWorks() {
        StoreFixtures.Image image = StoreFixtures.image("fine", 31, 32);
        Path store = storeWith(image, "example.com/fine:1");
        Path target = dir.resolve("fine.tar");

        Run run = gantry(store, "save", "-t", "oci", "-o", target.toString(), "example.com/fine:1");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(target).isNotEmptyFile();
    }

    /**
     * A layout another tool wrote: an image with two layers whose config lists one diff ID. It is
     * shown as damaged by {@code layers}, {@code inspect} and {@code verify}, and an archive of it
     * is refused by {@code load}.
     */
    @Test
    void anImageWhoseConfigListsFewerLayersIsRefusedAndShownAsDamaged() throws IOException {
        StoreFixtures.Image two = StoreFixtures.image("two", 41, 42);
        Path layout = dir.resolve("other-tool");
        brokenLayout(layout, two);

        Run layers = gantry(layout, "layers", "example.com/short:1");
        assertThat(layers.code()).as(layers.out()).isNotZero();
        assertThat(layers.err()).contains("damaged").contains("config lists 1 layer (rootfs.diff_ids) but its manifest has 2")
                .doesNotContain("Exception");
        assertThat(layers.out()).doesNotContain(two.layers().get(0).digest().toString());

        Run inspect = gantry(layout, "inspect", "example.com/short:1");
        assertThat(inspect.code()).isNotZero();
        assertThat(inspect.err()).contains("config lists 1 layer");

        Run verify = gantry(layout, "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isEqualTo(GantryCli.EXIT_DAMAGED);
        assertThat(verify.out() + verify.err()).contains("config lists 1 layer");

        Path archive = dir.resolve("short.tar");
        tar(layout, archive);
        Path store = dir.resolve("loading");
        Run load = gantry(store, "load", "-i", archive.toString());
        assertThat(load.code()).as(load.out()).isNotZero();
        assertThat(load.err()).contains("config lists 1 layer (rootfs.diff_ids) but its manifest has 2")
                .doesNotContain("Exception");
        Run images = gantry(store, "images", "-q");
        assertThat(images.out()).isBlank();
    }

    /** Writes an OCI layout holding {@code image}'s blobs with a config that lists only its first layer. */
    private static void brokenLayout(Path layout, StoreFixtures.Image image) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(image.config());
        ArrayNode diffIds = (ArrayNode) config.path("rootfs").path("diff_ids");
        diffIds.remove(1);
        byte[] configBytes = json.writeValueAsBytes(config);
        ObjectNode manifest = (ObjectNode) json.readTree(image.manifest());
        ObjectNode configDescriptor = (ObjectNode) manifest.path("config");
        configDescriptor.put("digest", Digest.sha256(configBytes).toString());
        configDescriptor.put("size", configBytes.length);
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        Path blobs = Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
        for (StoreFixtures.Layer layer : image.layers()) {
            Files.write(blobs.resolve(layer.digest().hex()), layer.blob());
        }
        Files.write(blobs.resolve(Digest.sha256(configBytes).hex()), configBytes);
        Files.write(blobs.resolve(Digest.sha256(manifestBytes).hex()), manifestBytes);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                + Digest.sha256(manifestBytes) + "\",\"size\":" + manifestBytes.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"example.com/short:1\"}}]}");
    }

    private static void tar(Path layout, Path archive) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file);
             Stream<Path> walk = Files.walk(layout)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                TarArchiveEntry entry = new TarArchiveEntry(layout.relativize(path).toString());
                byte[] bytes = Files.readAllBytes(path);
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
