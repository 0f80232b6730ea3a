package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import io.gantry.service.ImageTable;
import io.gantry.engine.rules.DeleteTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What deleting the selected rows means, without a window. */
class ImageActionsTest {

    private static ImageSummary image(String seed, String... tags) {
        return new ImageSummary(Digest.sha256(seed), List.of(tags), List.of(), Instant.EPOCH, 10, 0, 0);
    }

    private static List<ImageTable.Row> rows(ImageSummary... images) {
        List<ImageTable.Row> rows = new ArrayList<>();
        for (ImageSummary image : images) {
            rows.addAll(ImageTable.rows(image, Instant.EPOCH));
        }
        return rows;
    }

    @Test
    void anImagesOnlyNameOrADanglingImageIsDeletedByIdAndOneOfSeveralTagsByName() {
        ImageSummary single = image("single", "app:1");
        ImageSummary tagged = image("tagged", "web:1", "web:latest");
        ImageSummary dangling = image("dangling");
        List<ImageTable.Row> rows = rows(single, tagged, dangling);

        assertThat(ImageActions.targets(rows)).containsExactly(
                DeleteTarget.id(single.id()),
                DeleteTarget.reference("web:1"),
                DeleteTarget.reference("web:latest"),
                DeleteTarget.id(dangling.id()));
    }

    @Test
    void theSameTargetIsListedOnce() {
        ImageSummary single = image("single", "app:1");
        List<ImageTable.Row> rows = rows(single, single);
        assertThat(ImageActions.targets(rows)).containsExactly(DeleteTarget.id(single.id()));
    }
}
