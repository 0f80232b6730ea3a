package io.gantry.engine.docker;

import io.gantry.engine.HistoryEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which history entry made which layer of an engine's image, the one pairing behind the Layers
 * view, file analysis, reclaim planning and SHARED on Podman.
 *
 * <p>The Engine API's {@code /images/{id}/history} has no {@code empty_layer} flag: moby walks the
 * config's history and gives each entry that made a layer that layer's {@code DiffSize}, and every
 * other entry 0. So every entry with bytes made a layer; among the zero-byte entries, exactly as
 * many made a layer as layers are left over (a layer whose files are only directories, empty files
 * or deletions has a {@code DiffSize} of 0: a {@code RUN mkdir}, a classic builder's
 * {@code WORKDIR}). Which ones: an instruction that only changes the config ({@code ENV},
 * {@code CMD}, {@code LABEL}…, written by the classic builder as {@code /bin/sh -c #(nop) ENV …}
 * and by BuildKit as {@code ENV …}) never makes a layer in either builder, so the other zero-byte
 * entries ({@code RUN}, {@code COPY}, {@code ADD}, {@code WORKDIR}, anything unknown) are taken
 * first, oldest first; config-only ones only when those run out. Only an image whose builder wrote
 * a zero-byte layer for a config-only instruction, or marked a file-changing step empty, is paired
 * wrongly, and the API gives no way to tell (the config's own history is only in the image's
 * export).
 */
final class HistoryPairing {

    /** Dockerfile instructions that change only the image config, never its files. */
    private static final Set<String> CONFIG_ONLY = Set.of("ENV", "CMD", "LABEL", "EXPOSE", "ENTRYPOINT", "USER",
            "ARG", "HEALTHCHECK", "STOPSIGNAL", "SHELL", "VOLUME", "ONBUILD", "MAINTAINER");

    private HistoryPairing() {
    }

    /**
     * For each of {@code layerCount} layers (base first), the index in {@code oldestFirst} of the
     * history entry that made it, or -1 when history has too few entries.
     */
    static int[] layerSteps(List<HistoryEntry> oldestFirst, int layerCount) {
        long withBytes = oldestFirst.stream().filter(e -> e.size() > 0).count();
        long zeroLayers = Math.max(0, layerCount - withBytes);
        List<Integer> fileSteps = new ArrayList<>();
        List<Integer> configSteps = new ArrayList<>();
        for (int i = 0; i < oldestFirst.size(); i++) {
            if (oldestFirst.get(i).size() == 0) {
                (configOnly(oldestFirst.get(i).createdBy()) ? configSteps : fileSteps).add(i);
            }
        }
        boolean[] made = new boolean[oldestFirst.size()];
        for (int i = 0; i < oldestFirst.size(); i++) {
            made[i] = oldestFirst.get(i).size() > 0;
        }
        for (List<Integer> candidates : List.of(fileSteps, configSteps)) {
            for (int i : candidates) {
                if (zeroLayers == 0) {
                    break;
                }
                made[i] = true;
                zeroLayers--;
            }
        }
        int[] steps = new int[layerCount];
        Arrays.fill(steps, -1);
        int layer = 0;
        for (int i = 0; i < made.length && layer < layerCount; i++) {
            if (made[i]) {
                steps[layer++] = i;
            }
        }
        return steps;
    }

    /**
     * Whether a history line is an instruction that changes only the config: the classic builder's
     * {@code /bin/sh -c #(nop) ENV …} (its {@code #(nop) ADD} and {@code COPY} do make layers) or
     * BuildKit's {@code ENV …}.
     */
    static boolean configOnly(String createdBy) {
        String text = createdBy.strip();
        int nop = text.indexOf("#(nop)");
        if (nop >= 0) {
            text = text.substring(nop + "#(nop)".length()).strip();
        }
        int space = text.indexOf(' ');
        String instruction = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        return CONFIG_ONLY.contains(instruction);
    }
}
