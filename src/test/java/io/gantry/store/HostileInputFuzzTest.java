package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.engine.ArchiveFormat;
import io.gantry.registry.ManifestCodec;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.Fuzz;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 9: a fuzz test over hostile input, with a seeded random generator (reproducible:
 * a failure names its seed) and a bounded time per target (about {@link #BUDGET_MS} ms). Image
 * references, manifests, indexes and configs (through the registry's codec and the store's
 * parser), and whole archives for {@code load} with their tar headers and JSON mutated. Only
 * Gantry's own typed error, {@link GantryException}, may come out (a digest's value factory
 * documents {@link IllegalArgumentException}); a NullPointerException, ClassCastException,
 * IndexOutOfBoundsException or the like is a bug. The tar header reader of the layer analysis is
 * fuzzed in {@code service.analysis.TarHeaderFuzzTest}.
 */
class HostileInputFuzzTest {

    static final long BUDGET_MS = Long.getLong("gantry.fuzz.ms", 1500);
    private static final long SEED = 14_09L;
    private static final String D1 = "sha256:" + "a".repeat(64);
    private static final String D2 = "sha256:" + "b".repeat(64);
    private static final String D3 = "sha256:" + "c".repeat(64);

    @TempDir
    Path dir;

    // ---- references

    private static final String REFERENCE_ALPHABET = "abcz09AZ._-/:@+%~ \t\n\u0000\u001b[]sha256:localhost.:5000éÿ";

    private static String randomText(Random random, String alphabet, int max) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String mutateText(Random random, String text) {
        StringBuilder s = new StringBuilder(text);
        for (int k = random.nextInt(4); k >= 0; k--) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, REFERENCE_ALPHABET.charAt(random.nextInt(REFERENCE_ALPHABET.length())));
                case 1 -> {
                    if (s.length() > 0) {
                        s.deleteCharAt(at);
                    }
                }
                case 2 -> s.insert(at, "x".repeat(random.nextInt(300)));
                default -> s.insert(at, text, 0, Math.min(text.length(), random.nextInt(20)));
            }
        }
        return s.toString();
    }

    @Test
    void referencesPlatformsAndDigests() {
        List<String> valid = List.of("ubuntu", "user/repo:tag", "localhost:5000/a/b:c", "repo@" + D1, "repo:tag@" + D1,
                "docker.io/library/alpine:3.20", "[::1]:5000/x:y", "a.b/c/d/e/f:g-h.i");
        int rounds = Fuzz.run(BUDGET_MS, SEED, "references", random -> {
            String text = random.nextInt(4) == 0 ? randomText(random, REFERENCE_ALPHABET, 80)
                    : mutateText(random, valid.get(random.nextInt(valid.size())));
            try {
                Platform.parse(text);
            } catch (GantryException expected) {
                // fine
            }
            try {
                Digest.of(text);
            } catch (IllegalArgumentException documented) {
                // Digest.of's contract; callers turn it into their own error
            }
            try {
                ImageKey.parse(text);
            } catch (GantryException expected) {
                // fine
            }
            ImageReference reference = ImageReference.parse(text);
            // what a parsed reference offers must work too
            reference.familiar();
            reference.registry();
            ImageReference.parse(reference.toString());
        });
        assertThat(rounds).isPositive();
    }

    // ---- manifests, indexes, configs

    private static String seedJson(int which) {
        return switch (which) {
            case 0 -> "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                    + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":100},\"layers\":[{\"mediaType\":\""
                    + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":2000,\"annotations\":{\"a\":\"b\"}},"
                    + "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D3 + "\",\"size\":3}]}";
            case 1 -> "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + D1
                    + "\",\"size\":7},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                    + "\"digest\":\"" + D2 + "\",\"size\":1}]}";
            case 2 -> "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                    + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":500,\"platform\":{\"os\":\"linux\","
                    + "\"architecture\":\"amd64\"}},{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D2
                    + "\",\"size\":500,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\","
                    + "\"os.features\":[\"x\"]}}]}";
            case 3 -> "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\","
                    + "\"manifests\":[{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\""
                    + D1 + "\",\"size\":5,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}]}";
            default -> "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\",\"author\":\"me\","
                    + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Entrypoint\":[\"/bin/sh\"],\"Cmd\":[\"-c\",\"x\"],"
                    + "\"WorkingDir\":\"/\",\"User\":\"1:1\",\"Labels\":{\"a\":\"b\"},\"ExposedPorts\":{\"80/tcp\":{}},"
                    + "\"Volumes\":{\"/v\":{}},\"StopSignal\":\"SIGTERM\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                    + D2 + "\",\"" + D3 + "\"]},\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"ADD a\"},"
                    + "{\"created_by\":\"ENV x\",\"empty_layer\":true},{\"created_by\":\"ADD b\"}]}";
        };
    }

    private static final List<String> MEDIA_TYPES = List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v1+prettyjws", "text/plain", "");

    private static void use(ManifestContent content) {
        if (content instanceof ImageIndex index) {
            index.manifestFor(Platform.of("linux", "amd64"));
            index.manifestFor(Platform.of("linux", "arm64", "v8"));
            index.manifests().forEach(d -> d.toString());
        } else if (content instanceof Manifest manifest) {
            manifest.config().digest().toString();
            manifest.layers().forEach(d -> d.size());
        }
    }

    private static void use(ImageConfig config) {
        config.toString();
        config.platform();
        config.diffIds().size();
    }

    @Test
    void manifestsIndexesAndConfigs() {
        int rounds = Fuzz.run(BUDGET_MS, SEED, "manifests", random -> {
            byte[] bytes = Fuzz.mutateJson(random, seedJson(random.nextInt(5)));
            String mediaType = MEDIA_TYPES.get(random.nextInt(MEDIA_TYPES.size()));
            try {
                use(ManifestCodec.parse(bytes, random.nextBoolean() ? Optional.of(mediaType) : Optional.empty()));
            } catch (GantryException expected) {
                // next parser
            }
            try {
                use(ManifestCodec.parseConfig(bytes));
            } catch (GantryException expected) {
                // next parser
            }
            try {
                use(ManifestCodec.parse(bytes, Optional.of(mediaType), "fuzz"));
            } catch (GantryException expected) {
                // next parser
            }
            try {
                use(ManifestCodec.parseManifest(bytes, Optional.of(mediaType), "fuzz"));
            } catch (GantryException expected) {
                // next parser
            }
            use(ManifestCodec.parseConfig(bytes, "fuzz"));
        });
        assertThat(rounds).isGreaterThan(10);
    }

    // ---- whole archives: tar headers and the JSON inside

    @Test
    void archivesForLoad() throws Exception {
        FixtureImage app = new FixtureImages().image("fuzz/app").layer("ADD a", l -> l.file("a", "a").symlink("b", "a"))
                .layer("ADD c", l -> l.file("dir/c", "c")).oci();
        Path docker = new DockerArchive().add(app, "fuzz/app:1").writeTo(dir.resolve("docker.tar"));
        Path oci = dir.resolve("oci.tar");
        try (OciLayoutStore source = OciLayoutStore.open(dir.resolve("source"))) {
            StoreFixtures.store(source, app, "example.com/fuzz/app:1");
            try (OutputStream out = Files.newOutputStream(oci)) {
                source.save(List.of(ImageKey.parse("example.com/fuzz/app:1")), ArchiveFormat.OCI, out);
            }
        }
        List<byte[]> seeds = List.of(Files.readAllBytes(docker), Files.readAllBytes(oci));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            int[] n = {0};
            int rounds = Fuzz.run(BUDGET_MS, SEED, "archives", random -> {
                byte[] bytes = seeds.get(random.nextInt(seeds.size())).clone();
                int blocks = bytes.length / 512;
                for (int k = random.nextInt(6); k >= 0; k--) {
                    int block = random.nextInt(blocks);
                    // mostly header fields (name, mode, size, checksum, type, link name, magic), sometimes content
                    int at = block * 512 + (random.nextInt(3) == 0 ? random.nextInt(512)
                            : new int[] {0, 100, 124, 130, 148, 156, 157, 257, 345}[random.nextInt(9)] + random.nextInt(12));
                    bytes[Math.min(at, bytes.length - 1)] = (byte) (random.nextBoolean() ? random.nextInt(256)
                            : "0123456789 /\u0000xL5gK".charAt(random.nextInt(15)));
                }
                if (random.nextInt(8) == 0) {
                    bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                }
                Path file = dir.resolve("fuzz-" + (n[0]++ % 4) + ".tar");
                Files.write(file, bytes);
                store.load(file);
            });
            assertThat(rounds).isPositive();
            assertThat(store.verify().ok()).as("whatever loaded, the store stays sound").isTrue();
        }
    }

    @Test
    void theTextOfARefusalIsOneCleanLine() {
        // what a hostile reference turns into must be printable as one line
        try {
            ImageReference.parse("evil\u001b]0;x\u0007:\n" + "y".repeat(10));
            fail("accepted");
        } catch (GantryException e) {
            assertThat(io.gantry.core.PeerText.clean(e.describe())).doesNotContain("\u001b").doesNotContain("\n");
        }
        assertThat("x".getBytes(StandardCharsets.UTF_8)).hasSize(1);
    }
}
