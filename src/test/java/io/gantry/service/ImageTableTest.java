package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTableTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static ImageSummary image(List<String> tags) {
        return new ImageSummary(Digest.sha256("config"), tags, List.of(), NOW.minus(Duration.ofDays(3)),
                7_834_000, 0, 0);
    }

    @Test
    void oneRowPerTagAndNoneForDangling() {
        assertThat(ImageTable.rows(image(List.of("alpine:3.20", "localhost:5000/team/app:v1")), NOW))
                .extracting(ImageTable.Row::repository, ImageTable.Row::tag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alpine", "3.20"),
                        org.assertj.core.groups.Tuple.tuple("localhost:5000/team/app", "v1"));
        assertThat(ImageTable.rows(image(List.of()), NOW))
                .extracting(ImageTable.Row::repository, ImageTable.Row::tag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("<none>", "<none>"));
    }

    @Test
    void sizesLikeDockerImages() {
        assertThat(ImageTable.humanSize(0)).isEqualTo("0B");
        assertThat(ImageTable.humanSize(999)).isEqualTo("999B");
        assertThat(ImageTable.humanSize(7_834_000)).isEqualTo("7.83MB");
        assertThat(ImageTable.humanSize(128_000_000)).isEqualTo("128MB");
        assertThat(ImageTable.humanSize(1_234_567_890)).isEqualTo("1.23GB");
        assertThat(ImageTable.humanSize(5_000_000)).isEqualTo("5MB");
    }

    @Test
    void createdLikeGoUnitsHumanDuration() {
        assertThat(ImageTable.ago(NOW, NOW)).isEqualTo("Less than a second ago");
        assertThat(ImageTable.ago(NOW.minusSeconds(45), NOW)).isEqualTo("45 seconds ago");
        assertThat(ImageTable.ago(NOW.minusSeconds(90), NOW)).isEqualTo("About a minute ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofMinutes(59)), NOW)).isEqualTo("59 minutes ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofMinutes(70)), NOW)).isEqualTo("About an hour ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofHours(47)), NOW)).isEqualTo("47 hours ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofDays(3)), NOW)).isEqualTo("3 days ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofDays(20)), NOW)).isEqualTo("2 weeks ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofDays(100)), NOW)).isEqualTo("3 months ago");
        assertThat(ImageTable.ago(NOW.minus(Duration.ofDays(800)), NOW)).isEqualTo("2 years ago");
    }
}
