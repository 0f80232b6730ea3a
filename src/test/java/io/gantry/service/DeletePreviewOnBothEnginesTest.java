package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.DeleteLine;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;

/**
 * The window's delete preview (planned through the port, {@link ReclaimModels}) equals the
 * engine's answer line for line on dockerd and on Podman. Podman lists RepoDigests it derives from
 * content for every image, loaded ones too; they name nothing a delete untags, so a preview that
 * counted them as names promised {@code Untagged: x@sha256:…} lines Podman never prints.
 */
@Tag("peer")
class DeletePreviewOnBothEnginesTest {

    private final ImageCleanup cleanup = new ImageCleanup();

    @BothEngines.Test
    void aDeleteByNameDoesWhatThePreviewSaid(EnginePeer engine) {
        String repository = FixtureImages.unique("preview-both");
        FixtureImage image = new FixtureImages().image(repository)
                .layer("ADD a", l -> l.file("a", repository));
        engine.load(image);
        String name = engine.kind() == EnginePeer.Kind.PODMAN ? "localhost/" + image.reference() : image.reference();
        try (DockerEngineStore store = DockerEngineStore.of(new EngineAddress("test " + engine.kind(), engine.host(),
                EngineAddress.Source.DOCKER_HOST, false, Optional.empty(), true), EngineCredentials.anonymous())) {
            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store, List.of(DeleteTarget.reference(name)));
            assertThat(preview.plan().deletedImages()).hasSize(1);

            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);

            assertThat(run.changed()).isFalse();
            assertThat(run.unexpected()).isEmpty();
            assertThat(run.lines()).extracting(DeleteLine::toString).containsExactlyElementsOf(
                    preview.plan().records().stream().map(Object::toString).toList());
        }
    }
}
