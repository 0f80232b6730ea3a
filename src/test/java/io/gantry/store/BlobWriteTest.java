package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.VerifyReport;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobWriteTest {

    @TempDir
    Path dir;

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aBlobIsVisibleOnlyOnceCommittedAndVerified() throws Exception {
        byte[] bytes = content(1_000_000);
        Digest digest = Digest.sha256(bytes);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            try (BlobWrite write = store.beginBlob(digest, bytes.length)) {
                write.output().write(bytes, 0, 600_000);
                write.output().flush();
                assertThat(store.hasBlob(digest)).isFalse();
                write.output().write(bytes, 600_000, bytes.length - 600_000);
                write.commit();
            }
            assertThat(store.hasBlob(digest)).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("blobs/sha256/" + digest.hex()))).isEqualTo(bytes);
            assertThat(store.verify().unreferenced()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedWriteResumesWhereItStopped() throws Exception {
        byte[] bytes = content(700_000);
        Digest digest = Digest.sha256(bytes);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            try (BlobWrite write = store.beginBlob(digest, bytes.length)) {
                write.output().write(bytes, 0, 300_000);
                // closed without commit: the connection dropped, the app quit
            }
        }
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            assertThat(store.hasBlob(digest)).isFalse();
            try (BlobWrite write = store.beginBlob(digest, bytes.length)) {
                assertThat(write.offset()).isEqualTo(300_000);
                write.output().write(bytes, 300_000, bytes.length - 300_000);
                write.commit();
            }
            assertThat(store.hasBlob(digest)).isTrue();
        }
    }

    @Test
    void aSourceSendingMoreThanItAnnouncedIsCutOffAtOnce() {
        byte[] bytes = content(100_000);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            Digest digest = Digest.sha256(bytes);
            try (BlobWrite write = store.beginBlob(digest, 50_000)) {
                assertThatThrownBy(() -> write.output().write(bytes, 0, bytes.length))
                        .isInstanceOfSatisfying(GantryException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                            assertThat(e.code()).contains("SIZE_MISMATCH");
                        });
            }
            assertThat(store.hasBlob(digest)).isFalse();
        }
    }

    @Test
    void truncatedOrCorruptContentIsRefusedAndDiscarded() throws Exception {
        byte[] bytes = content(100_000);
        Digest digest = Digest.sha256(bytes);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            try (BlobWrite write = store.beginBlob(digest, bytes.length)) {
                write.output().write(bytes, 0, 99_000);
                assertThatThrownBy(write::commit).isInstanceOfSatisfying(GantryException.class,
                        e -> assertThat(e.getMessage()).contains("truncated"));
            }
            byte[] corrupt = Arrays.copyOf(bytes, bytes.length);
            corrupt[5] ^= 1;
            assertThatThrownBy(() -> store.writeBlob(io.gantry.core.Descriptor.of("x/y", digest, bytes.length),
                    new ByteArrayInputStream(corrupt))).isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                        assertThat(e.code()).contains("DIGEST_INVALID");
                    });
            assertThat(store.hasBlob(digest)).isFalse();
            try (BlobWrite write = store.beginBlob(digest, bytes.length)) {
                assertThat(write.offset()).as("a corrupt partial is not resumed").isZero();
            }
        }
    }

    @Test
    void verifyReportsCorruptTruncatedAndMissingBlobsWithoutDeletingThem() throws Exception {
        StoreFixtures.Image app = StoreFixtures.image("app", 1, 2, 3);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.store(store, app, "example.com/app:1");
        }
        Path l0 = dir.resolve("blobs/sha256/" + app.layers().get(0).digest().hex());
        Path l1 = dir.resolve("blobs/sha256/" + app.layers().get(1).digest().hex());
        Path l2 = dir.resolve("blobs/sha256/" + app.layers().get(2).digest().hex());
        byte[] flipped = Files.readAllBytes(l0);
        flipped[100] ^= 1;
        Files.write(l0, flipped);
        Files.write(l1, Arrays.copyOf(Files.readAllBytes(l1), 10));
        Files.delete(l2);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            VerifyReport report = store.verify();
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).extracting(VerifyReport.Problem::kind).containsExactlyInAnyOrder(
                    VerifyReport.Kind.DIGEST_MISMATCH, VerifyReport.Kind.SIZE_MISMATCH, VerifyReport.Kind.MISSING);
            assertThat(report.problems()).allSatisfy(p -> assertThat(p.referencedBy()).startsWith("manifest sha256:"));
            assertThat(l0).exists();
            assertThat(l1).exists();
            // the image still lists (its manifest and config are fine); export fails clearly
            assertThat(store.listImages()).hasSize(1);
            assertThatThrownBy(() -> store.save(keys("example.com/app:1"), ArchiveFormat.OCI,
                    java.io.OutputStream.nullOutputStream())).isInstanceOf(GantryException.class);
        }
    }

    @Test
    void aManifestPointingAtAMissingConfigIsAClearErrorAndTheRestStillLists() throws Exception {
        StoreFixtures.Image app = StoreFixtures.image("app", 1);
        StoreFixtures.Image other = StoreFixtures.image("other", 2);
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.store(store, app, "example.com/app:1");
            StoreFixtures.store(store, other, "example.com/other:1");
        }
        Files.delete(dir.resolve("blobs/sha256/" + app.id().hex()));
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            assertThat(store.listImages()).extracting(i -> i.repoTags().get(0)).containsExactly("example.com/other:1");
            assertThatThrownBy(() -> store.inspect(ImageKey.parse("example.com/app:1"))).isInstanceOfSatisfying(GantryException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE);
                assertThat(e.code()).contains("LAYOUT_DAMAGED");
                assertThat(e.getMessage()).contains("is not in the store");
            });
            assertThat(store.verify().problems()).singleElement()
                    .satisfies(p -> assertThat(p.kind()).isEqualTo(VerifyReport.Kind.MISSING));
        }
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
