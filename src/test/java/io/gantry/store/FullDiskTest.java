package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the store lives on a 4 MiB tmpfs mounted for the test. That needs root,
 * as the whole suite does for its private dockerd; without it the test fails saying so. Writes
 * fail with {@code STORAGE}/{@code DISK_FULL} and leave the stored images untouched.
 */
@Tag("peer")
class FullDiskTest {

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        mount = dir.resolve("tiny");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean ok = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        if (!ok) {
            mount = null;
            Assertions.fail("cannot mount a 4 MiB tmpfs for the full-disk test; the tests run as root, "
                    + "as the private dockerd needs too (./test.sh): " + new String(p.getInputStream().readAllBytes()));
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskIsAClearErrorAndStoredImagesStayIntact() throws Exception {
        Path root = mount.resolve("store");
        StoreFixtures.Image app = StoreFixtures.image("app", 1, 2);
        try (OciLayoutStore store = OciLayoutStore.open(root)) {
            StoreFixtures.store(store, app, "example.com/app:1");
            byte[] index = Files.readAllBytes(root.resolve("index.json"));

            byte[] big = new byte[6 * 1024 * 1024];
            new Random(1).nextBytes(big);
            Digest digest = Digest.sha256(big);
            try (BlobWrite write = store.beginBlob(digest, big.length)) {
                assertThatThrownBy(() -> {
                    write.output().write(big);
                    write.commit();
                }).isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE);
                    assertThat(e.code()).contains("DISK_FULL");
                    assertThat(e.action()).get().asString().contains("Free some space");
                });
            }
            assertThat(store.hasBlob(digest)).isFalse();
            // the partial download stays for a resume; the disk is still nearly full
            assertThatThrownBy(() -> store.tag(ImageKey.parse("example.com/app:1"), ImageReference.parse("example.com/app:2")))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE));
            assertThat(Files.readAllBytes(root.resolve("index.json"))).isEqualTo(index);
            assertThat(store.listImages()).singleElement().satisfies(i -> assertThat(i.repoTags()).containsExactly("example.com/app:1"));
            assertThat(store.verify().ok()).isTrue();
        }
        // freeing the space (here: dropping the partial download) makes writes work again
        try (var partials = Files.list(root.resolve(".gantry/partial"))) {
            for (Path p : partials.toList()) {
                Files.delete(p);
            }
        }
        try (OciLayoutStore store = OciLayoutStore.open(root)) {
            store.tag(ImageKey.parse("example.com/app:1"), ImageReference.parse("example.com/app:2"));
            assertThat(store.listImages().get(0).repoTags()).containsExactlyInAnyOrder("example.com/app:1", "example.com/app:2");
            assertThat(store.verify().ok()).isTrue();
        }
    }
}
