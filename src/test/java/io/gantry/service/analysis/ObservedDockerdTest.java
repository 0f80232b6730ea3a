package io.gantry.service.analysis;

import io.gantry.engine.DeleteLine;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.ReclaimModel;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.ReclaimPlanner;
import io.gantry.engine.ImageLayer;

import io.gantry.core.ChainIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Figures a real engine produced, kept as fixtures: a private dockerd 20.10.24 (vfs graph driver)
 * loaded with six images built from four layers of 100000, 20000, 5000 and 7000 bytes (the
 * {@link ImageFamily} shape). Recorded by hand from {@code /var/lib/docker/image/vfs/layerdb},
 * {@code GET /system/df}, and the output of {@code docker rmi} and {@code docker image prune}.
 * The harness-driven check against a live dockerd comes later; these pin the semantics now.
 */
class ObservedDockerdTest {

    static final Digest L1 = d("b79bccc4a8848384a66d422b182d93cef242b6ef6c117da096f0099fc1fcbe09");
    static final Digest L2 = d("1fe6597b82c3e9c1b9bad72c36c261cc64e912b84e04cdc8199ba20d14fd3c73");
    static final Digest L3 = d("1b1c5fcdb7479722dc49b0d03138953ad3efd9f12a27348616e3feb07f9933ff");
    static final Digest L4 = d("a41f84573f3be884ef80b743bf7a7dbaf76adf513321d7b632b1b5041a187e5b");

    /** Directory names under layerdb/sha256: the chain IDs dockerd computed. */
    static final Digest CHAIN_L1_L2 = d("ee8ea48f865094a1ee23a0bb4b8569bfd41e0fa5bd039f87b98f305b6e4665b5");
    static final Digest CHAIN_L1_L2_L3 = d("cd5ce3b96a31953b17595dedca09e268ffa4e6b5db85314fcc54b562273eef32");
    static final Digest CHAIN_L4_L2 = d("fd3f60df7368dae20c83af56fdde40bd5ef3d6fd97836f908ec9d64b15384320");
    static final Digest CHAIN_L4_L3 = d("a42aa429fd5a141d5493feb7ea3b8ca69327e15f8f55e7369169b109fde7fa37");

    static final Digest BASE = d("65bf4d1e6d7ac92933a23b211c8dbee940c9b91b6d01d64143168a24950dff5c");
    static final Digest APP1 = d("1abfdb5714c85f613bbc441247da88741700f2368c9782fa5dc89576c43774bf");
    static final Digest APP1B = d("c66bd8ebd43c757692e0f92907d72fbfb6445316760f537cc5ccc4e631574c57");
    static final Digest APP2 = d("565c134ee13dc6854de61046741f72771e46e0c78b5d07826025ee6d7a8ad30f");
    static final Digest OTHER = d("806157886a1bce3f65029078c6c3e9cb17574748ec3b179ae97302d23fbdc9b8");
    static final Digest DANGLING = d("642d97b881008b5ba422d206f4735756bcce4b93ad1470a5979c731d6cb85fa0");

    private static final Map<Digest, Long> SIZES = Map.of(L1, 100_000L, L2, 20_000L, L3, 5_000L, L4, 7_000L);

    @Test
    void chainIdsAreTheOnesDockerdStoredLayersUnder() {
        assertThat(ChainIds.of(List.of(L1, L2, L3))).containsExactly(L1, CHAIN_L1_L2, CHAIN_L1_L2_L3);
        assertThat(ChainIds.of(List.of(L4, L2))).containsExactly(L4, CHAIN_L4_L2);
        assertThat(ChainIds.of(List.of(L4, L3))).containsExactly(L4, CHAIN_L4_L3);
    }

    @Test
    void sharedSizesAreTheOnesSystemDfReported() {
        SharedLayers shared = SharedLayers.of(images().stream()
                .map(i -> new ImageLayers(i.id(), i.references(), i.layers())).toList());
        // GET /system/df: Images[].Size and SharedSize
        assertThat(shared.sharedSizes()).containsOnly(
                Map.entry(BASE, 100_000L), Map.entry(DANGLING, 7_000L), Map.entry(OTHER, 7_000L),
                Map.entry(APP1B, 120_000L), Map.entry(APP1, 120_000L), Map.entry(APP2, 120_000L));
        assertThat(shared.image(APP2).orElseThrow().size()).isEqualTo(125_000);
        assertThat(shared.image(OTHER).orElseThrow().size()).isEqualTo(27_000);
    }

    @Test
    void deletesPlayOutAsDockerRmiDid() {
        ReclaimPlanner planner = new ReclaimPlanner();
        ReclaimModel model = new ReclaimModel(images(),
                List.of(new ReclaimModel.Container("0824383ba28b8b0fee693839d702abc9ac92ae41bd9b1902563819321100c24b",
                        OTHER, false)));
        ReclaimPlan plan = planner.planDelete(model, List.of(
                DeleteTarget.reference("app:2"),
                DeleteTarget.reference("registry.local:5000/app:2"),
                DeleteTarget.reference("other:latest"),
                DeleteTarget.id(OTHER)), false);
        assertThat(plan.records()).extracting(DeleteLine::toString).containsExactly(
                "Untagged: app:2",
                "Untagged: registry.local:5000/app:2",
                "Deleted: " + APP2,
                "Deleted: " + CHAIN_L1_L2_L3);
        assertThat(plan.refusals()).extracting(DeleteRefusal::message).containsExactly(
                "conflict: unable to remove repository reference \"other:latest\" (must force) - container 0824383ba28b"
                        + " is using its referenced image 806157886a1b",
                "conflict: unable to delete 806157886a1b (must be forced) - image is being used by stopped container"
                        + " 0824383ba28b");

        ReclaimPlan forced = planner.planDelete(model, List.of(DeleteTarget.id(OTHER)), true);
        assertThat(forced.records()).extracting(DeleteLine::toString)
                .containsExactly("Untagged: other:latest", "Deleted: " + OTHER);

        ReclaimPlan app1 = planner.planDelete(model, List.of(DeleteTarget.id(APP1)), false);
        assertThat(app1.records()).extracting(DeleteLine::toString)
                .containsExactly("Untagged: app:1", "Deleted: " + APP1);
    }

    @Test
    void prunesReclaimWhatDockerReported() {
        // State after the deletes above: base:1, app:1-relabelled and the dangling image remain, and
        // container 0824383ba28b still holds the layers of the force-deleted "other" image.
        List<ReclaimModel.Image> left = images().stream()
                .filter(i -> List.of(BASE, APP1B, DANGLING).contains(i.id())).toList();
        ReclaimModel.Image other = images().stream().filter(i -> i.id().equals(OTHER)).findFirst().orElseThrow();
        List<ReclaimModel.Container> orphan = List.of(new ReclaimModel.Container("0824383ba28b", OTHER, false,
                other.layers()));
        ReclaimModel model = new ReclaimModel(left, orphan);
        ReclaimPlan dangling = new ReclaimPlanner().planPrune(model, false);
        assertThat(dangling.records()).extracting(DeleteLine::toString)
                .containsExactly("Deleted: " + DANGLING, "Deleted: " + CHAIN_L4_L3);
        assertThat(dangling.bytesFreed()).isEqualTo(5_000); // "Total reclaimed space: 5kB"

        ReclaimModel afterDangling = new ReclaimModel(left.stream().filter(i -> !i.id().equals(DANGLING)).toList(),
                orphan);
        ReclaimPlan all = new ReclaimPlanner().planPrune(afterDangling, true);
        assertThat(all.records()).extracting(DeleteLine::toString).containsExactly(
                "Untagged: base:1", "Deleted: " + BASE,
                "Untagged: app:1-relabelled", "Deleted: " + APP1B, "Deleted: " + CHAIN_L1_L2, "Deleted: " + L1);
        assertThat(all.bytesFreed()).isEqualTo(120_000); // "Total reclaimed space: 120kB"

        // Without knowing the orphan container's layers the plan over-counts: L4 looks free.
        ReclaimPlan blind = new ReclaimPlanner().planPrune(new ReclaimModel(left, List.of()), false);
        assertThat(blind.bytesFreed()).isEqualTo(12_000);
    }

    @Test
    void pruneAllUntagsOneOfTwoTagsOfAnImageInUseAsDockerdDoes() {
        // docker load app_2.tar; docker tag app:2 zzz:9; docker create app:2; docker image prune -a -f
        // printed "untagged: app:2", "Total reclaimed space: 0B", and zzz:9 stayed.
        ReclaimModel.Image app2 = image(APP2, List.of("app:2", "zzz:9"), L1, L2, L3);
        ReclaimModel model = new ReclaimModel(List.of(app2), List.of(new ReclaimModel.Container("c2", APP2, false)));
        ReclaimPlan plan = new ReclaimPlanner().planPrune(model, true);
        assertThat(plan.records()).extracting(DeleteLine::toString).containsExactly("Untagged: app:2");
        assertThat(plan.untaggedOnly()).containsExactly("app:2");
        assertThat(plan.bytesFreed()).isZero();
    }

    private static List<ReclaimModel.Image> images() {
        List<ReclaimModel.Image> images = new ArrayList<>();
        images.add(image(BASE, List.of("base:1"), L1));
        images.add(image(APP1, List.of("app:1"), L1, L2));
        images.add(image(APP1B, List.of("app:1-relabelled"), L1, L2));
        images.add(image(APP2, List.of("app:2", "registry.local:5000/app:2"), L1, L2, L3));
        images.add(image(OTHER, List.of("other:latest"), L4, L2));
        images.add(image(DANGLING, List.of(), L4, L3));
        return images;
    }

    private static ReclaimModel.Image image(Digest id, List<String> tags, Digest... diffIds) {
        List<ImageLayer> layers = new ArrayList<>();
        for (Digest diffId : diffIds) {
            layers.add(ImageLayer.uncompressed(diffId, SIZES.get(diffId)));
        }
        return ReclaimModel.Image.of(id, tags, layers);
    }

    private static Digest d(String hex) {
        return Digest.of("sha256:" + hex);
    }
}
