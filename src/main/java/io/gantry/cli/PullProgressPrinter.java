package io.gantry.cli;

import io.gantry.core.PeerText;
import io.gantry.engine.PullProgress;
import io.gantry.service.PullBoard;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;

/**
 * Shows a pull's progress: on a terminal, docker's picture (one line per layer, redrawn in place
 * with ANSI cursor moves, at most ten times a second); otherwise plain lines, one per change of a
 * layer's phase and one per line about the whole pull, so logs stay readable.
 */
abstract class PullProgressPrinter implements Consumer<PullProgress> {

    final PullBoard board = new PullBoard();
    final PrintWriter out;

    PullProgressPrinter(PrintWriter out) {
        this.out = out;
    }

    static PullProgressPrinter forOutput(PrintWriter out, boolean terminal, boolean quiet) {
        if (quiet) {
            return new PullProgressPrinter(out) {
                @Override
                public void accept(PullProgress event) {
                    board.apply(event);
                }
            };
        }
        return terminal ? new Terminal(out) : new Plain(out);
    }

    /** Called once the pull is over, to leave the final picture on screen. */
    void finish() {
        out.flush();
    }

    /** One line per change. */
    static final class Plain extends PullProgressPrinter {
        Plain(PrintWriter out) {
            super(out);
        }

        @Override
        public void accept(PullProgress event) {
            if (board.apply(event)) {
                out.println(event.isLayerEvent() ? event.layer() + ": " + event.text() : event.text());
                out.flush();
            }
        }
    }

    /** Docker's redrawn board. */
    static final class Terminal extends PullProgressPrinter {
        private int drawnRows;
        private int drawnLines;
        private long lastDraw;

        Terminal(PrintWriter out) {
            super(out);
        }

        @Override
        public void accept(PullProgress event) {
            boolean changed = board.apply(event);
            long now = System.nanoTime();
            if (changed || now - lastDraw > 100_000_000L) {
                draw();
                lastDraw = now;
            }
        }

        @Override
        void finish() {
            draw();
            super.finish();
        }

        private void draw() {
            StringBuilder screen = new StringBuilder();
            if (drawnRows + drawnLines > 0) {
                screen.append("\u001b[").append(drawnRows + drawnLines).append('A');
            }
            List<String> lines = board.lines();
            List<PullBoard.Row> rows = board.rows();
            // the board writes its own escape sequences unfiltered (see TerminalSafeWriter.raw), so it cleans the peer text
            // "Pulling from" first, the rows, then Digest and Status as docker prints them
            int head = Math.min(1, lines.size());
            for (int i = 0; i < head; i++) {
                screen.append("\u001b[2K").append(PeerText.clean(lines.get(i))).append('\n');
            }
            for (PullBoard.Row row : rows) {
                screen.append("\u001b[2K").append(PeerText.clean(PullBoard.render(row, 50))).append('\n');
            }
            for (int i = head; i < lines.size(); i++) {
                screen.append("\u001b[2K").append(PeerText.clean(lines.get(i))).append('\n');
            }
            out.print(screen);
            out.flush();
            drawnRows = rows.size();
            drawnLines = lines.size();
        }
    }
}
