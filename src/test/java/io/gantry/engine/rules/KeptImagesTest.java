package io.gantry.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.KeptImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's kept images in the rules: never deleted, not untagged by their kept name, left by prune. */
class KeptImagesTest {

    private final ReclaimPlanner planner = new ReclaimPlanner();
    private final Digest pause = Digest.sha256("pause");
    private final Digest other = Digest.sha256("other");
    private final KeptImage kept = new KeptImage(pause, List.of("registry.k8s.io/pause:3.6"), "the sandbox image");

    private ReclaimModel model() {
        ReclaimModel.Image p = ReclaimModel.Image.of(pause, List.of("registry.k8s.io/pause:3.6",
                "registry.k8s.io/pause@" + Digest.sha256("m")), List.of(layer("p")));
        ReclaimModel.Image o = ReclaimModel.Image.of(other, List.of("app:1"), List.of(layer("o")));
        return new ReclaimModel(List.of(p, o), List.of(KeptImages.holder(kept)), ReclaimModel.LayerKey.BLOB);
    }

    private static ImageLayer layer(String name) {
        return new ImageLayer(Digest.sha256("diff " + name), Digest.sha256("blob " + name), 100, "ADD " + name);
    }

    @Test
    void theKeptNameIsADeleteOfTheImageAndIsRefusedEvenForced() {
        DeleteTarget target = KeptImages.retarget(List.of(kept), DeleteTarget.reference("registry.k8s.io/pause:3.6"));
        assertThat(target).isEqualTo(DeleteTarget.id(pause));
        ReclaimPlan plan = planner.planDelete(model(), List.of(target), true);
        assertThat(plan.refusals()).hasSize(1);
        assertThat(plan.records()).isEmpty();
        assertThat(KeptImages.retarget(List.of(kept), DeleteTarget.reference("app:1")))
                .isEqualTo(DeleteTarget.reference("app:1"));
    }

    @Test
    void pruneOfEverythingUnusedLeavesTheKeptImage() {
        ReclaimPlan plan = planner.planPrune(model(), true);
        assertThat(plan.deletedImages()).containsExactly(other);
        assertThat(KeptImages.isHolder(KeptImages.holder(kept))).isTrue();
    }
}
