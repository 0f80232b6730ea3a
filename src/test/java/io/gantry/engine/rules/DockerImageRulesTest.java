package io.gantry.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.ImageLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * moby's delete and prune rules on hand-made engine states (layers keyed by chain ID): the cases
 * the real-engine tests cannot make cheaply (digest references, ID prefixes, several repositories,
 * parent chains) and the layer accounting; these were {@code MobyImageRulesTest} when the engine
 * had its own copy of the rules. The real-dockerd and real-Podman tests check the same model
 * against the engines.
 */
class DockerImageRulesTest {

    private final ReclaimPlanner rules = new ReclaimPlanner();
    private final List<ReclaimModel.Image> images = new ArrayList<>();
    private final List<ReclaimModel.Container> containers = new ArrayList<>();

    private static Digest id(String seed) {
        return Digest.sha256("image " + seed);
    }

    private static Digest diff(String seed) {
        return Digest.sha256("layer " + seed);
    }

    /** An image with layers named by {@code layerSeeds}, each of {@code 10 * seed length} bytes. */
    private Digest image(String seed, Optional<Digest> parent, List<String> refs, String... layerSeeds) {
        List<ImageLayer> layers = Arrays.stream(layerSeeds)
                .map(s -> ImageLayer.uncompressed(diff(s), 10L * s.length())).toList();
        images.add(new ReclaimModel.Image(id(seed), refs, parent, layers));
        return id(seed);
    }

    private void container(String name, Digest image, boolean running) {
        containers.add(new ReclaimModel.Container(Digest.sha256(name).hex(), image, running));
    }

    private ReclaimModel model() {
        return new ReclaimModel(images, containers);
    }

    private List<DeleteLine> delete(String target, boolean force) {
        ReclaimPlan plan = rules.planDelete(model(), List.of(DeleteTarget.parse(target)), force);
        assertThat(plan.refusals()).as("refusals").isEmpty();
        return plan.records();
    }

    private DeleteConflict.Kind conflictOf(DeleteTarget target, boolean force) {
        return rules.planDelete(model(), List.of(target), force).refusals().stream().findFirst()
                .map(r -> r.reason().conflictKind()).orElse(null);
    }

    private static Digest chain(String... layerSeeds) {
        return ChainIds.top(Arrays.stream(layerSeeds).map(DockerImageRulesTest::diff).toList());
    }

    @Test
    void untaggingTheLastTagOfARepositoryAlsoRemovesItsDigestReferences() {
        String digestRef = "registry.example/app@sha256:" + "b".repeat(64);
        image("app", Optional.empty(), List.of("registry.example/app:1", "other:1", digestRef), "base");

        assertThat(delete("registry.example/app:1", false))
                .containsExactly(DeleteLine.untagged("registry.example/app:1"), DeleteLine.untagged(digestRef));
    }

    @Test
    void untaggingByNameWithOtherReferencesLeftDeletesNothing() {
        image("app", Optional.empty(), List.of("app:1", "app:2"), "base");

        assertThat(delete("app:1", false)).containsExactly(DeleteLine.untagged("app:1"));
    }

    @Test
    void aNameWithoutTagMeansLatestAndIsFoundInItsFullForm() {
        Digest app = image("app", Optional.empty(), List.of("app:latest"), "base");

        Optional<DeleteTarget> target = rules.target(model(), ImageKey.parse("docker.io/library/app"));

        assertThat(target).contains(DeleteTarget.reference("app:latest"));
        assertThat(rules.planDelete(model(), List.of(target.get()), false).records()).containsExactly(
                DeleteLine.untagged("app:latest"), DeleteLine.deleted(app.toString()),
                DeleteLine.deleted(diff("base").toString()));
    }

    @Test
    void imagesAreFoundByIdByUniqueIdPrefixOrNotAtAll() {
        Digest app = image("app", Optional.empty(), List.of(), "base");
        image("other", Optional.empty(), List.of(), "other");

        assertThat(rules.target(model(), ImageKey.parse(app.hex().substring(0, 12)))).contains(DeleteTarget.id(app));
        assertThat(rules.target(model(), ImageKey.parse(app.toString()))).contains(DeleteTarget.id(app));
        assertThat(rules.target(model(), ImageKey.parse("nothing:1"))).isEmpty();
        assertThat(rules.target(model(), ImageKey.parse("sha256:" + "0".repeat(64)))).isEmpty();
        assertThat(delete(app.toString(), false)).first().isEqualTo(DeleteLine.deleted(app.toString()));
    }

    @Test
    void conflictKindsInMobysOrder() {
        Digest parent = image("parent", Optional.empty(), List.of("parent:1"), "p");
        image("child", Optional.of(parent), List.of("child:1"), "p", "c");
        Digest used = image("used", Optional.empty(), List.of("used:1"), "u");
        container("stopped", used, false);
        Digest running = image("running", Optional.empty(), List.of("running:1"), "r");
        container("runner", running, true);
        Digest multi = image("multi", Optional.empty(), List.of("a:1", "b:1"), "m");

        assertThat(conflictOf(DeleteTarget.id(parent), true)).isEqualTo(DeleteConflict.Kind.DEPENDENT_CHILDREN);
        assertThat(conflictOf(DeleteTarget.reference("parent:1"), false)).as("by name: untags, parent kept quietly")
                .isNull();
        assertThat(conflictOf(DeleteTarget.id(used), false)).isEqualTo(DeleteConflict.Kind.STOPPED_CONTAINER);
        assertThat(conflictOf(DeleteTarget.id(used), true)).isNull();
        assertThat(conflictOf(DeleteTarget.reference("used:1"), false)).isEqualTo(DeleteConflict.Kind.REFERENCE_IN_USE);
        assertThat(conflictOf(DeleteTarget.id(running), true)).isEqualTo(DeleteConflict.Kind.RUNNING_CONTAINER);
        assertThat(conflictOf(DeleteTarget.reference("running:1"), false)).isEqualTo(DeleteConflict.Kind.REFERENCE_IN_USE);
        assertThat(conflictOf(DeleteTarget.reference("running:1"), true)).as("force by name only untags").isNull();
        assertThat(conflictOf(DeleteTarget.id(multi), false)).isEqualTo(DeleteConflict.Kind.MULTIPLE_REFERENCES);
        assertThat(conflictOf(DeleteTarget.id(multi), true)).isNull();
        assertThat(conflictOf(DeleteTarget.reference("a:1"), false)).isNull();
        assertThat(DeleteRefusal.Reason.NOT_FOUND.conflictKind()).isEqualTo(DeleteConflict.Kind.UNKNOWN);
    }

    @Test
    void namesGoInTheOrderOfMobysReferenceStoreByFullName() {
        // full names: docker.io/library/zeta:1 < localhost:5000/app:1, though "localhost…" < "zeta…" as shown
        Digest app = image("app", Optional.empty(), List.of("localhost:5000/app:1", "zeta:1"), "z");

        assertThat(delete(app.toString(), true)).containsExactly(DeleteLine.untagged("zeta:1"),
                DeleteLine.untagged("localhost:5000/app:1"), DeleteLine.deleted(app.toString()),
                DeleteLine.deleted(diff("z").toString()));
    }

    @Test
    void forcedDeleteOfAnImageAStoppedContainerUsesKeepsItsLayers() {
        Digest used = image("used", Optional.empty(), List.of("used:1"), "u");
        container("stopped", used, false);

        assertThat(delete(used.toString(), true))
                .containsExactly(DeleteLine.untagged("used:1"), DeleteLine.deleted(used.toString()));
    }

    @Test
    void deletingAChildPrunesItsUntaggedParentsAndReleasesUnsharedLayersTopDown() {
        Digest grandparent = image("gp", Optional.empty(), List.of(), "g");
        Digest parent = image("parent", Optional.of(grandparent), List.of(), "g", "p");
        Digest child = image("child", Optional.of(parent), List.of("child:1"), "g", "p", "c");
        image("cousin", Optional.empty(), List.of("cousin:1"), "g");

        assertThat(delete("child:1", false)).containsExactly(DeleteLine.untagged("child:1"),
                DeleteLine.deleted(child.toString()), DeleteLine.deleted(chain("g", "p", "c").toString()),
                DeleteLine.deleted(parent.toString()), DeleteLine.deleted(chain("g", "p").toString()),
                DeleteLine.deleted(grandparent.toString()));
    }

    @Test
    void pruneDanglingCountsSharedLayersOnceAndSkipsTaggedDigestOnlyAndUsedImages() {
        image("tagged", Optional.empty(), List.of("tagged:1"), "base");
        Digest d1 = image("d1", Optional.empty(), List.of(), "base", "d1");
        Digest d2 = image("d2", Optional.empty(), List.of(), "pair", "d2x");
        Digest d3 = image("d3", Optional.empty(), List.of(), "pair", "d3xx");
        String digestRef = "registry.example/app@sha256:" + "c".repeat(64);
        Digest digestOnly = image("pulled", Optional.empty(), List.of(digestRef), "pulled");
        Digest usedDangling = image("used", Optional.empty(), List.of(), "used");
        container("c", usedDangling, false);
        Digest intermediate = image("intermediate", Optional.empty(), List.of(), "i");
        image("built", Optional.of(intermediate), List.of("built:1"), "i", "b");

        ReclaimPlan plan = rules.planPrune(model(), false);

        assertThat(plan.deletedImages()).containsExactlyInAnyOrder(d1, d2, d3, digestOnly);
        assertThat(plan.records()).contains(DeleteLine.untagged(digestRef));
        // d1: its own layer (20 bytes); d2 + d3: "pair" (40) once, "d2x" (30), "d3xx" (40); pulled (60)
        assertThat(plan.bytesFreed()).isEqualTo(20 + 40 + 30 + 40 + 60);
    }

    @Test
    void pruneAllUnusedUntagsAndDeletesEverythingNoContainerUses() {
        Digest tagged = image("tagged", Optional.empty(), List.of("tagged:1", "tagged:2"), "base");
        Digest used = image("used", Optional.empty(), List.of("used:1"), "base", "u");
        container("runner", used, true);
        Digest intermediate = image("intermediate", Optional.empty(), List.of(), "i");
        Digest built = image("built", Optional.of(intermediate), List.of("built:1"), "i", "b");

        ReclaimPlan plan = rules.planPrune(model(), true);

        assertThat(plan.deletedImages()).containsExactlyInAnyOrder(tagged, intermediate, built);
        assertThat(plan.records()).filteredOn(l -> l.action() == DeleteLine.Action.UNTAGGED)
                .extracting(DeleteLine::value).containsExactlyInAnyOrder("tagged:1", "tagged:2", "built:1");
        // "base" stays for the used image: i (10) + b (10) are freed
        assertThat(plan.bytesFreed()).isEqualTo(20);
    }

    @Test
    void whereForceRemovesContainersAForcedDeleteOverARunningContainerOrAChildIsRefused() {
        Digest running = image("running", Optional.empty(), List.of("running:1"), "r");
        container("runner", running, true);
        Digest stopped = image("stopped", Optional.empty(), List.of("stopped:1"), "s");
        container("stopper", stopped, false);
        Digest parent = image("parent", Optional.empty(), List.of("parent:1"), "p");
        image("child", Optional.of(parent), List.of("child:1"), "p", "c");
        ReclaimModel podman = new ReclaimModel(images, containers, ReclaimModel.LayerKey.CHAIN_ID, false, true);

        // Docker: force by the last name of a running container's image only untags it
        assertThat(delete("running:1", true)).containsExactly(DeleteLine.untagged("running:1"));
        ReclaimPlan forcedRunning = rules.planDelete(podman, List.of(DeleteTarget.parse("running:1")), true);
        assertThat(forcedRunning.refusals()).extracting(r -> r.reason())
                .containsExactly(DeleteRefusal.Reason.RUNNING_CONTAINER);
        assertThat(forcedRunning.refusals().get(0).message()).contains("Podman would stop and remove");
        ReclaimPlan forcedParent = rules.planDelete(podman, List.of(DeleteTarget.id(parent)), true);
        assertThat(forcedParent.refusals()).extracting(r -> r.reason()).containsExactly(DeleteRefusal.Reason.DEPENDENT_CHILD);
        // a stopped container does not stop force; unforced deletes follow Docker's rules
        assertThat(rules.planDelete(podman, List.of(DeleteTarget.parse("stopped:1")), true).deletedImages())
                .containsExactly(stopped);
        assertThat(rules.planDelete(podman, List.of(DeleteTarget.parse("running:1")), false).refusals())
                .extracting(r -> r.reason()).containsExactly(DeleteRefusal.Reason.REFERENCE_IN_USE);
    }
}
