package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pairing an engine's history (which has no empty-layer flag) with its layers. The real dockerd
 * case (a zero-byte {@code RUN mkdir} layer after an {@code ENV}) is in {@code ImageCleanupTest}.
 */
class HistoryPairingTest {

    /** Entries oldest first, each "createdBy=size". */
    private static List<HistoryEntry> history(String... steps) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (String step : steps) {
            int eq = step.lastIndexOf('=');
            entries.add(new HistoryEntry(Optional.empty(), Instant.EPOCH, step.substring(0, eq),
                    Long.parseLong(step.substring(eq + 1)), List.of(), ""));
        }
        return entries;
    }

    @Test
    void entriesWithBytesMadeLayers() {
        assertThat(HistoryPairing.layerSteps(history("ADD a=5", "COPY b=6"), 2)).containsExactly(0, 1);
        assertThat(HistoryPairing.layerSteps(history("ARG x=0", "ADD a=5"), 1)).containsExactly(1);
        assertThat(HistoryPairing.layerSteps(history(), 2)).containsExactly(-1, -1);
    }

    @Test
    void aZeroByteLayerAfterAConfigOnlyStepIsTheFileStepNotTheOlderConfigStep() {
        // ADD, ENV (no layer), RUN mkdir (a layer of 0 bytes), COPY, CMD (no layer)
        List<HistoryEntry> steps = history("ADD base=100", "ENV A=1=0", "RUN mkdir /x=0", "COPY two=7", "CMD sh=0");
        assertThat(HistoryPairing.layerSteps(steps, 3)).containsExactly(0, 2, 3);
        // the classic builder's spelling
        List<HistoryEntry> classic = history("/bin/sh -c #(nop) ADD file:1 in / =100",
                "/bin/sh -c #(nop)  ENV A=1=0", "/bin/sh -c #(nop) WORKDIR /app=0", "/bin/sh -c #(nop)  CMD [\"sh\"]=0");
        assertThat(HistoryPairing.layerSteps(classic, 2)).containsExactly(0, 2);
    }

    @Test
    void configOnlyStepsAreTakenOnlyWhenNoFileStepIsLeft() {
        assertThat(HistoryPairing.layerSteps(history("ADD a=100", "ENV A=1=0", "LABEL x=y=0", "COPY b=7"), 3))
                .containsExactly(0, 1, 3);
        assertThat(HistoryPairing.layerSteps(history("RUN true=0", "RUN false=0", "COPY b=7"), 2))
                .as("oldest first among equals").containsExactly(0, 2);
    }

    @Test
    void configOnlyInstructionsAreKnownInBothBuildersSpellings() {
        assertThat(HistoryPairing.configOnly("/bin/sh -c #(nop)  CMD [\"sh\"]")).isTrue();
        assertThat(HistoryPairing.configOnly("ENV PATH=/usr/bin")).isTrue();
        assertThat(HistoryPairing.configOnly("EXPOSE map[80/tcp:{}]")).isTrue();
        assertThat(HistoryPairing.configOnly("/bin/sh -c #(nop) ADD file:abc in / ")).isFalse();
        assertThat(HistoryPairing.configOnly("/bin/sh -c #(nop) WORKDIR /app")).isFalse();
        assertThat(HistoryPairing.configOnly("RUN /bin/sh -c mkdir /x # buildkit")).isFalse();
        assertThat(HistoryPairing.configOnly("/bin/sh -c apk add curl")).isFalse();
        assertThat(HistoryPairing.configOnly("")).isFalse();
    }
}
