package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The rail's lines of figures and the window's counts, without a toolkit (a character is 7 units wide here). */
class RailTextTest {

    private static final ToDoubleFunction<String> SEVEN_PER_CHAR = text -> 7.0 * text.length();

    @Test
    void partsShareALineWhileTheyFitAndBreakBetweenFiguresOtherwise() {
        List<String> parts = List.of("connected", "6 images", "11.1MB");
        assertThat(RailText.fit(parts, 1000, SEVEN_PER_CHAR)).isEqualTo("connected · 6 images · 11.1MB");
        // "connected · 6 images" is 20 characters (140), with " · 11.1MB" 29 (203)
        assertThat(RailText.fit(parts, 150, SEVEN_PER_CHAR)).isEqualTo("connected · 6 images\n11.1MB");
        assertThat(RailText.fit(parts, 100, SEVEN_PER_CHAR)).isEqualTo("connected\n6 images\n11.1MB");
    }

    @Test
    void aPartWiderThanTheLineStandsAloneAndEmptyPartsAreSkipped() {
        assertThat(RailText.fit(List.of("Docker Engine 20.10.24+dfsg1", "API 1.41"), 70, SEVEN_PER_CHAR))
                .isEqualTo("Docker Engine 20.10.24+dfsg1\nAPI 1.41");
        assertThat(RailText.fit(List.of("disconnected", ""), 150, SEVEN_PER_CHAR)).isEqualTo("disconnected");
        assertThat(RailText.fit(List.of(), 150, SEVEN_PER_CHAR)).isEmpty();
    }

    @Test
    void countsAreGroupedByTheLocale() {
        Locale before = Locale.getDefault(Locale.Category.FORMAT);
        try {
            Locale.setDefault(Locale.Category.FORMAT, Locale.US);
            assertThat(Counts.of(10_000, "image")).isEqualTo("10,000 images");
            assertThat(Counts.of(1, "image")).isEqualTo("1 image");
            assertThat(Counts.of(0, "container")).isEqualTo("0 containers");
            assertThat(MainViewModel.summaryOf(java.util.Collections.nCopies(1234, null), java.util.OptionalLong.empty()))
                    .isEqualTo("1,234 images");
            Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
            assertThat(Counts.number(10_000)).isEqualTo("10.000");
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, before);
        }
    }
}
