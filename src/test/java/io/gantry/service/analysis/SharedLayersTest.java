package io.gantry.service.analysis;

import static io.gantry.service.analysis.ImageFamily.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedLayersTest {

    private final SharedLayers shared = SharedLayers.of(ALL);

    @Test
    void sizesAreSumsOfLayerSizes() {
        assertThat(shared.image(APP2.imageId()).orElseThrow().size()).isEqualTo(125);
        assertThat(shared.image(EMPTY.imageId()).orElseThrow().size()).isZero();
    }

    @Test
    void sharedAndUniqueAsDockerSystemDf() {
        assertThat(shared.sharedSizes()).containsExactly(
                entry(BASE, 100), entry(APP1, 120), entry(APP1B, 120), entry(APP2, 120),
                entry(OTHER, 7), entry(DANGLING, 7), entry(EMPTY, 0));
        assertThat(shared.image(APP2.imageId()).orElseThrow().uniqueSize()).isEqualTo(5);
        assertThat(shared.image(OTHER.imageId()).orElseThrow().uniqueSize()).isEqualTo(20);
    }

    @Test
    void identicalLayerStacksShareEverything() {
        assertThat(shared.image(APP1.imageId()).orElseThrow().uniqueSize()).isZero();
        assertThat(shared.image(APP1B.imageId()).orElseThrow().uniqueSize()).isZero();
    }

    @Test
    void sameDiffIdOnDifferentStackIsNotShared() {
        LayerSharing l2OfOther = shared.image(OTHER.imageId()).orElseThrow().layers().get(1);
        assertThat(l2OfOther.layer().diffId()).isEqualTo(L2.diffId());
        assertThat(l2OfOther.shared()).isFalse();
    }

    @Test
    void eachLayerNamesTheImagesItIsSharedWith() {
        ImageSharing app1 = shared.image(APP1.imageId()).orElseThrow();
        assertThat(app1.layers().get(0).sharedWith())
                .containsExactlyInAnyOrder(BASE.imageId(), APP1B.imageId(), APP2.imageId());
        assertThat(app1.layers().get(1).sharedWith()).containsExactlyInAnyOrder(APP1B.imageId(), APP2.imageId());
        assertThat(app1.sharesWith()).containsExactlyInAnyOrder(BASE.imageId(), APP1B.imageId(), APP2.imageId());
        assertThat(shared.imagesUsing(app1.layers().get(1).chainId()))
                .containsExactly(APP1.imageId(), APP1B.imageId(), APP2.imageId());
    }

    @Test
    void danglingImagesCountAsReferences() {
        // Without the dangling image, L4 would be used by "other" alone.
        SharedLayers withoutDangling = SharedLayers.of(List.of(BASE, APP1, APP1B, APP2, OTHER, EMPTY));
        assertThat(withoutDangling.sharedSize(OTHER.imageId())).isZero();
        assertThat(shared.sharedSize(OTHER.imageId())).isEqualTo(7);
    }

    @Test
    void anImageListedTwiceCountsOnce() {
        SharedLayers twice = SharedLayers.of(List.of(APP2, APP2));
        assertThat(twice.sharedSize(APP2.imageId())).isZero();
        assertThat(twice.images()).hasSize(1);
    }

    private static java.util.Map.Entry<io.gantry.core.Digest, Long> entry(ImageLayers image, long size) {
        return java.util.Map.entry(image.imageId(), size);
    }
}
