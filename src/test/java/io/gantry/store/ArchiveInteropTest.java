package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.LoadResult;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import against the private dockerd: Gantry's docker-save archives load into Docker
 * with the same image IDs; what {@code docker save} writes loads into Gantry; several images
 * sharing layers travel in one archive.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class ArchiveInteropTest {

    private final FixtureImages images = new FixtureImages();

    @TempDir
    Path dir;

    @Test
    void dockerLoadsGantrysDockerArchiveWithTheSameImageIds(DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("gantry-save");
        FixtureImage base = images.image(repo).tag("base").layer("ADD base", l -> l.file("etc/os-release", "ID=fixture\n"))
                .bigLayer(300_000, 7);
        FixtureImage app = base.child(repo).tag("app").layer("COPY app", l -> l.file("app/main", "v1"));
        Path archive = dir.resolve("save.tar");
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            StoreFixtures.store(store, base, "example.com/" + repo + ":base");
            StoreFixtures.store(store, app, "example.com/" + repo + ":app");
            try (OutputStream out = Files.newOutputStream(archive)) {
                store.save(keys("example.com/" + repo + ":base", "example.com/" + repo + ":app"), ArchiveFormat.DOCKER, out);
            }
        }
        dockerd.dockerOk("load", "-i", archive.toString());
        assertThat(dockerd.imageId("example.com/" + repo + ":base")).isEqualTo(base.imageId());
        assertThat(dockerd.imageId("example.com/" + repo + ":app")).isEqualTo(app.imageId());
    }

    @Test
    void dockerLoadsGantrysOciArchiveThroughItsManifestJson(DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("gantry-oci");
        FixtureImage app = images.image(repo).layer("ADD a", l -> l.file("a", "a")).layer("ADD b", l -> l.file("b", "b")).oci();
        Path archive = dir.resolve("oci.tar");
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            StoreFixtures.store(store, app, "example.com/" + repo + ":1");
            try (OutputStream out = Files.newOutputStream(archive)) {
                store.save(keys("example.com/" + repo + ":1"), ArchiveFormat.OCI, out);
            }
        }
        dockerd.dockerOk("load", "-i", archive.toString());
        assertThat(dockerd.imageId("example.com/" + repo + ":1")).isEqualTo(app.imageId());
        // and the OCI archive round-trips into another store byte for byte
        try (OciLayoutStore other = OciLayoutStore.open(dir.resolve("other"))) {
            LoadResult result = other.load(archive);
            assertThat(result.format()).isEqualTo(ArchiveFormat.OCI);
            LayoutImage loaded = other.image("example.com/" + repo + ":1");
            assertThat(loaded.manifest().digest().toString()).isEqualTo(app.manifestDigest());
            assertThat(other.verify().ok()).isTrue();
        }
    }

    @Test
    void gantryLoadsWhatDockerSaveWritesSharedLayersOnce(DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("docker-save");
        FixtureImage base = images.image(repo).tag("base").layer("ADD base", l -> l.file("etc/base", "base\n"));
        FixtureImage one = base.child(repo).tag("one").layer("ADD one", l -> l.file("one", "1"));
        FixtureImage two = base.child(repo).tag("two").layer("ADD two", l -> l.file("two", "2"));
        dockerd.load(base, one, two);
        Path archive = dir.resolve("docker-save.tar");
        dockerd.dockerOk("save", "-o", archive.toString(), base.reference(), one.reference(), two.reference());
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            LoadResult result = store.load(archive);
            assertThat(result.images()).extracting(LoadResult.Loaded::id).extracting(Object::toString)
                    .containsExactlyInAnyOrder(base.imageId(), one.imageId(), two.imageId());
            Map<String, ImageSummary> byTag = store.listImages().stream()
                    .collect(Collectors.toMap(i -> i.repoTags().get(0), Function.identity()));
            assertThat(byTag.get(one.reference()).id().toString()).isEqualTo(one.imageId());
            assertThat(byTag.get(one.reference()).sharedSize()).isPositive();
            assertThat(store.verify().ok()).isTrue();

            // and back: Gantry's export of the loaded images loads into docker under new names
            Path again = dir.resolve("again.tar");
            store.tag(ImageKey.parse(one.reference()), io.gantry.core.ImageReference.parse("example.com/" + repo + ":again"));
            try (OutputStream out = Files.newOutputStream(again)) {
                store.save(keys("example.com/" + repo + ":again"), ArchiveFormat.DOCKER, out);
            }
            dockerd.dockerOk("load", "-i", again.toString());
            assertThat(dockerd.imageId("example.com/" + repo + ":again")).isEqualTo(one.imageId());
        }
    }

    @Test
    void aGzippedDockerSaveLoadsToo(DockerdPeer dockerd) throws Exception {
        String repo = FixtureImages.unique("gz");
        FixtureImage app = images.image(repo).layer("ADD a", l -> l.file("a", "gz"));
        dockerd.load(app);
        Path archive = dir.resolve("save.tar");
        dockerd.dockerOk("save", "-o", archive.toString(), app.reference());
        Path gz = dir.resolve("save.tar.gz");
        try (var in = Files.newInputStream(archive); var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            in.transferTo(out);
        }
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            assertThat(store.load(gz).images()).singleElement()
                    .satisfies(l -> assertThat(l.id().toString()).isEqualTo(app.imageId()));
        }
    }

    @Test
    void aCorruptArchiveIsRefusedAndStoresNoImage() throws Exception {
        String repo = FixtureImages.unique("corrupt");
        FixtureImage app = images.image(repo).layer("ADD a", l -> l.file("a", "aaaa"));
        Path archive = dir.resolve("save.tar");
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("src"))) {
            StoreFixtures.store(store, app, "example.com/" + repo + ":1");
            try (OutputStream out = Files.newOutputStream(archive)) {
                store.save(keys("example.com/" + repo + ":1"), ArchiveFormat.DOCKER, out);
            }
        }
        byte[] bytes = Files.readAllBytes(archive);
        int at = indexOf(bytes, "aaaa".getBytes());
        bytes[at] = 'b';
        Files.write(archive, bytes);
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("dst"))) {
            assertThatThrownBy(() -> store.load(archive)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
            assertThat(store.listImages()).isEmpty();
            assertThat(store.verify().ok()).isTrue();
        }
        Path notAnArchive = Files.writeString(dir.resolve("x.tar"), "hello");
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("dst2"))) {
            assertThatThrownBy(() -> store.load(notAnArchive)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
