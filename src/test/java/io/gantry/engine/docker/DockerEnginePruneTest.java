package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.DockerdPeers;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.Layer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prune dry runs against real prunes, on a daemon of the test's own (a prune touches every image).
 * The images cover what the rules distinguish: dangling images sharing a layer with each other or
 * with a tagged image, a parent kept by its child, images used by stopped and running containers,
 * an unused image with two tags.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class DockerEnginePruneTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void dryRunListsExactlyWhatThePruneRemovesAndTheBytesItReclaims(DockerdPeers peers) {
        DockerdPeer dockerd = peers.start();
        try (DockerEngineStore store = EngineStores.on(dockerd)) {
            Layer base = images.layer(l -> l.randomFile("base.bin", 30_000, 1));
            FixtureImage tagged = images.image("tagged").layer("ADD base", base);
            FixtureImage taggedApp = tagged.child("tagged-app").layer("COPY app", l -> l.randomFile("app", 4_000, 2));
            FixtureImage twoTags = images.image("two-tags").layer("ADD t", l -> l.randomFile("t", 6_000, 3));
            FixtureImage dangling1 = tagged.child("d1").layer("COPY d1", l -> l.randomFile("d1", 5_000, 4));
            Layer sharedByDangling = images.layer(l -> l.randomFile("pair.bin", 9_000, 5));
            FixtureImage dangling2 = images.image("d2").layer("ADD pair", sharedByDangling)
                    .layer("COPY d2", l -> l.randomFile("d2", 1_000, 6));
            FixtureImage dangling3 = images.image("d3").layer("ADD pair", sharedByDangling)
                    .layer("COPY d3", l -> l.randomFile("d3", 2_000, 7));
            FixtureImage usedStopped = images.image("used-stopped").layer("ADD u", l -> l.randomFile("u", 3_000, 8));
            FixtureImage usedRunning = images.busybox("used-running");
            FixtureImage parent = images.image("parent").layer("ADD p", l -> l.randomFile("p", 7_000, 9));

            dockerd.load(tagged, taggedApp, twoTags, usedStopped, usedRunning, parent);
            dockerd.dockerOk("tag", twoTags.reference(), "two-tags:second");
            dockerd.loadUntagged(dangling1);
            dockerd.loadUntagged(dangling2);
            dockerd.loadUntagged(dangling3);
            dockerd.createContainer(usedStopped.reference(), "/nothing");
            dockerd.runContainer(usedRunning.reference());
            String onParent = dockerd.createContainer(parent.reference(), "/nothing");
            dockerd.dockerOk("commit", onParent, "committed-child:1");
            dockerd.dockerOk("rm", onParent);
            dockerd.dockerOk("rmi", parent.reference()); // untags only: the committed child keeps it

            Map<Digest, ImageSummary> before = store.listImages().stream()
                    .collect(Collectors.toMap(ImageSummary::id, Function.identity()));
            ImageSummary d1 = before.get(Digest.of(dangling1.imageId()));
            ImageSummary d2 = before.get(Digest.of(dangling2.imageId()));
            ImageSummary d3 = before.get(Digest.of(dangling3.imageId()));

            // ---- dangling
            PruneResult preview = store.prune(PruneMode.DANGLING, true);
            assertThat(store.listImages()).as("a dry run removes nothing").hasSize(before.size());
            PruneResult pruned = store.prune(PruneMode.DANGLING, false);

            assertSameOutcome(preview, pruned);
            assertThat(pruned.imagesDeleted()).containsExactlyInAnyOrder(
                    Digest.of(dangling1.imageId()), Digest.of(dangling2.imageId()), Digest.of(dangling3.imageId()));
            // d1 shares its base with tagged images: only its own layer goes. d2 and d3 share a layer
            // only with each other: it goes, counted once.
            assertThat(pruned.spaceReclaimed())
                    .isEqualTo(d1.uniqueSize() + d2.size() + d3.size() - d2.sharedSize());

            // ---- all unused
            PruneResult previewAll = store.prune(PruneMode.ALL_UNUSED, true);
            PruneResult prunedAll = store.prune(PruneMode.ALL_UNUSED, false);

            assertSameOutcome(previewAll, prunedAll);
            assertThat(prunedAll.untagged()).contains("tagged:latest", "tagged-app:latest", "two-tags:latest",
                    "two-tags:second", "committed-child:1");
            assertThat(prunedAll.imagesDeleted()).contains(Digest.of(parent.imageId()), Digest.of(tagged.imageId()));
            List<Digest> left = store.listImages().stream().map(ImageSummary::id).toList();
            assertThat(left).containsExactlyInAnyOrder(Digest.of(usedStopped.imageId()), Digest.of(usedRunning.imageId()));

            // ---- nothing left to prune: both agree on nothing
            assertSameOutcome(store.prune(PruneMode.ALL_UNUSED, true), store.prune(PruneMode.ALL_UNUSED, false));
        }
    }

    private static void assertSameOutcome(PruneResult preview, PruneResult real) {
        assertThat(preview.dryRun()).isTrue();
        assertThat(real.dryRun()).isFalse();
        assertThat(preview.untagged()).as("untagged").containsExactlyElementsOf(real.untagged());
        assertThat(preview.deleted()).as("deleted images and layers").containsExactlyElementsOf(real.deleted());
        assertThat(preview.imagesDeleted()).as("images").containsExactlyElementsOf(real.imagesDeleted());
        assertThat(preview.spaceReclaimed()).as("bytes reclaimed").isEqualTo(real.spaceReclaimed());
    }
}
