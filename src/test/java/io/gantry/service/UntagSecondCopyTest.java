package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.rules.DeleteTarget;
import io.gantry.store.OciLayoutStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image kept as two blob sets in the embedded store (gzipped under one name, uncompressed under
 * another): untagging the name of one set frees that set, and the preview says so. Tagged {@code
 * peer}: the freed bytes are checked with {@code du}.
 */
@Tag("peer")
class UntagSecondCopyTest {

    /**
     * Untagging the one name that reaches a second copy of an image frees that copy's blobs (the
     * image stays under its other name): the preview names them and their bytes, and the untag
     * removes exactly those, as {@code du} sees it. (Docker's rules say an untag frees nothing: an
     * engine keeps each image once.)
     */
    @Test
    void untaggingTheNameOfASecondCopyFreesThatCopyAndThePreviewSaysSo(@TempDir Path dir) throws Exception {
        try (OciLayoutStore store = storeKeepingTwice(dir, "example.com/both", 31)) {
            java.util.List<io.gantry.core.Digest> gz = layerBlobs(store, dir.resolve("store"), "gz");
            java.util.List<io.gantry.core.Digest> plain = layerBlobs(store, dir.resolve("store"), "plain");
            assertThat(gz).doesNotContainAnyElementsOf(plain);
            long plainBytes = 0;
            for (io.gantry.core.Digest blob : plain) {
                plainBytes += store.blobSize(blob);
            }
            long before = du(dir.resolve("store/blobs"));
            ImageCleanup cleanup = new ImageCleanup();

            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store,
                    List.of(DeleteTarget.reference("example.com/both:plain")));
            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);

            List<String> expected = new java.util.ArrayList<>(List.of("Untagged: example.com/both:plain"));
            java.util.List<io.gantry.core.Digest> top = new java.util.ArrayList<>(plain);
            java.util.Collections.reverse(top); // freed top layer first, as every delete names them
            top.forEach(b -> expected.add("Deleted: " + b));
            assertThat(preview.plan(false).records()).extracting(Object::toString).containsExactlyElementsOf(expected);
            assertThat(preview.plan(false).bytesFreed()).isEqualTo(plainBytes);
            assertThat(run.unexpected()).isEmpty();
            assertThat(run.lines()).isEqualTo(preview.plan(false).records());
            assertThat(plain).noneMatch(store::hasBlob);
            assertThat(gz).allMatch(store::hasBlob);
            // the layer blobs that left the disk, as du counts them (the plain manifest went too, and
            // du -b counts each directory's own size as well)
            long after = du(dir.resolve("store/blobs"));
            assertThat(before - after).isGreaterThanOrEqualTo(plainBytes).isLessThan(plainBytes + 4096);
            assertThat(store.gc(true).blobs()).isEmpty();
        }
    }

    /**
     * The listing's SIZE and UNIQUE of an image kept as two blob sets count both sets' layer blobs:
     * what deleting the image (both names) frees, in the plan and on disk as {@code du} sees it.
     * Failed before: the listing counted the first set only (half of what the delete freed).
     */
    @Test
    void theListingOfAnImageKeptTwiceCountsWhatItsDeleteFrees(@TempDir Path dir) throws Exception {
        try (OciLayoutStore store = storeKeepingTwice(dir, "example.com/twice", 41)) {
            long layerBytes = 0;
            for (String tag : List.of("gz", "plain")) {
                for (io.gantry.core.Digest blob : layerBlobs(store, dir.resolve("store"), tag)) {
                    layerBytes += store.blobSize(blob);
                }
            }
            io.gantry.engine.ImageSummary listed = store.listImages().stream()
                    .filter(i -> i.repoTags().contains("example.com/twice:gz")).findFirst().orElseThrow();
            assertThat(listed.repoTags()).contains("example.com/twice:plain");
            long before = du(dir.resolve("store/blobs"));
            ImageCleanup cleanup = new ImageCleanup();

            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store, List.of(
                    DeleteTarget.reference("example.com/twice:gz"), DeleteTarget.reference("example.com/twice:plain")));
            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);

            assertThat(listed.size()).isEqualTo(layerBytes);
            assertThat(listed.uniqueSize()).isEqualTo(layerBytes);
            assertThat(preview.plan(false).bytesFreed()).isEqualTo(listed.uniqueSize());
            assertThat(run.unexpected()).isEmpty();
            assertThat(store.listImages()).isEmpty();
            long after = du(dir.resolve("store/blobs"));
            assertThat(before - after).isGreaterThan(listed.uniqueSize());
        }
    }

    /**
     * A store in {@code dir}/store keeping one two-layer image (layers seeded from {@code seed}) as
     * two blob sets: gzipped under {@code repository:gz}, uncompressed under {@code repository:plain}.
     */
    private static OciLayoutStore storeKeepingTwice(Path dir, String repository, long seed) throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image(repository)
                .layer("ADD base", l -> l.randomFile("base", 30_000, seed))
                .layer("ADD app", l -> l.randomFile("app", 20_000, seed + 1));
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"));
        store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, repository + ":gz")
                .writeTo(dir.resolve("gz.tar")));
        store.load(new io.gantry.testing.DockerArchive().add(app, repository + ":plain")
                .writeTo(dir.resolve("plain.tar")));
        return store;
    }

    /** The layer blobs of the manifest index.json keeps under the name ending in {@code :tag}, read as any OCI tool would. */
    private static java.util.List<io.gantry.core.Digest> layerBlobs(OciLayoutStore store, Path root, String tag)
            throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (com.fasterxml.jackson.databind.JsonNode entry : json.readTree(root.resolve("index.json").toFile()).path("manifests")) {
            boolean named = false;
            for (com.fasterxml.jackson.databind.JsonNode value : entry.path("annotations")) {
                named |= value.asText().endsWith(":" + tag) || value.asText().equals(tag);
            }
            if (named) {
                byte[] manifest = store.readBlob(io.gantry.core.Descriptor.of(entry.path("mediaType").asText(),
                        io.gantry.core.Digest.of(entry.path("digest").asText()), entry.path("size").asLong()));
                java.util.List<io.gantry.core.Digest> blobs = new java.util.ArrayList<>();
                json.readTree(manifest).path("layers").forEach(l -> blobs.add(io.gantry.core.Digest.of(l.path("digest").asText())));
                return blobs;
            }
        }
        throw new AssertionError("no entry named " + tag);
    }

    /** {@code du -sb DIR}: the bytes of the files under it, as the peer counts them. */
    private static long du(Path dir) throws Exception {
        Process du = new ProcessBuilder("du", "-sb", dir.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(du.waitFor()).as(out).isZero();
        return Long.parseLong(out.split("\\s+")[0]);
    }
}
