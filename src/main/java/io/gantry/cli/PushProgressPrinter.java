package io.gantry.cli;

import io.gantry.core.PeerText;
import io.gantry.engine.PushProgress;
import io.gantry.service.ImageTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shows a push's progress as {@code docker push} does: on a terminal one line per layer redrawn in
 * place (at most ten times a second), otherwise one plain line per change of a layer's phase and
 * one per line about the whole push.
 */
final class PushProgressPrinter implements Consumer<PushProgress> {

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final Map<String, PushProgress> rows = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private int drawn;
    private long lastDraw;

    PushProgressPrinter(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    @Override
    public void accept(PushProgress event) {
        boolean changed;
        if (event.isLayerEvent()) {
            PushProgress before = rows.put(event.layer(), event);
            changed = before == null || before.phase() != event.phase();
        } else {
            lines.add(event.text());
            changed = true;
        }
        if (quiet) {
            return;
        }
        if (!terminal) {
            if (changed) {
                out.println(event.isLayerEvent() ? event.layer() + ": " + event.text() : event.text());
                out.flush();
            }
            return;
        }
        long now = System.nanoTime();
        if (changed || now - lastDraw > 100_000_000L) {
            draw();
            lastDraw = now;
        }
    }

    /** Leaves the final picture on screen. */
    void finish() {
        if (terminal && !quiet) {
            draw();
        }
        out.flush();
    }

    private void draw() {
        StringBuilder screen = new StringBuilder();
        if (drawn > 0) {
            screen.append("\u001b[").append(drawn).append('A');
        }
        // the raw writer passes escape sequences, so the peer's words are cleaned here
        int head = Math.min(1, lines.size());
        List<String> all = new ArrayList<>(lines.subList(0, head));
        rows.values().forEach(row -> all.add(render(row)));
        all.addAll(lines.subList(head, lines.size()));
        for (String line : all) {
            screen.append("\u001b[2K").append(PeerText.clean(line)).append('\n');
        }
        out.print(screen);
        out.flush();
        drawn = all.size();
    }

    /** One layer's line, e.g. {@code 3f4ca61aafcd: Pushing [==>   ]  1.2MB/4.5MB}. */
    static String render(PushProgress row) {
        StringBuilder line = new StringBuilder(row.layer()).append(": ").append(row.text());
        if (row.phase() == PushProgress.Phase.PUSHING && row.total() > 0) {
            int width = 50;
            int filled = (int) Math.min(width, row.current() * width / row.total());
            line.append(" [").append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? ">" : "")
                    .append(" ".repeat(width - filled)).append("] ")
                    .append(ImageTable.humanSize(row.current())).append('/').append(ImageTable.humanSize(row.total()));
        }
        return line.toString();
    }
}
