package io.gantry.service.analysis;

import static io.gantry.service.analysis.ImageFamily.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyTreeTest {

    private final FamilyTree tree = FamilyTree.of(ALL);

    @Test
    void rootsAreTheDistinctBaseLayers() {
        assertThat(tree.roots()).extracting(FamilyTree.Node::chainId).containsExactly(L1.diffId(), L4.diffId());
        assertThat(tree.layerlessImages()).containsExactly(EMPTY);
        assertThat(tree.nodeCount()).isEqualTo(6);
        assertThat(tree.totalSize()).isEqualTo(100 + 20 + 5 + 7 + 20 + 5);
    }

    @Test
    void nodesCarryOwnSizeStackSizeAndTheImagesEndingThere() {
        FamilyTree.Node l1 = tree.roots().get(0);
        assertThat(l1.images()).containsExactly(BASE);
        assertThat(l1.ownSize()).isEqualTo(100);
        FamilyTree.Node l12 = l1.children().get(0);
        assertThat(l12.images()).containsExactly(APP1, APP1B);
        assertThat(l12.stackSize()).isEqualTo(120);
        assertThat(l12.depth()).isEqualTo(1);
        FamilyTree.Node l123 = l12.children().get(0);
        assertThat(l123.images()).containsExactly(APP2);
        assertThat(l123.chainId()).isEqualTo(APP2.chainIds().get(2));
        assertThat(l12.isBranchPoint()).isTrue();
    }

    @Test
    void sameDiffIdUnderDifferentParentsIsADifferentNode() {
        FamilyTree.Node l4 = tree.roots().get(1);
        assertThat(l4.images()).isEmpty();
        assertThat(l4.children()).extracting(n -> n.images().get(0)).containsExactly(OTHER, DANGLING);
        assertThat(l4.children().get(0).chainId()).isNotEqualTo(tree.roots().get(0).children().get(0).chainId());
        assertThat(l4.isBranchPoint()).isTrue();
    }

    @Test
    void lineageHighlightsTheChainAndTheRelatives() {
        FamilyTree.Lineage lineage = tree.lineage(APP1.imageId()).orElseThrow();
        assertThat(lineage.chain()).extracting(FamilyTree.Node::chainId).containsExactlyElementsOf(APP1.chainIds());
        assertThat(lineage.related()).extracting(r -> r.image().imageId(), FamilyTree.Relative::commonLayers,
                FamilyTree.Relative::commonSize).containsExactly(
                org.assertj.core.groups.Tuple.tuple(APP1B.imageId(), 2, 120L),
                org.assertj.core.groups.Tuple.tuple(APP2.imageId(), 2, 120L),
                org.assertj.core.groups.Tuple.tuple(BASE.imageId(), 1, 100L));
        assertThat(lineage.chainIds()).containsExactlyInAnyOrderElementsOf(APP1.chainIds());
    }

    @Test
    void lineageOfAnUnrelatedOrUnknownImage() {
        assertThat(tree.lineage(DANGLING.imageId()).orElseThrow().related())
                .extracting(r -> r.image().imageId()).containsExactly(OTHER.imageId());
        assertThat(tree.lineage(EMPTY.imageId()).orElseThrow().chain()).isEmpty();
        assertThat(tree.lineage(Digest.sha256("nope"))).isEmpty();
    }

    @Test
    void rendersLikeDockviz() {
        String text = FamilyTree.of(List.of(BASE, APP1, APP2, DANGLING)).render();
        String[] lines = text.split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).startsWith("├─" + L1.diffId().shortHex() + " 100B (stack 100B) Tags: base:1");
        assertThat(lines[1]).startsWith("│ └─").endsWith("20B (stack 120B) Tags: app:1");
        assertThat(lines[2]).startsWith("│   └─").endsWith("Tags: app:2, registry.local:5000/app:2");
        assertThat(lines[3]).startsWith("└─" + L4.diffId().shortHex());
        assertThat(lines[4]).startsWith("  └─").contains("<none>:<none> " + DANGLING.imageId().shortHex());
    }
}
