package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker images' rows: a dangling image with a digest shows its repository; glob references. */
class ImageListingTest {

    private static final Digest ID = Digest.sha256("image");
    private static final String DIGEST = Digest.sha256("manifest").toString();

    @Test
    void aDanglingImageWithADigestShowsItsRepositoryAsDockerDoes() {
        ImageSummary dangling = new ImageSummary(ID, List.of(), List.of("example.com/app@" + DIGEST), Instant.EPOCH, 1, 0, 0);
        assertThat(ImageListing.rowsOf(dangling)).containsExactly(
                new ImageListing.Row(dangling, "example.com/app", "<none>", DIGEST));
        ImageSummary bare = new ImageSummary(ID, List.of(), List.of(), Instant.EPOCH, 1, 0, 0);
        assertThat(ImageListing.rowsOf(bare)).containsExactly(new ImageListing.Row(bare, "<none>", "<none>", "<none>"));
        ImageSummary tagged = new ImageSummary(ID, List.of("example.com/app:1"), List.of("example.com/app@" + DIGEST),
                Instant.EPOCH, 1, 0, 0);
        assertThat(ImageListing.rowsOf(tagged)).containsExactly(new ImageListing.Row(tagged, "example.com/app", "1", DIGEST));
    }

    @Test
    void referencePatternsAreGoPathMatch() {
        assertThat(ImageListing.glob("team/*").matcher("team/app").matches()).isTrue();
        assertThat(ImageListing.glob("team/*").matcher("team/app/sub").matches()).isFalse();
        assertThat(ImageListing.glob("a?c:[0-9]").matcher("abc:7").matches()).isTrue();
        assertThat(ImageListing.familiar("docker.io/library/alpine")).isEqualTo("alpine");
        assertThat(ImageListing.familiar("docker.io/team/app")).isEqualTo("team/app");
    }
}
