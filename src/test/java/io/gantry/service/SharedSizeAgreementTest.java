package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ChainSharing;
import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import io.gantry.service.analysis.SharedLayers;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SHARED is computed one way: the embedded store's listing and the layer analysis (Layers view,
 * {@code gantry layers}) both count the holders of a layer with {@link ChainSharing} — by blob, as the
 * store keeps them — so they agree.
 */
class SharedSizeAgreementTest {

    @Test
    void theListingAndTheLayerAnalysisGiveTheSameSharedSize(@TempDir Path dir) {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image base = StoreFixtures.image("base", 1, 2);
            StoreFixtures.store(store, base, "example.com/base:1");
            StoreFixtures.store(store, StoreFixtures.image("app", 1, 2, 3), "example.com/app:1");
            StoreFixtures.store(store, StoreFixtures.image("tool", 1, 4), "example.com/tool:1");
            StoreFixtures.store(store, StoreFixtures.image("other", 2, 1), "example.com/other:1"); // same diff IDs, other order

            List<ImageSummary> listed = store.listImages();
            SharedLayers analysed = SharedLayers.of(LayerRows.allImages(store), store.capabilities().layerBlobs());

            assertThat(listed).hasSize(4);
            for (ImageSummary image : listed) {
                assertThat(image.sharedSize()).as(image.repoTags().toString()).isEqualTo(analysed.sharedSize(image.id()));
            }
            long layer1 = base.layers().get(0).blob().length;
            long layer2 = base.layers().get(1).blob().length;
            assertThat(shared(listed, "example.com/base:1")).isEqualTo(layer1 + layer2);
            assertThat(shared(listed, "example.com/tool:1")).isEqualTo(layer1);
            // the same blobs in another order: kept once in a blob store (in moby's layer store, other chains)
            assertThat(shared(listed, "example.com/other:1")).isEqualTo(layer1 + layer2);
        }
    }

    @Test
    void aChainIsHeldByEveryImageWithTheSameLayersFromTheBaseUp() {
        Digest a = Digest.sha256("a");
        Digest b = Digest.sha256("b");
        Digest c = Digest.sha256("c");
        Digest one = Digest.sha256("image 1");
        Digest two = Digest.sha256("image 2");
        Digest three = Digest.sha256("image 3");
        Map<Digest, List<Digest>> images = new LinkedHashMap<>();
        images.put(one, List.of(a, b));
        images.put(two, List.of(a, b, c));
        images.put(three, List.of(b, a));
        ChainSharing sharing = ChainSharing.of(images);
        assertThat(sharing.holders(two, 1)).containsExactly(one, two);
        assertThat(sharing.holders(two, 2)).containsExactly(two);
        assertThat(sharing.holders(three, 1)).containsExactly(three);
        assertThat(sharing.sharedSize(two, List.of(10L, 20L, 40L))).isEqualTo(30);
        assertThat(sharing.sharedSize(three, List.of(10L, 20L))).isZero();

        ChainSharing blobs = ChainSharing.ofBlobs(images);
        assertThat(blobs.holders(three, 1)).containsExactly(one, two, three);
        assertThat(blobs.sharedSize(three, List.of(10L, 20L))).isEqualTo(30);
        assertThat(blobs.sharedSize(two, List.of(10L, 20L, 40L))).isEqualTo(30);
        Map<Digest, List<Digest>> repeated = Map.of(one, List.of(a, a));
        assertThat(ChainSharing.ofBlobs(repeated).holders(one, 1)).as("a blob listed twice has one holder").containsExactly(one);
    }

    private static long shared(List<ImageSummary> listed, String tag) {
        return listed.stream().filter(i -> i.repoTags().contains(tag)).findFirst().orElseThrow().sharedSize();
    }
}
