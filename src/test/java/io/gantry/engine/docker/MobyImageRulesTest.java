package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.PruneMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * moby's delete and prune rules on hand-made graphs: the cases the integration tests cannot make
 * cheaply (digest references, ID prefixes, several repositories, parent chains) and the layer
 * accounting. The integration tests check the same model against a real dockerd.
 */
class MobyImageRulesTest {

    private final Map<Digest, ImageGraph.Node> images = new LinkedHashMap<>();
    private final List<ContainerRef> containers = new ArrayList<>();
    private final Map<String, Long> sizes = new HashMap<>();

    private static Digest id(String seed) {
        return Digest.sha256("image " + seed);
    }

    private static Digest diff(String seed) {
        return Digest.sha256("layer " + seed);
    }

    /** An image with layers named by {@code layerSeeds} (each of {@code 10 * seed length} bytes). */
    private Digest image(String seed, Optional<Digest> parent, List<String> refs, String... layerSeeds) {
        List<Digest> diffs = java.util.Arrays.stream(layerSeeds).map(MobyImageRulesTest::diff).toList();
        List<String> chain = ImageGraph.chainIds(diffs);
        for (int i = 0; i < chain.size(); i++) {
            sizes.put(chain.get(i), 10L * layerSeeds[i].length());
        }
        images.put(id(seed), new ImageGraph.Node(id(seed), parent, refs, chain));
        return id(seed);
    }

    private void container(String name, Digest image, ContainerRef.State state) {
        containers.add(new ContainerRef(Digest.sha256(name).hex(), name, image, image.toString(), state, "", Instant.EPOCH));
    }

    private MobyImageRules rules() {
        return new MobyImageRules(new ImageGraph(images, containers, sizes));
    }

    private static DeleteConflict.Kind conflictOf(MobyImageRules rules, String ref, boolean force) {
        try {
            rules.delete(ref, force, true);
            return null;
        } catch (MobyImageRules.Conflict c) {
            return c.kind();
        } catch (MobyImageRules.NotFound e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void chainIdsFollowTheOciFormula() {
        Digest a = diff("a");
        Digest b = diff("b");
        assertThat(ImageGraph.chainIds(List.of(a, b)))
                .containsExactly(a.toString(), Digest.sha256(a + " " + b).toString());
        assertThat(ImageGraph.chainIds(List.of())).isEmpty();
    }

    @Test
    void untaggingTheLastTagOfARepositoryAlsoRemovesItsDigestReferences() throws Exception {
        String digestRef = "registry.example/app@sha256:" + "b".repeat(64);
        Digest app = image("app", Optional.empty(), List.of("registry.example/app:1", "other:1", digestRef), "base");

        List<DeleteLine> lines = rules().delete("registry.example/app:1", false, true);

        assertThat(lines).containsExactly(DeleteLine.untagged("registry.example/app:1"), DeleteLine.untagged(digestRef));
        assertThat(app).isNotNull();
    }

    @Test
    void untaggingByNameWithOtherReferencesLeftDeletesNothing() throws Exception {
        image("app", Optional.empty(), List.of("app:1", "app:2"), "base");

        assertThat(rules().delete("app:1", false, true)).containsExactly(DeleteLine.untagged("app:1"));
    }

    @Test
    void aNameWithoutTagMeansLatest() throws Exception {
        Digest app = image("app", Optional.empty(), List.of("app:latest"), "base");

        List<DeleteLine> lines = rules().delete("docker.io/library/app", false, true);

        assertThat(lines).containsExactly(DeleteLine.untagged("app:latest"), DeleteLine.deleted(app.toString()),
                DeleteLine.deleted(diff("base").toString()));
    }

    @Test
    void deleteByIdPrefixResolvesUniquePrefixes() throws Exception {
        Digest app = image("app", Optional.empty(), List.of(), "base");
        MobyImageRules rules = rules();

        assertThat(rules.resolve(app.hex().substring(0, 12))).isEqualTo(app);
        assertThat(rules.resolve(app.toString())).isEqualTo(app);
        assertThatThrownBy(() -> rules.resolve("nothing:1")).isInstanceOf(MobyImageRules.NotFound.class);
        assertThat(rules.delete(app.hex().substring(0, 12), false, true)).first()
                .isEqualTo(DeleteLine.deleted(app.toString()));
    }

    @Test
    void conflictKindsInMobysOrder() {
        Digest parent = image("parent", Optional.empty(), List.of("parent:1"), "p");
        image("child", Optional.of(parent), List.of("child:1"), "p", "c");
        Digest used = image("used", Optional.empty(), List.of("used:1"), "u");
        container("stopped", used, ContainerRef.State.EXITED);
        Digest running = image("running", Optional.empty(), List.of("running:1"), "r");
        container("runner", running, ContainerRef.State.RUNNING);
        container("paused", running, ContainerRef.State.PAUSED);
        Digest multi = image("multi", Optional.empty(), List.of("a:1", "b:1"), "m");

        assertThat(conflictOf(rules(), parent.toString(), true)).isEqualTo(DeleteConflict.Kind.DEPENDENT_CHILDREN);
        assertThat(conflictOf(rules(), "parent:1", false)).as("by name: untags, parent kept quietly").isNull();
        assertThat(conflictOf(rules(), used.toString(), false)).isEqualTo(DeleteConflict.Kind.STOPPED_CONTAINER);
        assertThat(conflictOf(rules(), used.toString(), true)).isNull();
        assertThat(conflictOf(rules(), "used:1", false)).isEqualTo(DeleteConflict.Kind.REFERENCE_IN_USE);
        assertThat(conflictOf(rules(), running.toString(), true)).isEqualTo(DeleteConflict.Kind.RUNNING_CONTAINER);
        assertThat(conflictOf(rules(), "running:1", false)).isEqualTo(DeleteConflict.Kind.REFERENCE_IN_USE);
        assertThat(conflictOf(rules(), "running:1", true)).as("force by name only untags").isNull();
        assertThat(conflictOf(rules(), multi.toString(), false)).isEqualTo(DeleteConflict.Kind.MULTIPLE_REFERENCES);
        assertThat(conflictOf(rules(), multi.toString(), true)).isNull();
        assertThat(conflictOf(rules(), "a:1", false)).isNull();
    }

    @Test
    void forcedDeleteOfAnImageAStoppedContainerUsesKeepsItsLayers() throws Exception {
        Digest used = image("used", Optional.empty(), List.of("used:1"), "u");
        container("stopped", used, ContainerRef.State.EXITED);

        assertThat(rules().delete(used.toString(), true, true))
                .containsExactly(DeleteLine.untagged("used:1"), DeleteLine.deleted(used.toString()));
    }

    @Test
    void deletingAChildPrunesItsUntaggedParentsAndReleasesUnsharedLayersTopDown() throws Exception {
        Digest grandparent = image("gp", Optional.empty(), List.of(), "g");
        Digest parent = image("parent", Optional.of(grandparent), List.of(), "g", "p");
        Digest child = image("child", Optional.of(parent), List.of("child:1"), "g", "p", "c");
        image("cousin", Optional.empty(), List.of("cousin:1"), "g");
        List<String> chain = ImageGraph.chainIds(List.of(diff("g"), diff("p"), diff("c")));

        List<DeleteLine> lines = rules().delete("child:1", false, true);

        assertThat(lines).containsExactly(DeleteLine.untagged("child:1"), DeleteLine.deleted(child.toString()),
                DeleteLine.deleted(chain.get(2)), DeleteLine.deleted(parent.toString()), DeleteLine.deleted(chain.get(1)),
                DeleteLine.deleted(grandparent.toString()));
    }

    @Test
    void pruneDanglingCountsSharedLayersOnceAndSkipsTaggedDigestOnlyAndUsedImages() {
        image("tagged", Optional.empty(), List.of("tagged:1"), "base");
        Digest d1 = image("d1", Optional.empty(), List.of(), "base", "d1");
        Digest d2 = image("d2", Optional.empty(), List.of(), "pair", "d2x");
        Digest d3 = image("d3", Optional.empty(), List.of(), "pair", "d3xx");
        Digest digestOnly = image("pulled", Optional.empty(), List.of("registry.example/app@sha256:" + "c".repeat(64)),
                "pulled");
        Digest usedDangling = image("used", Optional.empty(), List.of(), "used");
        container("c", usedDangling, ContainerRef.State.CREATED);
        Digest intermediate = image("intermediate", Optional.empty(), List.of(), "i");
        image("built", Optional.of(intermediate), List.of("built:1"), "i", "b");

        MobyImageRules.PruneOutcome outcome = rules().prune(PruneMode.DANGLING);

        assertThat(outcome.imagesDeleted()).containsExactlyInAnyOrder(d1, d2, d3, digestOnly);
        assertThat(outcome.lines()).contains(DeleteLine.untagged("registry.example/app@sha256:" + "c".repeat(64)));
        // d1: its own layer (20 bytes); d2 + d3: "pair" (40) once, "d2x" (30), "d3xx" (40); pulled (60)
        assertThat(outcome.spaceReclaimed()).isEqualTo(20 + 40 + 30 + 40 + 60);
    }

    @Test
    void pruneAllUnusedUntagsAndDeletesEverythingNoContainerUses() {
        Digest tagged = image("tagged", Optional.empty(), List.of("tagged:1", "tagged:2"), "base");
        Digest used = image("used", Optional.empty(), List.of("used:1"), "base", "u");
        container("runner", used, ContainerRef.State.RUNNING);
        Digest intermediate = image("intermediate", Optional.empty(), List.of(), "i");
        Digest built = image("built", Optional.of(intermediate), List.of("built:1"), "i", "b");

        MobyImageRules.PruneOutcome outcome = rules().prune(PruneMode.ALL_UNUSED);

        assertThat(outcome.imagesDeleted()).containsExactlyInAnyOrder(tagged, intermediate, built);
        assertThat(outcome.lines()).filteredOn(l -> l.action() == DeleteLine.Action.UNTAGGED)
                .extracting(DeleteLine::value).containsExactlyInAnyOrder("tagged:1", "tagged:2", "built:1");
        // "base" stays for the used image: i (10) + b (10) are freed
        assertThat(outcome.spaceReclaimed()).isEqualTo(20);
    }
}
