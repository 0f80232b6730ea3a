package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How Docker's image commands read what names a local image: a reference, an ID, or both. */
class ImageKeyTest {

    private static final String HEX = "3f4ca61aafcd4fc07267a105067db35c0f0ac630e1970f3cd0c7bf552780e985";

    @Test
    void aNameIsAReferenceAShortHexWordIsBothAndAnIdIsAnId() {
        ImageKey name = ImageKey.parse("alpine:3.20");
        assertThat(name.reference()).contains(ImageReference.parse("docker.io/library/alpine:3.20"));
        assertThat(name.idPrefix()).isEmpty();

        ImageKey both = ImageKey.parse("cafe");
        assertThat(both.reference()).contains(ImageReference.parse("cafe:latest"));
        assertThat(both.idPrefix()).contains("cafe");
        assertThat(both.id()).isEmpty();

        ImageKey id = ImageKey.parse("sha256:" + HEX);
        assertThat(id.reference()).isEmpty();
        assertThat(id.id()).contains(Digest.of("sha256:" + HEX));
        assertThat(ImageKey.of(Digest.of("sha256:" + HEX)).id()).isEqualTo(id.id());
        assertThat(ImageKey.parse("sha256:3f4c").idPrefix()).contains("3f4c");
        assertThat(ImageKey.of(ImageReference.parse("alpine")).text()).isEqualTo("alpine:latest");
    }

    @Test
    void textThatIsNeitherFailsWithTheRuleItBreaks() {
        assertThatThrownBy(() -> ImageKey.parse("bad name?x")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> ImageKey.parse("sha256:XYZ")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }
}
