package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "linux/arm64/v8, linux/arm64",
            "linux/aarch64, linux/arm64",
            "linux/x86_64, linux/amd64",
            "linux/amd64/v1, linux/amd64",
            "linux/amd64/v3, linux/amd64/v3",
            "linux/arm, linux/arm/v7",
            "linux/armhf, linux/arm/v7",
            "linux/armel, linux/arm/v6",
            "linux/i386, linux/386",
            "Linux/AMD64, linux/amd64",
            "macos/arm64, darwin/arm64",
            "windows/amd64, windows/amd64",
    })
    void normalizesAliases(String input, String normalized) {
        assertThat(Platform.parse(input).normalized().toString()).isEqualTo(normalized);
    }

    @Test
    void parseKeepsTheTextAsGiven() {
        Platform p = Platform.parse("linux/arm64/v8");
        assertThat(p.os()).isEqualTo("linux");
        assertThat(p.architecture()).isEqualTo("arm64");
        assertThat(p.variant()).contains("v8");
        assertThat(p.toString()).isEqualTo("linux/arm64/v8");
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : List.of("linux", "linux/", "/amd64", "a/b/c/d", "linux/amd 64")) {
            assertThatThrownBy(() -> Platform.parse(bad))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }

    @Test
    void currentMapsJvmProperties() {
        assertThat(Platform.fromJvm("Linux", "amd64").toString()).isEqualTo("linux/amd64");
        assertThat(Platform.fromJvm("Linux", "aarch64").toString()).isEqualTo("linux/arm64");
        assertThat(Platform.fromJvm("Mac OS X", "aarch64").toString()).isEqualTo("darwin/arm64");
        assertThat(Platform.fromJvm("Windows 11", "x86_64").toString()).isEqualTo("windows/amd64");
        assertThat(Platform.fromJvm("Linux", "arm").toString()).isEqualTo("linux/arm/v7");
        assertThat(Platform.current().os()).isNotBlank();
    }

    @Test
    void arm64MatchesArm64V8BothWays() {
        assertThat(Platform.parse("linux/arm64").compatibility(Platform.parse("linux/arm64/v8"))).hasValue(0);
        assertThat(Platform.parse("linux/arm64/v8").compatibility(Platform.parse("linux/arm64"))).hasValue(0);
    }

    @Test
    void olderVariantsAreFallbacks() {
        Platform armV7 = Platform.parse("linux/arm/v7");
        assertThat(armV7.compatibility(Platform.parse("linux/arm/v6"))).isPresent();
        assertThat(armV7.compatibility(Platform.parse("linux/arm/v8"))).isEmpty();
        assertThat(Platform.parse("linux/arm/v6").compatibility(armV7)).isEmpty();
        assertThat(Platform.parse("linux/amd64/v3").compatibility(Platform.parse("linux/amd64"))).isPresent();
        assertThat(Platform.parse("linux/amd64").compatibility(Platform.parse("linux/amd64/v3"))).isEmpty();
        assertThat(Platform.parse("linux/amd64").compatibility(Platform.parse("linux/arm64"))).isEmpty();
        assertThat(Platform.parse("linux/amd64").compatibility(Platform.parse("windows/amd64"))).isEmpty();
    }

    @Test
    void indexPicksExactMatchThenClosestVariant() {
        Descriptor amd64 = manifest("1").withPlatform(Platform.parse("linux/amd64"));
        Descriptor arm64 = manifest("2").withPlatform(Platform.parse("linux/arm64/v8"));
        Descriptor armV6 = manifest("3").withPlatform(Platform.parse("linux/arm/v6"));
        Descriptor armV7 = manifest("4").withPlatform(Platform.parse("linux/arm/v7"));
        Descriptor attestation = manifest("5").withPlatform(Platform.parse("unknown/unknown"));
        ImageIndex index = ImageIndex.of(MediaTypes.OCI_INDEX, List.of(attestation, amd64, armV6, armV7, arm64));

        assertThat(index.manifestFor(Platform.parse("linux/amd64"))).contains(amd64);
        assertThat(index.manifestFor(Platform.parse("linux/aarch64"))).contains(arm64);
        assertThat(index.manifestFor(Platform.parse("linux/arm"))).contains(armV7);
        assertThat(index.manifestFor(Platform.parse("linux/arm/v6"))).contains(armV6);
        assertThat(index.manifestFor(Platform.parse("linux/amd64/v2"))).contains(amd64);
        assertThat(index.manifestFor(Platform.parse("linux/s390x"))).isEmpty();
        assertThat(index.platforms()).extracting(Platform::toString)
                .containsExactly("linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64/v8");
    }

    private static Descriptor manifest(String seed) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(seed), 100, java.util.Optional.empty(), Map.of(), List.of());
    }
}
