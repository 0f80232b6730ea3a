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

    /**
     * A forced delete by name of an image with a second name; of one a stopped container uses
     * (Docker deletes the image and keeps the container, Podman removes both); of one with a second
     * name and a stopped container; and of one a running container uses (Docker only untags it;
     * Podman would stop and remove the container, which Gantry refuses, in the preview too).
     */
    @BothEngines.Test
    void aForcedDeleteByNameDoesWhatThePreviewSaid(EnginePeer engine) {
        String repository = FixtureImages.unique("force-both");
        FixtureImage twoNames = new FixtureImages().image(repository + "-two")
                .layer("ADD a", l -> l.file("a", repository + "two"));
        FixtureImage used = new FixtureImages().image(repository + "-used")
                .layer("ADD b", l -> l.file("b", repository + "used"));
        FixtureImage both = new FixtureImages().image(repository + "-both")
                .layer("ADD c", l -> l.file("c", repository + "both"));
        FixtureImage running = new FixtureImages().busybox(repository + "-running");
        engine.load(twoNames, used, both, running);
        String runningIn = engine.runContainer(running.reference());
        engine.dockerOk("tag", both.reference(), repository + "-both2:v2");
        String bothUsedBy = engine.createContainer(both.reference(), "/nothing");
        String prefix = engine.kind() == EnginePeer.Kind.PODMAN ? "localhost/" : "";
        engine.dockerOk("tag", twoNames.reference(), repository + "-other:v2");
        String usedBy = engine.createContainer(used.reference(), "/nothing");
        try (DockerEngineStore store = DockerEngineStore.of(new EngineAddress("test " + engine.kind(), engine.host(),
                EngineAddress.Source.DOCKER_HOST, false, Optional.empty(), true), EngineCredentials.anonymous())) {
            for (String name : List.of(prefix + twoNames.reference(), prefix + used.reference(), prefix + both.reference(), prefix + running.reference())) {
                ImageCleanup.DeletePreview preview = cleanup.previewDelete(store, List.of(DeleteTarget.reference(name)));

                ImageCleanup.DeleteRun run = cleanup.delete(store, preview, true);

                if (name.endsWith(running.reference())) {
                    assertThat(preview.plan(true).refusals()).hasSize(engine.kind() == EnginePeer.Kind.PODMAN ? 1 : 0);
                }
                assertThat(run.changed()).isFalse();
                assertThat(run.unexpected()).as(name).isEmpty();
                assertThat(run.lines()).extracting(DeleteLine::toString).as(name).containsExactlyElementsOf(
                        preview.plan(true).records().stream().map(Object::toString).toList());
            }
            // Docker's force leaves the containers; Podman's removes the stopped one of the image it deleted
            boolean podman = engine.kind() == EnginePeer.Kind.PODMAN;
            assertThat(engine.docker("container", "inspect", usedBy).succeeded()).isEqualTo(!podman);
            assertThat(engine.docker("container", "inspect", bothUsedBy).succeeded()).isTrue();
            assertThat(engine.containerStatus(runningIn)).isEqualTo("running");
        }
    }
}
