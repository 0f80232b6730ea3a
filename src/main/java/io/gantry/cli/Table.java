package io.gantry.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the docker CLI prints one (Go's tabwriter with padding 3): each column as wide as its
 * longest cell, three spaces between columns, left-aligned, no trailing blanks.
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        rows.add(headers);
    }

    Table row(Object... cells) {
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = io.gantry.core.PeerText.clean(String.valueOf(cells[i])); // peer text, one line
        }
        rows.add(text);
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        // the whole table in one write: the CLI's writer flushes at every println, a system call a row
        StringBuilder text = new StringBuilder(rows.size() * 16 * columns);
        StringBuilder line = new StringBuilder();
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].codePointCount(0, row[i].length()) + 3));
                }
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
    }
}
