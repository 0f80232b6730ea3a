package io.gantry.service;

import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows a pull shows, one per layer in the order layers first appear, plus the lines about the
 * whole pull ("Pulling from …", "Digest: …", "Status: …"), as {@code docker pull} draws them. Feed
 * it events with {@link #apply}; the GUI binds to {@link #rows()}, the CLI prints {@link #render}.
 * Not thread-safe: apply events on one thread.
 */
public final class PullBoard {

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();

    /**
     * One layer's row.
     *
     * @param layer   the short layer ID
     * @param phase   where it is
     * @param current bytes so far while downloading
     * @param total   bytes in all, when known
     * @param text    the words for the phase ("Downloading", "Already exists")
     */
    public record Row(String layer, Phase phase, long current, long total, String text) {
        public Row {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(text, "text");
        }

        /** Whether nothing more will happen to this layer. */
        public boolean finished() {
            return phase == Phase.PULL_COMPLETE || phase == Phase.ALREADY_EXISTS;
        }
    }

    /** Takes an event in; returns whether a row or line changed phase (not just bytes). */
    public boolean apply(PullProgress event) {
        if (!event.isLayerEvent()) {
            lines.add(event.text());
            return true;
        }
        Row before = rows.get(event.layer());
        long total = event.total() > 0 ? event.total() : before == null ? 0 : before.total();
        boolean counting = event.phase() == Phase.DOWNLOADING || event.phase() == Phase.EXTRACTING;
        long current = counting ? event.current() : before == null ? 0 : before.current();
        if (event.phase() == Phase.DOWNLOAD_COMPLETE || event.phase() == Phase.PULL_COMPLETE) {
            current = total;
        }
        rows.put(event.layer(), new Row(event.layer(), event.phase(), current, total, event.text()));
        return before == null || before.phase() != event.phase();
    }

    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    /** The row of {@code layer}, once an event named it. */
    public java.util.Optional<Row> row(String layer) {
        return java.util.Optional.ofNullable(rows.get(layer));
    }

    /** The lines about the whole pull, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Bytes downloaded so far over all layers, and bytes to download. */
    public long[] bytes() {
        long done = 0;
        long total = 0;
        for (Row row : rows.values()) {
            if (row.phase() != Phase.ALREADY_EXISTS) {
                done += row.phase() == Phase.EXTRACTING ? row.total() : row.current(); // downloaded in full
                total += row.total();
            }
        }
        return new long[] {done, total};
    }

    /** One layer's line as {@code docker pull} prints it, e.g. {@code 3f4ca61aafcd: Downloading [==>   ]  1.2MB/4.5MB}. */
    public static String render(Row row, int barWidth) {
        StringBuilder line = new StringBuilder(row.layer()).append(": ").append(row.text());
        if (row.phase() == Phase.DOWNLOADING && row.total() > 0) {
            int filled = (int) Math.min(barWidth, row.current() * barWidth / row.total());
            line.append(" [").append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? ">" : "")
                    .append(" ".repeat(barWidth - filled)).append("] ")
                    .append(ImageTable.humanSize(row.current())).append('/').append(ImageTable.humanSize(row.total()));
        }
        return line.toString();
    }
}
