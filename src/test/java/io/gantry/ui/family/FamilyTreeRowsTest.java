package io.gantry.ui.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageLayer;
import io.gantry.service.analysis.FamilyTree;
import io.gantry.service.analysis.ImageLayers;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.TreeItem;
import org.junit.jupiter.api.Test;

/**
 * The family tree's rows (issue 20): a chain's rows (its images, then its child chains) are made
 * when the tree first asks for them; a tree of more than {@link FamilyTreeWindow#EXPANDED_NODES}
 * chains opens with its base layers collapsed, a smaller one fully expanded.
 */
class FamilyTreeRowsTest {

    private static ImageLayer layer(String name) {
        return new ImageLayer(Digest.sha256("layer " + name), Digest.sha256("blob " + name), 10, "RUN " + name);
    }

    /** {@code families} base layers, each with {@code perFamily} images of one own layer on it. */
    private static FamilyTree families(int families, int perFamily) {
        List<ImageLayers> images = new ArrayList<>();
        for (int f = 0; f < families; f++) {
            ImageLayer base = layer("base " + f);
            for (int m = 0; m < perFamily; m++) {
                images.add(new ImageLayers(Digest.sha256("image " + f + "." + m), List.of("app" + f + ":v" + m),
                        List.of(base, layer("own " + f + "." + m))));
            }
        }
        return FamilyTree.of(images);
    }

    @Test
    void aSmallTreeOpensExpandedWithEveryRow() {
        List<TreeItem<FamilyTreeWindow.Entry>> roots = FamilyTreeWindow.rows(families(3, 2));
        assertThat(roots).hasSize(3).allMatch(TreeItem::isExpanded);
        TreeItem<FamilyTreeWindow.Entry> base = roots.get(0);
        assertThat(base.getChildren()).hasSize(2).allMatch(TreeItem::isExpanded);
        TreeItem<FamilyTreeWindow.Entry> own = base.getChildren().get(0);
        assertThat(own.getChildren()).hasSize(1);
        assertThat(own.getChildren().get(0).getValue().image()).isEqualTo(own.getValue().node().images().get(0));
        assertThat(own.getChildren().get(0).isLeaf()).isTrue();
    }

    @Test
    void aLargeTreeOpensCollapsedAndMakesAChainsRowsWhenAskedFor() {
        int families = FamilyTreeWindow.EXPANDED_NODES / 2 + 1; // each family is 2 chains here: over the limit
        FamilyTree tree = families(families, 1);
        assertThat(tree.nodeCount()).isGreaterThan(FamilyTreeWindow.EXPANDED_NODES);
        List<TreeItem<FamilyTreeWindow.Entry>> roots = FamilyTreeWindow.rows(tree);
        assertThat(roots).hasSize(families).noneMatch(TreeItem::isExpanded).noneMatch(TreeItem::isLeaf);
        TreeItem<FamilyTreeWindow.Entry> base = roots.get(families - 1);
        base.setExpanded(true);
        assertThat(base.getChildren()).hasSize(1);
        TreeItem<FamilyTreeWindow.Entry> own = base.getChildren().get(0);
        assertThat(own.isExpanded()).isFalse();
        assertThat(own.getValue().node().images()).hasSize(1);
        assertThat(own.getChildren()).extracting(item -> item.getValue().image())
                .containsExactly(own.getValue().node().images().get(0));
        assertThat(own.getChildren().get(0).getValue().image().tags()).hasSize(1).allMatch(t -> t.startsWith("app"));
    }
}
