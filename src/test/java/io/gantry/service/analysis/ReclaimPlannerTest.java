package io.gantry.service.analysis;

import io.gantry.engine.DeleteLine;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.rules.TargetOutcome;
import io.gantry.engine.ImageLayer;

import io.gantry.core.ChainIds;
import static io.gantry.service.analysis.ImageFamily.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReclaimPlannerTest {

    private final ReclaimPlanner planner = new ReclaimPlanner();

    /** The {@link ImageFamily} images as an engine lists them (no parent links, no containers). */
    private static ReclaimModel family(ReclaimModel.Container... containers) {
        List<ReclaimModel.Image> images = new ArrayList<>();
        for (ImageLayers image : ALL) {
            images.add(ReclaimModel.Image.of(image.imageId(), image.tags(), image.layers()));
        }
        return new ReclaimModel(images, List.of(containers));
    }

    private static Digest chain(ImageLayers image, int index) {
        return image.chainIds().get(index);
    }

    private static List<String> lines(ReclaimPlan plan) {
        return plan.records().stream().map(DeleteLine::toString).toList();
    }

    @Test
    void removingOneOfSeveralTagsOnlyUntags() {
        ReclaimPlan plan = planner.planDelete(family(), List.of(DeleteTarget.reference("app:2")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:2");
        assertThat(plan.untaggedOnly()).containsExactly("app:2");
        assertThat(plan.deletedImages()).isEmpty();
        assertThat(plan.bytesFreed()).isZero();
        assertThat(plan.clean()).isTrue();
    }

    @Test
    void removingTheLastTagDeletesTheImageAndItsUniqueLayer() {
        ReclaimPlan plan = planner.planDelete(family(), List.of(
                DeleteTarget.reference("app:2"), DeleteTarget.reference("registry.local:5000/app:2")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:2", "Untagged: registry.local:5000/app:2",
                "Deleted: " + APP2.imageId(), "Deleted: " + chain(APP2, 2));
        assertThat(plan.untaggedOnly()).isEmpty();
        assertThat(plan.deletedImages()).containsExactly(APP2.imageId());
        assertThat(plan.bytesFreed()).isEqualTo(5);
    }

    @Test
    void sharedLayersAreFreedOnlyWithTheirLastUserAndCountedOnce() {
        ReclaimPlan justApp1 = planner.planDelete(family(), List.of(DeleteTarget.reference("app:1")), false);
        assertThat(justApp1.deletedImages()).containsExactly(APP1.imageId());
        assertThat(justApp1.bytesFreed()).as("app:1-relabelled and app:2 still use both layers").isZero();

        ReclaimPlan wholeFamily = planner.planDelete(family(), List.of(
                DeleteTarget.id(APP1.imageId()), DeleteTarget.id(APP1B.imageId()),
                DeleteTarget.id(APP2.imageId()), DeleteTarget.id(BASE.imageId())), true);
        assertThat(wholeFamily.freedLayers()).extracting(ReclaimPlan.FreedLayer::chainId)
                .containsExactly(chain(APP2, 2), chain(APP2, 1), chain(APP2, 0));
        assertThat(wholeFamily.bytesFreed()).isEqualTo(125);
        assertThat(lines(wholeFamily)).last().isEqualTo("Deleted: " + L1.diffId());
    }

    @Test
    void byIdWithSeveralNamesIsASoftConflictThatForceOvercomes() {
        ReclaimPlan refused = planner.planDelete(family(), List.of(DeleteTarget.id(APP2.imageId())), false);
        DeleteRefusal refusal = refused.refusals().get(0);
        assertThat(refusal.reason()).isEqualTo(DeleteRefusal.Reason.MULTIPLE_REFERENCES);
        assertThat(refusal.forceable()).isTrue();
        assertThat(refusal.message()).isEqualTo("conflict: unable to delete " + APP2.imageId().shortHex()
                + " (must be forced) - image is referenced in multiple repositories");
        assertThat(refused.records()).isEmpty();

        ReclaimPlan forced = planner.planDelete(family(), List.of(DeleteTarget.id(APP2.imageId())), true);
        assertThat(lines(forced)).containsExactly("Untagged: app:2", "Untagged: registry.local:5000/app:2",
                "Deleted: " + APP2.imageId(), "Deleted: " + chain(APP2, 2));
    }

    @Test
    void runningContainerIsAHardConflictEvenWithForce() {
        ReclaimModel model = family(new ReclaimModel.Container("c0ffee00000000001", OTHER.imageId(), true));
        ReclaimPlan plan = planner.planDelete(model, List.of(DeleteTarget.id(OTHER.imageId())), true);
        DeleteRefusal refusal = plan.refusals().get(0);
        assertThat(refusal.reason()).isEqualTo(DeleteRefusal.Reason.RUNNING_CONTAINER);
        assertThat(refusal.reason().hard()).isTrue();
        assertThat(refusal.forceable()).isFalse();
        assertThat(refusal.message()).endsWith("(cannot be forced) - image is being used by running container c0ffee000000");
        assertThat(refusal.toException("delete").kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(refusal.toException("delete").httpStatus()).hasValue(409);
    }

    @Test
    void removingTheLastTagOfAnImageInUseNeedsForceAndThenOnlyUntags() {
        ReclaimModel model = family(new ReclaimModel.Container("c1", OTHER.imageId(), true));
        ReclaimPlan refused = planner.planDelete(model, List.of(DeleteTarget.reference("other")), false);
        assertThat(refused.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(DeleteRefusal.Reason.REFERENCE_IN_USE);
            assertThat(r.message()).isEqualTo("conflict: unable to remove repository reference \"other\" (must force)"
                    + " - container c1 is using its referenced image " + OTHER.imageId().shortHex());
        });
        ReclaimPlan forced = planner.planDelete(model, List.of(DeleteTarget.reference("other")), true);
        assertThat(lines(forced)).containsExactly("Untagged: other:latest");
        assertThat(forced.untaggedOnly()).containsExactly("other:latest");
        assertThat(forced.deletedImages()).isEmpty();
    }

    @Test
    void stoppedContainerIsASoftConflictAndForcedDeleteFreesNoLayers() {
        ReclaimModel model = family(new ReclaimModel.Container("stopped1", OTHER.imageId(), false));
        ReclaimPlan refused = planner.planDelete(model, List.of(DeleteTarget.id(OTHER.imageId())), false);
        assertThat(refused.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(DeleteRefusal.Reason.STOPPED_CONTAINER);
            assertThat(r.forceable()).isTrue();
            assertThat(r.message()).endsWith("(must be forced) - image is being used by stopped container stopped1");
        });
        ReclaimPlan forced = planner.planDelete(model, List.of(DeleteTarget.id(OTHER.imageId())), true);
        assertThat(lines(forced)).containsExactly("Untagged: other:latest", "Deleted: " + OTHER.imageId());
        assertThat(forced.bytesFreed()).as("the container still holds the layers").isZero();
    }

    @Test
    void dependentChildIsAHardConflictAndParentsArePrunedAfterTheirLastChild() {
        ImageLayer extra = layer("child", 3);
        ReclaimModel.Image parent = new ReclaimModel.Image(id("parent"), List.of(), Optional.of(BASE.imageId()),
                List.of(L1, L2));
        ReclaimModel.Image child = new ReclaimModel.Image(id("child"), List.of("child:1"), Optional.of(parent.id()),
                List.of(L1, L2, extra));
        ReclaimModel.Image base = ReclaimModel.Image.of(BASE.imageId(), BASE.tags(), BASE.layers());
        ReclaimModel model = new ReclaimModel(List.of(base, parent, child), List.of());

        ReclaimPlan refused = planner.planDelete(model, List.of(DeleteTarget.id(parent.id())), true);
        assertThat(refused.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(DeleteRefusal.Reason.DEPENDENT_CHILD);
            assertThat(r.message()).endsWith("(cannot be forced) - image has dependent child images");
        });

        List<Digest> childChain = ChainIds.of(List.of(L1.diffId(), L2.diffId(), extra.diffId()));
        ReclaimPlan plan = planner.planDelete(model, List.of(DeleteTarget.reference("child:1")), false);
        assertThat(lines(plan)).containsExactly("Untagged: child:1", "Deleted: " + child.id(),
                "Deleted: " + childChain.get(2), "Deleted: " + parent.id(), "Deleted: " + childChain.get(1));
        assertThat(plan.bytesFreed()).isEqualTo(3 + 20);
        assertThat(plan.deletedImages()).as("base is tagged, so pruning stops there")
                .containsExactly(child.id(), parent.id());

        ReclaimPlan noPrune = planner.planDelete(model, List.of(DeleteTarget.reference("child:1")), false, false);
        assertThat(noPrune.deletedImages()).containsExactly(child.id());
        assertThat(noPrune.bytesFreed()).isEqualTo(3);
    }

    @Test
    void removingTheLastTagOfARepositoryDropsItsDigestReferences() {
        String digestRef = "app@sha256:" + "ab".repeat(32);
        ReclaimModel.Image image = ReclaimModel.Image.of(id("digested"), List.of("app:3", digestRef), List.of(L3));
        ReclaimPlan plan = planner.planDelete(new ReclaimModel(List.of(image), List.of()),
                List.of(DeleteTarget.reference("app:3")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:3", "Untagged: " + digestRef,
                "Deleted: " + image.id(), "Deleted: " + L3.diffId());
    }

    @Test
    void refusedTargetsChangeNothingAndTheNextTargetStillRuns() {
        ReclaimPlan plan = planner.planDelete(family(), List.of(
                DeleteTarget.reference("nope:1"), DeleteTarget.id(APP2.imageId()), DeleteTarget.reference("base:1")), false);
        assertThat(plan.outcomes()).extracting(TargetOutcome::refused).containsExactly(true, true, false);
        assertThat(plan.refusals()).extracting(DeleteRefusal::reason)
                .containsExactly(DeleteRefusal.Reason.NOT_FOUND, DeleteRefusal.Reason.MULTIPLE_REFERENCES);
        assertThat(plan.refusals().get(0).toException("rmi").kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(plan.deletedImages()).containsExactly(BASE.imageId());
        assertThat(DeleteTarget.parse(APP2.imageId().toString())).isEqualTo(DeleteTarget.id(APP2.imageId()));
        assertThat(DeleteTarget.parse("base:1")).isEqualTo(DeleteTarget.reference("base:1"));
    }

    @Test
    void pruneDanglingDeletesUntaggedLeavesOnlyAndCountsWhatTheyAloneUse() {
        ImageLayer mid = layer("mid", 11);
        ReclaimModel.Image intermediate = new ReclaimModel.Image(id("intermediate"), List.of(), Optional.empty(),
                List.of(L4, mid));
        ReclaimModel.Image built = new ReclaimModel.Image(id("built"), List.of("built:1"),
                Optional.of(intermediate.id()), List.of(L4, mid, L3));
        List<ReclaimModel.Image> images = new ArrayList<>(family().images());
        images.add(intermediate);
        images.add(built);
        ReclaimPlan plan = planner.planPrune(new ReclaimModel(images, List.of()), false);
        assertThat(plan.deletedImages()).containsExactly(DANGLING.imageId());
        assertThat(plan.freedLayers()).extracting(ReclaimPlan.FreedLayer::chainId).containsExactly(chain(DANGLING, 1));
        assertThat(plan.bytesFreed()).as("L4 stays: other and built use it").isEqualTo(5);
        assertThat(lines(plan)).containsExactly("Deleted: " + DANGLING.imageId(), "Deleted: " + chain(DANGLING, 1));
    }

    @Test
    void pruneAllKeepsImagesContainersUseAndFreesTheRest() {
        ReclaimModel model = family(new ReclaimModel.Container("stopped", OTHER.imageId(), false));
        ReclaimPlan plan = planner.planPrune(model, true);
        assertThat(plan.deletedImages()).containsExactlyInAnyOrder(BASE.imageId(), APP1.imageId(), APP1B.imageId(),
                APP2.imageId(), DANGLING.imageId(), EMPTY.imageId());
        assertThat(plan.refusals()).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo(DeleteRefusal.Reason.REFERENCE_IN_USE));
        // Everything but other's stack (L4, L4+L2): 100 + 20 + 5 + 5.
        assertThat(plan.bytesFreed()).isEqualTo(130);
        assertThat(plan.freedLayers()).extracting(ReclaimPlan.FreedLayer::chainId).doesNotHaveDuplicates()
                .doesNotContain(chain(OTHER, 0), chain(OTHER, 1));
    }

    @Test
    void pruneAllOfAnUnusedEndpointFreesEveryLayerOnce() {
        ReclaimPlan plan = planner.planPrune(family(), true);
        assertThat(plan.deletedImages()).hasSize(ALL.size());
        assertThat(plan.bytesFreed()).isEqualTo(FamilyTree.of(ALL).totalSize());
        assertThat(plan.clean()).isTrue();
    }
}
