package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SHARED and SIZE by chain (a layer store) and by blob (the embedded store, containerd). */
class ChainSharingTest {

    private static final Digest A = Digest.sha256("a");
    private static final Digest B = Digest.sha256("b");
    private static final Digest C = Digest.sha256("c");
    private static final Digest ONE = Digest.sha256("image one");
    private static final Digest TWO = Digest.sha256("image two");

    @Test
    void aLayerStoreSharesAChainNotADiffIdOnAnotherStack() {
        Map<Digest, List<Digest>> images = new LinkedHashMap<>();
        images.put(ONE, List.of(A, B));
        images.put(TWO, List.of(C, B));
        ChainSharing sharing = ChainSharing.of(images);
        assertThat(sharing.shared(ONE, 1)).isFalse();
        assertThat(sharing.sharedSize(ONE, List.of(10L, 20L))).isZero();
    }

    @Test
    void aBlobStoreSharesABlobWhereverItIsListed() {
        Map<Digest, List<Digest>> images = new LinkedHashMap<>();
        images.put(ONE, List.of(A, B));
        images.put(TWO, List.of(C, B));
        ChainSharing sharing = ChainSharing.ofBlobs(images);
        assertThat(sharing.holders(ONE, 1)).containsExactly(ONE, TWO);
        assertThat(sharing.sharedSize(ONE, List.of(10L, 20L))).isEqualTo(20);
    }

    @Test
    void aBlobListedTwiceInOneImageIsCountedOnceSoUniqueIsWhatADeleteFrees() {
        Map<Digest, List<Digest>> images = new LinkedHashMap<>();
        images.put(ONE, List.of(A, B, A));
        images.put(TWO, List.of(B));
        ChainSharing sharing = ChainSharing.ofBlobs(images);
        List<Long> sizes = List.of(10L, 20L, 10L);
        assertThat(sharing.repeats(ONE, 2)).isTrue();
        assertThat(sharing.repeats(ONE, 0)).isFalse();
        assertThat(sharing.shared(ONE, 2)).as("A is held by image one alone").isFalse();
        assertThat(sharing.size(ONE, sizes)).isEqualTo(30);
        assertThat(sharing.sharedSize(ONE, sizes)).isEqualTo(20);
    }

    @Test
    void inALayerStoreTheSameDiffIdTwiceIsTwoLayers() {
        ChainSharing sharing = ChainSharing.of(Map.of(ONE, List.of(A, B, A)));
        assertThat(sharing.repeats(ONE, 2)).isFalse();
        assertThat(sharing.size(ONE, List.of(10L, 20L, 10L))).isEqualTo(40);
    }
}
