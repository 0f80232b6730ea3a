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

    /**
     * The rows of one listing share each distinct repository, tag, age and collation key: 10,000
     * rows of their own copies held about 2 MB more of the window's heap (docs/benchmarks.md).
     */
    @Test
    void rowsOfOneListingShareTheirTextsAndKeys() {
        ImageTable.Names names = new ImageTable.Names(java.text.Collator.getInstance());
        // texts made apart, as a listing reads each image's names on its own
        ImageTable.Row first = ImageTable.rows(image(List.of(new String("team/app:v1"))), NOW, names).get(0);
        ImageTable.Row second = ImageTable.rows(image(List.of(new String("team/app:v1"), "team/web:v1")), NOW, names).get(0);
        ImageTable.Row third = ImageTable.rows(image(List.of("team/app:v1", "team/web:v1")), NOW, names).get(1);
        assertThat(second.repository()).isEqualTo("team/app").isSameAs(first.repository());
        assertThat(second.tag()).isEqualTo("v1").isSameAs(first.tag()).isSameAs(third.tag());
        assertThat(second.createdAgo()).isEqualTo("3 days ago").isSameAs(first.createdAgo());
        assertThat(second.repositoryKey()).isSameAs(first.repositoryKey());
        assertThat(third.tagKey()).isSameAs(first.tagKey());
        assertThat(third.repository()).isEqualTo("team/web");
        assertThat(third.repositoryKey()).isNotSameAs(first.repositoryKey());
        assertThat(third.repositoryKey().compareTo(first.repositoryKey())).isPositive();
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

    /** humanSize as it was written first: BigDecimal's exact rounding of every value. */
    private static String bigDecimalHumanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        return new java.math.BigDecimal(size).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()
                + units[unit];
    }

    @Test
    void theFastSizesEqualBigDecimalsRoundingEverywhere() {
        java.util.List<Long> values = new java.util.ArrayList<>(List.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, -999L, -1000L));
        for (long bytes = 0; bytes <= 300_000; bytes++) { // every byte count of a small file, and well past
            values.add(bytes);
        }
        for (long power = 1000; power > 0 && power <= Long.MAX_VALUE / 1000; power *= 1000) {
            for (long digits : new long[] {1, 5, 9, 10, 99, 100, 999, 1000}) {
                for (long delta = -3; delta <= 3; delta++) {
                    values.add(digits * power + delta);                    // around unit boundaries
                    values.add(digits * power + power / 200 + delta);      // around x.xx5 ties
                    values.add(digits * power + power / 20 + delta);
                }
            }
        }
        java.util.Random random = new java.util.Random(20); // fixed seed: the same values every run
        for (int i = 0; i < 200_000; i++) {
            values.add(random.nextLong() >>> random.nextInt(64));
        }
        java.util.List<String> differing = new java.util.ArrayList<>();
        for (long bytes : values) {
            String fast = ImageTable.humanSize(bytes);
            String exact = bigDecimalHumanSize(bytes);
            if (!fast.equals(exact)) {
                differing.add(bytes + ": " + fast + " instead of " + exact);
            }
        }
        assertThat(values).hasSizeGreaterThan(500_000);
        assertThat(differing).isEmpty();
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
