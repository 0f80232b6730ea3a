package io.gantry.ui;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Lays out a rail entry's figures ("connected", "6 images", "11.1MB") in the rail's width: as many
 * parts on a line as fit, joined by " · ", and a new line between parts where the next one does not
 * fit, so no line starts or ends with a lone "·" (a label's own wrapping breaks at any space).
 */
final class RailText {

    static final String SEPARATOR = " · ";

    private RailText() {
    }

    /**
     * The parts (empty ones skipped) packed into lines of at most {@code width} as {@code widthOf}
     * measures text; a part wider than the line stands alone on its line.
     */
    static String fit(List<String> parts, double width, ToDoubleFunction<String> widthOf) {
        StringBuilder text = new StringBuilder();
        String line = "";
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            if (line.isEmpty()) {
                line = part;
            } else if (widthOf.applyAsDouble(line + SEPARATOR + part) <= width) {
                line = line + SEPARATOR + part;
            } else {
                text.append(line).append('\n');
                line = part;
            }
        }
        return text.append(line).toString();
    }
}
