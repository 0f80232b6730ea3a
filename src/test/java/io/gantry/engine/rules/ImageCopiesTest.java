package io.gantry.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageCopy;
import io.gantry.engine.ImageLayer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A blob store's image kept as several blob sets ({@link ImageCopy}): an untag that removes the last
 * name of a copy frees that copy's blobs nothing else uses, and nothing more.
 */
class ImageCopiesTest {

    private final ReclaimPlanner planner = new ReclaimPlanner();
    private final Digest app = Digest.sha256("app config");
    private final Digest other = Digest.sha256("other config");
    private final ImageLayer gzBase = layer("gz base", 300);
    private final ImageLayer gzTop = layer("gz top", 200);
    private final ImageLayer plainBase = layer("plain base", 3000);
    private final ImageLayer plainTop = layer("plain top", 2000);

    private static ImageLayer layer(String name, long size) {
        return new ImageLayer(Digest.sha256("diff " + name), Digest.sha256("blob " + name), size, "ADD " + name);
    }

    /** app kept gzipped (app:gz, app:gz2) and uncompressed (app:plain, or nothing when {@code plainNames} is empty). */
    private ReclaimModel model(List<String> plainNames, ReclaimModel.Image... others) {
        List<String> references = new ArrayList<>(List.of("app:gz", "app:gz2"));
        references.addAll(plainNames);
        List<ImageCopy> copies = List.of(new ImageCopy(List.of("app:gz", "app:gz2"), List.of(gzBase, gzTop)),
                new ImageCopy(plainNames, List.of(plainBase, plainTop)));
        List<ReclaimModel.Image> images = new ArrayList<>(List.of(ReclaimModel.Image.of(app, references,
                ImageCopy.union(List.of(gzBase, gzTop), copies), copies)));
        images.addAll(List.of(others));
        return new ReclaimModel(images, List.of(), ReclaimModel.LayerKey.BLOB);
    }

    private static List<String> lines(ReclaimPlan plan) {
        return plan.records().stream().map(Object::toString).toList();
    }

    @Test
    void untaggingTheLastNameOfACopyFreesItsBlobsTopFirst() {
        ReclaimPlan plan = planner.planDelete(model(List.of("app:plain")), List.of(DeleteTarget.reference("app:plain")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:plain", "Deleted: " + plainTop.blob().get(),
                "Deleted: " + plainBase.blob().get());
        assertThat(plan.bytesFreed()).isEqualTo(5000);
        assertThat(plan.deletedImages()).isEmpty();
    }

    @Test
    void untaggingOneOfACopysNamesFreesNothing() {
        ReclaimPlan plan = planner.planDelete(model(List.of("app:plain")), List.of(DeleteTarget.reference("app:gz")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:gz");
        assertThat(plan.bytesFreed()).isZero();
    }

    @Test
    void aCopyAnEntryWithoutANameKeepsIsNeverDroppedByAnUntag() {
        ReclaimPlan plan = planner.planDelete(model(List.of()), List.of(DeleteTarget.reference("app:gz2")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:gz2");
        assertThat(plan.bytesFreed()).isZero();
    }

    @Test
    void aBlobAnotherImageUsesStays() {
        ReclaimModel.Image sharing = ReclaimModel.Image.of(other, List.of("other:1"), List.of(plainBase, layer("other", 7)));
        ReclaimPlan plan = planner.planDelete(model(List.of("app:plain"), sharing),
                List.of(DeleteTarget.reference("app:plain")), false);
        assertThat(lines(plan)).containsExactly("Untagged: app:plain", "Deleted: " + plainTop.blob().get());
        assertThat(plan.bytesFreed()).isEqualTo(2000);
    }

    @Test
    void deletingTheImageAfterwardsFreesTheRestOnce() {
        ReclaimPlan plan = planner.planDelete(model(List.of("app:plain")), List.of(DeleteTarget.reference("app:plain"),
                DeleteTarget.id(app)), true);
        assertThat(plan.bytesFreed()).as("each blob counted once").isEqualTo(5500);
        assertThat(lines(plan)).filteredOn(l -> l.startsWith("Deleted: " + plainTop.blob().get())).hasSize(1);
    }
}
