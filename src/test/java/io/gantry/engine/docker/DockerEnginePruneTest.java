package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeers;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.Layer;
import io.gantry.testing.PodmanPeer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prune dry runs against real prunes, on an engine of the test's own (a prune touches every image):
 * a fresh dockerd, and a fresh Podman service (where Gantry carries the prune out itself, since
 * Podman refuses {@code prune -a} through its Docker API and counts reclaimed bytes differently).
 * The images cover what the rules distinguish: dangling images sharing a layer with each other or
 * with a tagged image, a parent kept by its child, images used by stopped and running containers,
 * an unused image with two tags.
 */
@Tag("peer")
@ExtendWith(DockerdExtension.class)
class DockerEnginePruneTest {

    private final FixtureImages images = new FixtureImages();

    @ParameterizedTest(name = "[{0}]")
    @EnumSource(EnginePeer.Kind.class)
    void dryRunListsExactlyWhatThePruneRemovesAndTheBytesItReclaims(EnginePeer.Kind kind, DockerdPeers peers) {
        EnginePeer engine = kind == EnginePeer.Kind.PODMAN ? PodmanPeer.start() : peers.start();
        try (engine; DockerEngineStore store = EngineStores.on(engine)) {
            EnginePeer dockerd = engine;
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
            dockerd.commit(onParent, "committed-child:1");
            dockerd.dockerOk("rm", onParent);
            dockerd.dockerOk("rmi", parent.reference()); // untags only: the committed child keeps it

            Map<Digest, ImageSummary> before = store.listImages().stream()
                    .collect(Collectors.toMap(ImageSummary::id, Function.identity()));
            ImageSummary d1 = before.get(Digest.of(dangling1.imageId()));
            ImageSummary d2 = before.get(Digest.of(dangling2.imageId()));
            ImageSummary d3 = before.get(Digest.of(dangling3.imageId()));

            // Podman's SIZE adds each image's metadata; the bytes reclaimed are layers, as on Docker.
            long expectedDangling = kind == EnginePeer.Kind.PODMAN
                    ? layer(store, dangling1, "COPY d1") + layer(store, dangling2, "ADD pair")
                    + layer(store, dangling2, "COPY d2") + layer(store, dangling3, "COPY d3")
                    : d1.uniqueSize() + d2.size() + d3.size() - d2.sharedSize();

            // ---- dangling
            PruneResult preview = store.prune(PruneMode.DANGLING, true);
            assertThat(store.listImages()).as("a dry run removes nothing").hasSize(before.size());
            PruneResult pruned = store.prune(PruneMode.DANGLING, false);

            assertSameOutcome(preview, pruned);
            assertThat(pruned.imagesDeleted()).containsExactlyInAnyOrder(
                    Digest.of(dangling1.imageId()), Digest.of(dangling2.imageId()), Digest.of(dangling3.imageId()));
            // d1 shares its base with tagged images: only its own layer goes. d2 and d3 share a layer
            // only with each other: it goes, counted once.
            assertThat(pruned.spaceReclaimed()).isEqualTo(expectedDangling);

            // ---- all unused
            PruneResult previewAll = store.prune(PruneMode.ALL_UNUSED, true);
            PruneResult prunedAll = store.prune(PruneMode.ALL_UNUSED, false);

            assertSameOutcome(previewAll, prunedAll);
            String local = kind == EnginePeer.Kind.PODMAN ? "localhost/" : "";
            assertThat(prunedAll.untagged()).contains(local + "tagged:latest", local + "tagged-app:latest",
                    local + "two-tags:latest", "two-tags:second", local + "committed-child:1");
            if (kind == EnginePeer.Kind.PODMAN) {
                // Podman removed the parent with its last name already: a child does not keep it there.
                assertThat(before).doesNotContainKey(Digest.of(parent.imageId()));
                assertThat(prunedAll.imagesDeleted()).contains(Digest.of(tagged.imageId()));
            } else {
                assertThat(prunedAll.imagesDeleted()).contains(Digest.of(parent.imageId()), Digest.of(tagged.imageId()));
            }
            List<Digest> left = store.listImages().stream().map(ImageSummary::id).toList();
            assertThat(left).containsExactlyInAnyOrder(Digest.of(usedStopped.imageId()), Digest.of(usedRunning.imageId()));

            // ---- nothing left to prune: both agree on nothing
            assertSameOutcome(store.prune(PruneMode.ALL_UNUSED, true), store.prune(PruneMode.ALL_UNUSED, false));
        }
    }

    private static long layer(DockerEngineStore store, FixtureImage image, String createdBy) {
        return store.history(io.gantry.core.ImageKey.parse(image.imageId())).stream().filter(h -> h.createdBy().equals(createdBy))
                .mapToLong(io.gantry.engine.HistoryEntry::size).findFirst().orElseThrow();
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
