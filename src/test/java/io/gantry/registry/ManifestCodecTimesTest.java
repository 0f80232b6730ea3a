package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written RFC 3339 fast path accepts nothing {@code OffsetDateTime.parse} would read differently. */
class ManifestCodecTimesTest {

    @Test
    void fastPathAgreesWithOffsetDateTime() {
        List<String> samples = List.of("2024-05-01T12:34:56Z", "2024-05-01T12:34:56.123456789Z",
                "2024-05-01T12:34:56.1Z", "2024-05-01t12:34:56z", "2024-05-01T12:34:56+02:00",
                "2024-05-01T12:34:56.5-07:30", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999+18:00",
                "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z",
                "2024-05-01T23:59:60Z", "2024-05-01T12:34:56.Z", "2024-05-01T12:34:56.1234567890Z",
                "2024-05-01T12:34:56", "2024-05-01T12:34Z", "2024-05-01 12:34:56Z", "2024-05-01T12:34:56+0200",
                "2024-05-01T12:34:56+19:00", "2024-05-01T12:34:56+02:00:30", "2024-05-01T12:34:56GMT",
                "+12024-05-01T12:34:56Z", "２０２４-05-01T12:34:56Z", "");
        for (String text : samples) {
            java.time.Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                expected = null;
            }
            java.time.Instant fast = ManifestCodec.rfc3339(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(expected);
            }
        }
        assertThat(ManifestCodec.rfc3339("2024-05-01T12:34:56.123Z")).isNotNull();
        assertThat(ManifestCodec.rfc3339("2024-05-01T12:34:56+02:00")).isNotNull();
    }
}
