package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdsTest {

    /** moby's layer.DigestSHA256EmptyTar: the diff ID of an empty tar (1024 zero bytes). */
    static final Digest EMPTY_TAR = Digest.of("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    static final Digest HELLO = Digest.of("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

    @Test
    void emptyTarDiffIdIsMobysPublishedConstant() {
        assertThat(Digest.sha256(new byte[1024])).isEqualTo(EMPTY_TAR);
    }

    @Test
    void baseLayerChainIdIsItsDiffId() {
        assertThat(ChainIds.of(List.of(HELLO))).containsExactly(HELLO);
    }

    @Test
    void nextLayerHashesParentSpaceDiffIdWithPrefixes() {
        // By hand: printf 'sha256:5f70…c6ef sha256:2cf2…9824' | sha256sum
        Digest expected = Digest.of("sha256:4f7d145b49775d3f8b9ae2dabf2e4d368e748f6695e12cd5902305eff78f2447");
        assertThat(ChainIds.next(EMPTY_TAR, HELLO)).isEqualTo(expected);
        assertThat(ChainIds.of(List.of(EMPTY_TAR, HELLO))).containsExactly(EMPTY_TAR, expected);
    }

    @Test
    void sameDiffIdTwiceGivesDifferentChainIds() {
        // printf 'sha256:5f70…c6ef sha256:5f70…c6ef' | sha256sum
        assertThat(ChainIds.of(List.of(EMPTY_TAR, EMPTY_TAR))).containsExactly(EMPTY_TAR,
                Digest.of("sha256:170b376f64fb30995c140276be3d71dfb256b308d86183ca3b22aa93a79ad548"));
    }

    @Test
    void threeLayersChainRecursively() {
        Digest ab = ChainIds.next(EMPTY_TAR, HELLO);
        Digest abc = Digest.sha256(ab + " " + EMPTY_TAR);
        assertThat(ChainIds.of(List.of(EMPTY_TAR, HELLO, EMPTY_TAR))).containsExactly(EMPTY_TAR, ab, abc);
        assertThat(ChainIds.top(List.of(EMPTY_TAR, HELLO, EMPTY_TAR))).isEqualTo(abc);
    }

    @Test
    void emptyListHasNoChains() {
        assertThat(ChainIds.of(List.of())).isEmpty();
        assertThatThrownBy(() -> ChainIds.top(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
