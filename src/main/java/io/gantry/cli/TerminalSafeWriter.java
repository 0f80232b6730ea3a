package io.gantry.cli;

import io.gantry.core.PeerText;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.Writer;

/**
 * Everything the CLI prints goes through this filter: peers' words are data, not commands. Text
 * from a registry, an engine or an archive (a tag, a created-by line, a label, a file name in a
 * layer, a search result, an engine's status) may hold terminal escape sequences that clear the
 * screen or set the window title; this writer drops every escape sequence (CSI, OSC, and the
 * two-character ones), every control character other than line feed and tab (a carriage return
 * only before a line feed, where lines end so), and the bidirectional overrides ({@link PeerText#isUnsafe}). It works
 * on the stream, so a sequence split between two writes is still removed. JSON output is escaped
 * by Jackson already; its C1 and bidi characters are dropped here too.
 *
 * <p>The pull board on a terminal draws with cursor moves of its own; it writes to {@link #raw}
 * and cleans the peer text it shows itself.
 *
 * <p>A long listing may hand over bytes instead of text ({@link #writeAscii}): bytes that are all
 * printable ASCII, tabs and line feeds, written between sequences, go to the stream under the
 * writer as they are, after what the writer holds; any other chunk goes through the filter as text.
 */
final class TerminalSafeWriter extends FilterWriter {

    private enum State { TEXT, ESCAPE, CSI, OSC, OSC_ESCAPE }

    /** An OSC that never ends would swallow all later output: it ends at a line feed, or after this many characters. */
    private static final int MAX_OSC = 4096;
    /** Whether lines end in CR LF here (Windows): then a carriage return survives right before a line feed. */
    private static final boolean CRLF = System.lineSeparator().equals("\r\n");

    private final PrintWriter raw;
    /** The stream under {@link #raw}, which writes printable ASCII as these same bytes; or null. */
    private final OutputStream bytes;
    private State state = State.TEXT;
    private boolean pendingReturn;
    private int oscLength;

    private TerminalSafeWriter(PrintWriter raw, OutputStream bytes) {
        super(raw);
        this.raw = raw;
        this.bytes = bytes;
    }

    /** {@code out} behind the filter. */
    static PrintWriter wrap(PrintWriter out) {
        return wrap(out, null);
    }

    /**
     * {@code out} behind the filter; {@code bytes} (or null) is the stream {@code out} writes to,
     * in a charset that writes printable ASCII as the same bytes (UTF-8, ISO-8859-1, US-ASCII), for
     * {@link #writeAscii}.
     */
    static PrintWriter wrap(PrintWriter out, OutputStream bytes) {
        return new SafePrintWriter(new TerminalSafeWriter(out, bytes));
    }

    /**
     * Writes {@code length} bytes of {@code ascii} to {@code out} as the characters they are in
     * ISO-8859-1. When {@code out} is a filter with a stream beneath it ({@link #wrap(PrintWriter,
     * OutputStream)}), between sequences, and every byte is printable ASCII, a tab or a line feed,
     * the bytes go to that stream as they are, after what the writers above it hold (no character
     * encoder, no second pass a character): what the filter would have written for them. Otherwise
     * they go through {@code out} as text.
     */
    static void writeAscii(PrintWriter out, byte[] ascii, int offset, int length) {
        if (out instanceof SafePrintWriter safe && safe.filter.bytes != null && safe.filter.state == State.TEXT
                && !safe.filter.pendingReturn && plainBytes(ascii, offset, offset + length)) {
            safe.flush(); // what the writers hold comes first
            try {
                safe.filter.bytes.write(ascii, offset, length);
            } catch (IOException e) {
                safe.failed();
            }
            return;
        }
        out.write(new String(ascii, offset, length, StandardCharsets.ISO_8859_1));
    }

    private static boolean plainBytes(byte[] ascii, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = ascii[i];
            if ((b < 0x20 || b == 0x7F) && b != '\n' && b != '\t') {
                return false; // (bytes from 0x80 on are negative)
            }
        }
        return true;
    }

    /** The unfiltered writer behind {@code out} (for the pull board's own escape sequences), or {@code out}. */
    static PrintWriter raw(PrintWriter out) {
        return out instanceof SafePrintWriter safe ? safe.filter.raw : out;
    }

    private static final class SafePrintWriter extends PrintWriter {
        private final TerminalSafeWriter filter;

        SafePrintWriter(TerminalSafeWriter filter) {
            super(filter, true);
            this.filter = filter;
        }

        /** A write of {@link #writeAscii} failed: {@link #checkError} says so from now on (as a write of text would). */
        void failed() {
            setError();
        }
    }

    @Override
    public void write(int c) throws IOException {
        accept((char) c);
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int plain = plainRun(buffer, i, end);
            if (plain > i) {
                out.write(buffer, i, plain - i);
                i = plain;
            } else {
                accept(buffer[i++]);
            }
        }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int plain = plainRun(text, i, end);
            if (plain > i) {
                out.write(text, i, plain - i);
                i = plain;
            } else {
                accept(text.charAt(i++));
            }
        }
    }

    /**
     * Where the run of plain text starting at {@code from} ends: printable ASCII, line feeds and
     * tabs, between sequences and with no carriage return pending, pass unchanged and are written
     * in one call instead of one synchronized write a character ({@code from}: none).
     */
    private int plainRun(String text, int from, int end) {
        if (state != State.TEXT || pendingReturn) {
            return from;
        }
        int i = from;
        while (i < end && plain(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private int plainRun(char[] text, int from, int end) {
        if (state != State.TEXT || pendingReturn) {
            return from;
        }
        int i = from;
        while (i < end && plain(text[i])) {
            i++;
        }
        return i;
    }

    private static boolean plain(char c) {
        return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t';
    }

    private void accept(char c) throws IOException {
        switch (state) {
            case ESCAPE -> {
                state = c == '[' ? State.CSI : c == ']' ? State.OSC : State.TEXT;
                oscLength = 0;
                if (state == State.TEXT && (c < 0x20 || c > 0x7E)) {
                    text(c); // not a sequence after all: the character stands for itself (if safe)
                }
            }
            case CSI -> {
                if (c >= 0x20 && c <= 0x3F) {
                    return; // parameters and intermediates
                }
                state = State.TEXT;
                if (c < 0x40 || c > 0x7E) {
                    text(c); // a broken sequence: the character is text again
                }
            }
            case OSC -> {
                if (c == 0x07 || ++oscLength > MAX_OSC) {
                    state = State.TEXT;
                } else if (c == 0x1B) {
                    state = State.OSC_ESCAPE;
                } else if (c == '\n') {
                    state = State.TEXT;
                    text(c);
                }
            }
            case OSC_ESCAPE -> state = c == ']' ? State.OSC : State.TEXT; // ESC \ ends it
            default -> text(c);
        }
    }

    private void text(char c) throws IOException {
        if (c == 0x1B) {
            state = State.ESCAPE;
            return;
        }
        if (c == 0x9B) {
            state = State.CSI;
            return;
        }
        if (c == 0x9D) {
            state = State.OSC;
            oscLength = 0;
            return;
        }
        if (pendingReturn) {
            pendingReturn = false;
            if (c == '\n') {
                out.write('\r');
            }
        }
        if (c == '\r') {
            pendingReturn = CRLF;
        } else if (c == '\n' || c == '\t' || !PeerText.isUnsafe(c)) {
            out.write(c);
        }
    }
}
