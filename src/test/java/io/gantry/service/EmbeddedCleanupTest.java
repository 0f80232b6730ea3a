package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageKey;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delete with a preview on the embedded store, through the port alone: the run deletes what the
 * preview listed, reports no line the preview did not expect, and keeps the image the plan keeps.
 */
class EmbeddedCleanupTest {

    @Test
    void theDeleteRunsAsPreviewedAndKeepsTheSharedBase(@TempDir Path dir) {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image base = StoreFixtures.image("base", 1, 2);
            StoreFixtures.Image app = StoreFixtures.image("app", 1, 2, 3);
            StoreFixtures.store(store, base, "example.com/base:1");
            StoreFixtures.store(store, app, "example.com/app:1");
            ImageCleanup cleanup = new ImageCleanup();

            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store,
                    List.of(DeleteTarget.reference("example.com/app:1")));
            assertThat(preview.plan().deletedImages()).containsExactly(app.id());
            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);

            assertThat(run.changed()).isFalse();
            assertThat(run.unexpected()).isEmpty();
            assertThat(run.lines()).extracting(Object::toString).contains("Untagged: example.com/app:1", "Deleted: " + app.id());
            assertThat(store.listImages()).extracting(i -> i.id()).containsExactly(base.id());
            assertThat(store.inspect(ImageKey.parse("example.com/base:1")).id()).isEqualTo(base.id());
        }
    }

    /**
     * One image kept under two manifests (gzipped under one name, uncompressed under another):
     * the preview frees the layer blobs of both, the delete removes exactly those lines, and the
     * bytes the preview promised are the layer bytes that left the disk.
     */
    @Test
    void anImageKeptAsTwoBlobSetsIsPreviewedAndDeletedWithBoth(@TempDir Path dir) throws Exception {
        io.gantry.testing.FixtureImage app = new io.gantry.testing.FixtureImages().image("example.com/both")
                .layer("ADD base", l -> l.randomFile("base", 30_000, 21))
                .layer("ADD app", l -> l.randomFile("app", 20_000, 22));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new io.gantry.testing.DockerArchive().gzipLayers().add(app, "example.com/both:gz")
                    .writeTo(dir.resolve("gz.tar")));
            store.load(new io.gantry.testing.DockerArchive().add(app, "example.com/both:plain")
                    .writeTo(dir.resolve("plain.tar")));
            io.gantry.core.Digest id = store.image("example.com/both:gz").id();
            // the layers of every manifest index.json names, read as any OCI tool would
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            java.util.Set<io.gantry.core.Digest> layerBlobs = new java.util.HashSet<>();
            for (com.fasterxml.jackson.databind.JsonNode entry : json.readTree(dir.resolve("store/index.json").toFile())
                    .path("manifests")) {
                byte[] manifest = store.readBlob(io.gantry.core.Descriptor.of(entry.path("mediaType").asText(),
                        io.gantry.core.Digest.of(entry.path("digest").asText()), entry.path("size").asLong()));
                json.readTree(manifest).path("layers")
                        .forEach(l -> layerBlobs.add(io.gantry.core.Digest.of(l.path("digest").asText())));
            }
            long layerBytes = 0;
            for (io.gantry.core.Digest blob : layerBlobs) {
                layerBytes += store.blobSize(blob);
            }
            ImageCleanup cleanup = new ImageCleanup();

            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store, List.of(DeleteTarget.id(id)));
            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, true);

            assertThat(layerBlobs).hasSize(4);
            assertThat(preview.plan(true).bytesFreed()).isEqualTo(layerBytes);
            assertThat(preview.plan(true).records()).extracting(Object::toString)
                    .containsAll(layerBlobs.stream().map(b -> "Deleted: " + b).toList());
            assertThat(run.unexpected()).isEmpty();
            assertThat(run.lines()).isEqualTo(preview.plan(true).records());
            assertThat(layerBlobs).noneMatch(store::hasBlob);
            assertThat(store.gc(true).blobs()).isEmpty();
            assertThat(store.diskUsage()).hasValue(0L);
        }
    }
}
