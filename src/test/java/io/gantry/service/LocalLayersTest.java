package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of an engine's RepoDigests {@link LocalLayers} reads to learn the blobs the engine has pulled. */
class LocalLayersTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    @Test
    void onlyManifestsInTheRegistryBeingPulledFromAreRead_thePulledRepositoryFirst() {
        ImageReference pulling = ImageReference.parse("localhost:5000/team/api:2");
        List<String> repoDigests = List.of(
                "localhost:5000/team/web@" + DIGEST,
                "ghcr.io/team/api@" + DIGEST,
                "<none>@<none>",
                "localhost:5000/team/api@" + OTHER,
                "localhost:5000/team/web@" + DIGEST); // listed twice: read once

        assertThat(LocalLayers.pulledFrom(repoDigests, pulling)).extracting(ImageReference::toString).containsExactly(
                "localhost:5000/team/api@" + OTHER,
                "localhost:5000/team/web@" + DIGEST);
    }

    @Test
    void atMostALimitedNumberOfManifestsAreRead() {
        List<String> repoDigests = new ArrayList<>();
        for (int i = 0; i < LocalLayers.MAX_KNOWN_MANIFESTS + 5; i++) {
            repoDigests.add("localhost:5000/app" + i + "@" + DIGEST);
        }
        assertThat(LocalLayers.pulledFrom(repoDigests, ImageReference.parse("localhost:5000/other:1")))
                .hasSize(LocalLayers.MAX_KNOWN_MANIFESTS);
    }

    @Test
    void anEndpointThatCannotSayMarksNothing() {
        assertThat(LocalLayers.unknown().known()).isFalse();
    }
}
