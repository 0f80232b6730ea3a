package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry files} (dive's file view) on dockerd and on Podman: the layers come from each
 * engine's own export ({@code GET /images/{name}/get}), which names them differently — moby
 * {@code <id>/layer.tar}, Podman {@code <diff id>.tar} with {@code <id>/layer.tar} only a link —
 * so every layer must be found and read on both, and a layer that cannot be read is said in words.
 */
@Tag("peer")
class CliFilesOnBothEnginesTest {

    @TempDir
    Path dir;

    @BothEngines.Test
    void everyLayerOfTheExportIsReadOnEitherEngine(EnginePeer engine) {
        String repository = FixtureImages.unique("files-both");
        FixtureImage image = new FixtureImages().image(repository)
                .layer("ADD base", l -> l.file("etc/base", "b").randomFile("app/data", 30_000, 4))
                .layer("RUN change", l -> l.randomFile("app/data", 30_000, 5).whiteout("etc/base"));
        engine.load(image);
        EngineCli cli = new EngineCli(engine, dir.resolve("store"));

        GantryCliTest.Run files = cli.onEngine("files", image.imageId(), "--changes");

        assertThat(files.code()).as(files.err()).isZero();
        assertThat(files.out()).doesNotContain("could not be read", "ScanFailure", "was not in")
                .contains("app/data", "etc/base", "Efficiency:");
        GantryCliTest.Run strict = cli.onEngine("files", image.imageId(), "--ci");
        assertThat(strict.out()).as("30 kB of the 60 kB written is overwritten").contains("Result: FAIL");
    }
}
