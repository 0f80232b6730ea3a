package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14, item 6: the CLI's output filter removes escape sequences whole, also when a write splits one. */
class TerminalSafeWriterTest {

    private static String through(String... writes) {
        StringWriter sink = new StringWriter();
        PrintWriter out = TerminalSafeWriter.wrap(new PrintWriter(sink));
        for (String w : writes) {
            out.print(w);
        }
        out.flush();
        return sink.toString();
    }

    @Test
    void sequencesGoWholeAndTextStays() {
        assertThat(through("a\u001b[2Jb\u001b]0;title\u0007c\u001b]2;t\u001b\\d\u009b31me\u202ef\rg\n")).isEqualTo("abcdefg\n");
        assertThat(through("tab\tstays\n")).isEqualTo("tab\tstays\n");
        assertThat(through("grüße, 日本\n")).isEqualTo("grüße, 日本\n");
    }

    @Test
    void aSequenceSplitAcrossWritesIsStillRemoved() {
        assertThat(through("x\u001b", "[", "31", "m", "y\n")).isEqualTo("xy\n");
        assertThat(through("x\u001b]0;ti", "tle\u0007y\n")).isEqualTo("xy\n");
    }

    @Test
    void plainTextPassedOnInRunsGivesTheSameOutputHoweverTheWritesSplitIt() {
        String text = "REPO\tTAG   a\u001b[2Jb\u001b]0;title\u0007c\r\nd\u009b31me\u202ef\rg grüße\n\u001b]2;t\u001b\\end\n";
        String whole = through(text);
        assertThat(whole).isEqualTo("REPO\tTAG   abc\ndefg grüße\nend\n");
        for (int i = 0; i <= text.length(); i++) {
            assertThat(through(text.substring(0, i), text.substring(i))).as("split at %d", i).isEqualTo(whole);
        }
        assertThat(through(text.split(""))).isEqualTo(whole);
        StringWriter sink = new StringWriter();
        PrintWriter out = TerminalSafeWriter.wrap(new PrintWriter(sink));
        out.print(text.toCharArray());
        out.flush();
        assertThat(sink.toString()).isEqualTo(whole);
    }

    /**
     * Bytes handed over by {@link TerminalSafeWriter#writeAscii} go to the stream beneath after the
     * text written before them, and are filtered as text when they hold anything but printable
     * ASCII, tabs and line feeds, or when they come in the middle of a sequence.
     */
    @Test
    void bytesGoToTheStreamBeneathOnlyWhenTheFilterWouldPassThemUnchanged() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PrintWriter out = TerminalSafeWriter.wrap(new PrintWriter(bytes, false, java.nio.charset.StandardCharsets.UTF_8), bytes);
        out.print("grüße ");
        ascii(out, "plain\tline\n");
        out.print("x\u001b[");
        ascii(out, "31mred\n"); // the rest of a sequence begun as text
        ascii(out, "a\u001b[2Jb\rc\u007fd\n"); // an escape, a carriage return, DEL
        ascii(out, "\u009b31me\n");
        byte[] utf8 = "é\n".getBytes(java.nio.charset.StandardCharsets.UTF_8); // read as ISO-8859-1: Ã and ©
        TerminalSafeWriter.writeAscii(out, utf8, 0, utf8.length);
        out.print("end\n");
        out.flush();

        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("grüße plain\tline\nxred\nabcd\ne\nÃ©\nend\n");
    }

    @Test
    void withoutAStreamBeneathBytesAreWrittenAsText() {
        StringWriter sink = new StringWriter();
        PrintWriter out = TerminalSafeWriter.wrap(new PrintWriter(sink));
        out.print("a ");
        ascii(out, "plain\n");
        ascii(out, "b\u001b]0;title\u0007c\n");
        out.flush();

        assertThat(sink.toString()).isEqualTo("a plain\nbc\n");
    }

    private static void ascii(PrintWriter out, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        TerminalSafeWriter.writeAscii(out, bytes, 0, bytes.length);
    }

    @Test
    void anOscThatNeverEndsSwallowsOnlyItsLine() {
        assertThat(through("a\u001b]0;never ends\nnext line\n")).isEqualTo("a\nnext line\n");
    }

    @Test
    void thePullBoardGetsTheRawWriterForItsOwnCursorMoves() {
        StringWriter sink = new StringWriter();
        PrintWriter raw = new PrintWriter(sink);
        PrintWriter safe = TerminalSafeWriter.wrap(raw);
        assertThat(TerminalSafeWriter.raw(safe)).isSameAs(raw);
        assertThat(TerminalSafeWriter.raw(raw)).isSameAs(raw);
        assertThat(io.gantry.ui.PeerCells.clean(List.of("a\u001b[2Jb", "c"))).isEqualTo(List.of("ab", "c"));
        assertThat(io.gantry.ui.PeerCells.clean((Object) 5)).isEqualTo(5);
    }
}
