package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.service.analysis.ChangeKind;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.service.analysis.ImageFiles;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delete with a preview and the file analysis over an engine's export stream, on the harness's
 * dockerd: the preview names the conflict, forcing deletes exactly what the forced preview listed,
 * and a delete whose endpoint changed after the preview runs nothing.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class ImageCleanupTest {

    private final FixtureImages images = new FixtureImages();
    private final ImageCleanup cleanup = new ImageCleanup();

    private static DockerEngineStore engine(DockerdPeer dockerd) {
        return DockerEngineStore.of(new EngineAddress("test dockerd", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true), EngineCredentials.anonymous());
    }

    @Test
    void aStoppedContainerNeedsForceAndTheForcedDeleteDoesWhatThePreviewSaid(DockerdPeer dockerd) {
        FixtureImage image = images.image(FixtureImages.unique("cleanup-held"))
                .layer("ADD held", l -> l.file("held", "held " + System.nanoTime()));
        dockerd.load(image);
        dockerd.createContainer(image);
        try (DockerEngineStore store = engine(dockerd)) {
            Digest id = Digest.of(image.imageId());
            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store, List.of(DeleteTarget.id(id)));
            assertThat(preview.plan().refusals()).extracting(DeleteRefusal::reason)
                    .containsExactly(DeleteRefusal.Reason.STOPPED_CONTAINER);
            assertThat(preview.forceHelps()).isTrue();
            assertThat(preview.forced().deletedImages()).containsExactly(id);

            ImageCleanup.DeleteRun unforced = cleanup.delete(store, preview, false);
            assertThat(unforced.results()).isEmpty(); // refused targets are not even tried
            assertThat(dockerd.imageId(image.reference())).isEqualTo(image.imageId());

            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, true);
            assertThat(run.changed()).isFalse();
            assertThat(run.unexpected()).isEmpty();
            assertThat(run.lines()).extracting(DeleteLine::toString).containsExactlyElementsOf(
                    preview.forced().records().stream().map(Object::toString).toList());
            assertThat(dockerd.docker("image", "inspect", image.reference()).exitCode()).isNotZero();
        }
    }

    @Test
    void aDeleteRunsNothingWhenTheEndpointChangedSinceThePreview(DockerdPeer dockerd) {
        FixtureImage image = images.image(FixtureImages.unique("cleanup-changed"))
                .layer("ADD a", l -> l.file("a", "changed " + System.nanoTime()));
        dockerd.load(image);
        try (DockerEngineStore store = engine(dockerd)) {
            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store,
                    List.of(DeleteTarget.reference(image.reference())));
            assertThat(preview.plan().deletedImages()).containsExactly(Digest.of(image.imageId()));

            dockerd.dockerOk("tag", image.reference(), image.repository() + ":second-name");
            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);
            assertThat(run.changed()).isTrue();
            assertThat(run.results()).isEmpty();
            assertThat(run.preview().plan().deletedImages()).isEmpty();
            assertThat(run.preview().plan().untaggedOnly()).containsExactly(image.reference());
            assertThat(dockerd.imageId(image.reference())).isEqualTo(image.imageId());
        }
    }

    @Test
    void filesOfAnEngineImageAreReadFromItsExportStream(DockerdPeer dockerd) {
        FixtureImage base = images.image(FixtureImages.unique("files-base"))
                .layer("ADD etc", l -> l.file("etc/conf", "v1 " + System.nanoTime()).file("etc/gone", "bye"));
        FixtureImage top = base.child(FixtureImages.unique("files-top"))
                .layer("RUN change", l -> l.file("etc/conf", "v2, longer than before").whiteout("etc/gone"));
        dockerd.load(base, top);
        try (DockerEngineStore store = engine(dockerd)) {
            ImageLayers layers = LayerFiles.layersOf(store, ImageKey.parse(top.reference()));
            int[] progress = {0};
            ImageFiles files = new LayerFiles().analyze(store, layers, done -> progress[0] = done);
            assertThat(files.complete()).isTrue();
            assertThat(progress[0]).isEqualTo(2);
            assertThat(files.layers().get(1).changes()).extracting(c -> c.path() + " " + c.kind())
                    .containsExactlyInAnyOrder("etc/conf " + ChangeKind.MODIFIED, "etc/gone " + ChangeKind.DELETED);
            assertThat(files.wastedFiles()).hasSize(2);
            assertThat(files.efficiency()).isLessThan(1.0);
        }
    }

    /**
     * An engine's history has no empty-layer flag: a zero-byte layer ({@code RUN mkdir}) after a
     * config-only step ({@code ENV}) was once paired with the {@code ENV}, so the files, the Layers
     * view and {@code gantry layers} named every layer above it by the step below.
     */
    @Test
    void filesAndLayersNameTheStepThatMadeEachLayerAsDockerHistorySizesIt(DockerdPeer dockerd) {
        FixtureImage image = images.image(FixtureImages.unique("files-steps"))
                .layer("ADD base", l -> l.randomFile("base.bin", 20_000, 11))
                .emptyLayer("ENV A=1")
                .layer("RUN mkdir /x", l -> l.dir("x"))
                .layer("COPY two", l -> l.randomFile("two", 4_000, 12))
                .emptyLayer("CMD [\"sh\"]");
        dockerd.load(image);
        // docker history, oldest first: each step and the bytes of the layer it made (0 for none)
        List<String> history = new java.util.ArrayList<>(List.of(dockerd.dockerOk("history", "--no-trunc",
                "--human=false", "--format", "{{.CreatedBy}}|{{.Size}}", image.reference()).stdout().strip().split("\n")));
        java.util.Collections.reverse(history);
        assertThat(history).containsExactly("ADD base|20000", "ENV A=1|0", "RUN mkdir /x|0", "COPY two|4000",
                "CMD [\"sh\"]|0");
        try (DockerEngineStore store = engine(dockerd)) {
            ImageFiles files = new LayerFiles().analyze(store, LayerFiles.layersOf(store, ImageKey.parse(image.reference())),
                    done -> { });

            assertThat(files.complete()).isTrue();
            assertThat(files.layers()).extracting(r -> r.layer().createdBy() + "|" + r.layer().size())
                    .containsExactly("ADD base|20000", "RUN mkdir /x|0", "COPY two|4000")
                    .allSatisfy(step -> assertThat(history).contains(step));
            assertThat(files.layers().get(1).changes()).extracting(c -> c.path() + " " + c.kind())
                    .containsExactly("x " + ChangeKind.ADDED);
            assertThat(files.layers().get(2).changes()).extracting(c -> c.path() + " " + c.kind())
                    .containsExactly("two " + ChangeKind.ADDED);
            assertThat(LayerRows.of(store, ImageKey.parse(image.reference()))).extracting(LayerRows.Row::createdBy)
                    .containsExactly("ADD base", "RUN mkdir /x", "COPY two");
        }
    }

    @Test
    void onTheEmbeddedStoreUntagThenDeleteAsPreviewedAndFilesFromBlobs(@TempDir Path dir) {
        FixtureImage base = images.image("local/base").layer("ADD etc", l -> l.file("etc/conf", "v1"));
        FixtureImage app = base.child("local/app").layer("RUN change", l -> l.file("etc/conf", "v2").file("app", "run"));
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.store(store, base, "local/base:1");
            StoreFixtures.store(store, app, "local/app:1", "local/app:2");

            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store,
                    List.of(DeleteTarget.reference("local/app:1"), DeleteTarget.reference("local/app:2")));
            assertThat(preview.plan().clean()).isTrue();
            // both names go and then the image: nothing is "untagged only"
            assertThat(preview.plan().untaggedOnly()).isEmpty();
            assertThat(preview.plan().records()).extracting(Object::toString)
                    .contains("Untagged: local/app:1", "Untagged: local/app:2", "Deleted: " + app.imageId());
            assertThat(preview.plan().deletedImages()).containsExactly(Digest.of(app.imageId()));
            // the base layer stays: local/base:1 still uses it
            assertThat(preview.plan().freedLayers()).hasSize(1);

            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);
            assertThat(run.changed()).isFalse();
            assertThat(run.unexpected()).isEmpty();
            assertThat(store.listImages()).extracting(i -> i.id().toString()).containsExactly(base.imageId());

            ImageFiles files = new LayerFiles().analyze(store, LayerFiles.layersOf(store, ImageKey.parse("local/base:1")), done -> { });
            assertThat(files.complete()).isTrue();
            assertThat(files.finalTree().find("etc/conf")).isPresent();
        }
    }

    @Test
    void aCorruptLayerGetsItsOwnErrorAndTheOtherLayersStillShow(@TempDir Path dir) throws Exception {
        FixtureImage base = images.image("local/broken").layer("ADD etc", l -> l.file("etc/conf", "v1"));
        FixtureImage app = base.child("local/broken-app").layer("ADD app", l -> l.file("app/run", "run"));
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.store(store, app, "local/broken-app:1");
            ImageLayers layers = LayerFiles.layersOf(store, ImageKey.parse("local/broken-app:1"));
            Path blob = store.root().resolve("blobs/sha256/" + layers.layers().get(0).blobOrDiffId().hex());
            blob.toFile().setWritable(true);
            java.nio.file.Files.write(blob, "this is not a tar archive, nor gzip, it is broken".repeat(20).getBytes());

            ImageFiles files = new LayerFiles().analyze(store, layers, done -> { });
            assertThat(files.complete()).isFalse();
            assertThat(files.layers().get(0).failure()).isPresent();
            assertThat(files.layers().get(1).ok()).isTrue();
            assertThat(files.layers().get(1).changes()).extracting(c -> c.path()).contains("app/run");
        }
    }
}
