package io.gantry.cli;

import io.gantry.core.ImageKey;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.LayerFiles;
import io.gantry.service.analysis.ChangeKind;
import io.gantry.service.analysis.FileChange;
import io.gantry.service.analysis.ImageFiles;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.service.analysis.LayerReport;
import io.gantry.service.analysis.WastedFile;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry files IMAGE}: dive's view of an image's files: per layer what it adds, modifies and
 * deletes; the wasted bytes and the efficiency. {@code --ci} checks thresholds as {@code dive --ci}
 * does and exits 1 when one fails.
 */
@Command(name = "files", description = "Show what each layer adds, modifies and deletes, the wasted bytes and the efficiency (like dive); --ci checks thresholds.")
final class FilesCommand implements Callable<Integer>, SimpleParse.Command {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE")
    String image;

    @Option(names = "--layer", paramLabel = "N", description = "Only layer N (0 = base), with its changes.")
    Integer layer;

    @Option(names = "--changes", description = "List every added (A), modified (M) and deleted (D) path.")
    boolean changes;

    @Option(names = "--ci", description = "Check the thresholds and exit 1 when one fails (as dive --ci).")
    boolean ci;

    // the --ci thresholds' defaults are the fields' own values: picocli keeps a field's initial value
    // when its option is not given, and parseSimple starts from a new FilesCommand, so both read them here
    @Option(names = "--lowestEfficiency", paramLabel = "RATIO",
            description = "--ci: fail below this efficiency (0..1, default 0.9, as dive).")
    double lowestEfficiency = 0.9;

    @Option(names = "--highestWastedBytes", paramLabel = "BYTES",
            description = "--ci: fail above these wasted bytes (default: not checked).")
    long highestWastedBytes = -1;

    @Option(names = "--highestUserWastedPercent", paramLabel = "RATIO",
            description = "--ci: fail above this share of wasted bytes (0..1, default 0.1, as dive).")
    double highestUserWastedPercent = 0.1;

    @Override
    public Integer call() {
        return callWith(spec.commandLine().getOut());
    }

    /**
     * The command read without picocli, for the common forms only: {@code [--store DIR] files
     * [OPTIONS] IMAGE}, each option of this command at most once, spelt out ({@code --layer 2} or
     * {@code --layer=2}), numbers as plain decimals, the image a word not starting with {@code -} or
     * {@code @} (picocli reads {@code @FILE} as a file of arguments). Null for anything else (help,
     * {@code --endpoint}, a repeated or unknown option, {@code --}, a value picocli would refuse or
     * read differently), which picocli then parses as before, with its messages. Picocli's model
     * of the command line (its classes' set-up, the annotations read by reflection) was about 0.1 s
     * of the 1 s of CPU of a cold {@code files --changes} on 100,000 small files.
     */
    static FilesCommand parseSimple(GantryCli root, String... args) {
        SimpleParse.Start start = SimpleParse.start("files", args);
        if (start == null) {
            return null;
        }
        SimpleParse.Words words = SimpleParse.words(args, start.next(), java.util.Set.of("--changes", "--ci"),
                java.util.Set.of("--layer", "--highestWastedBytes", "--lowestEfficiency", "--highestUserWastedPercent"),
                java.util.Map.of());
        if (words == null) {
            return null;
        }
        FilesCommand command = new FilesCommand();
        command.image = words.parameter();
        for (java.util.Map.Entry<String, String> option : words.options().entrySet()) {
            String value = option.getValue();
            switch (option.getKey()) {
                case "--changes" -> command.changes = true;
                case "--ci" -> command.ci = true;
                case "--layer" -> {
                    if (!SimpleParse.wholeNumber(value, 9)) {
                        return null;
                    }
                    command.layer = Integer.valueOf(value);
                }
                case "--highestWastedBytes" -> {
                    if (!SimpleParse.wholeNumber(value, 18)) {
                        return null;
                    }
                    command.highestWastedBytes = Long.parseLong(value);
                }
                default -> { // --lowestEfficiency, --highestUserWastedPercent: a plain decimal
                    int point = value.indexOf('.');
                    if (point < 0 ? !SimpleParse.digits(value, 0, value.length()) : !SimpleParse.digits(value, 0, point)
                            || !SimpleParse.digits(value, point + 1, value.length()) || point > 9 || value.length() - point > 10) {
                        return null;
                    }
                    if (option.getKey().equals("--lowestEfficiency")) {
                        command.lowestEfficiency = Double.parseDouble(value);
                    } else {
                        command.highestUserWastedPercent = Double.parseDouble(value);
                    }
                }
            }
        }
        SimpleParse.apply(start, root);
        command.parent = root;
        return command;
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public int callWith(java.io.PrintWriter out) {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            ImageLayers layers = LayerFiles.layersOf(store, ImageKey.parse(image));
            if (layer != null && (layer < 0 || layer >= layers.layers().size())) {
                throw new io.gantry.core.GantryException(io.gantry.core.ErrorKind.INVALID_INPUT, "files " + image,
                        "no layer " + layer + "; it has " + layers.layers().size() + " (0 to " + (layers.layers().size() - 1) + ")");
            }
            ImageFiles files = new LayerFiles().analyze(store, layers, done -> { });
            Table table = new Table("#", "SIZE", "ADDED", "MODIFIED", "DELETED", "CREATED BY");
            for (LayerReport report : files.layers()) {
                if (layer != null && report.index() != layer) {
                    continue;
                }
                String createdBy = report.layer().createdBy();
                long[] counts = countByKind(report.changes());
                table.row(report.index(), ImageTable.humanSize(report.layer().size()),
                        counts[ChangeKind.ADDED.ordinal()], counts[ChangeKind.MODIFIED.ordinal()],
                        counts[ChangeKind.DELETED.ordinal()],
                        createdBy.length() > 60 ? createdBy.substring(0, 59) + "…" : createdBy);
            }
            table.print(out);
            for (LayerReport report : files.layers()) {
                report.failure().ifPresent(f -> out.println("layer " + report.index() + " could not be read: "
                        + io.gantry.core.PeerText.clean(f.message())));
            }
            if (changes || layer != null) {
                for (LayerReport report : files.layers()) {
                    if (layer != null && report.index() != layer) {
                        continue;
                    }
                    out.println();
                    out.println("Layer " + report.index() + ":");
                    printChanges(out, report.changes());
                }
            }
            double wastedShare = files.totalFileBytes() == 0 ? 0 : (double) files.wastedBytes() / files.totalFileBytes();
            out.println();
            out.printf("Efficiency:       %.4f %%%n", files.efficiency() * 100);
            out.printf("Wasted bytes:     %d (%s, %.4f %% of the file bytes)%n", files.wastedBytes(),
                    ImageTable.humanSize(files.wastedBytes()), wastedShare * 100);
            List<WastedFile> wasted = files.wastedFiles();
            if (!wasted.isEmpty()) {
                Table waste = new Table("COUNT", "WASTED", "PATH");
                wasted.stream().limit(changes ? Long.MAX_VALUE : 10).forEach(w ->
                        waste.row(w.copies(), ImageTable.humanSize(w.wastedBytes()), w.path() + (w.removed() ? " (removed)" : "")));
                waste.print(out);
            }
            out.flush();
            if (ci) {
                boolean pass = true;
                pass &= check(out, "lowestEfficiency", files.efficiency() >= lowestEfficiency,
                        String.format(Locale.ROOT, "%.4f >= %s", files.efficiency(), lowestEfficiency));
                if (highestWastedBytes >= 0) {
                    pass &= check(out, "highestWastedBytes", files.wastedBytes() <= highestWastedBytes,
                            files.wastedBytes() + " <= " + highestWastedBytes);
                }
                pass &= check(out, "highestUserWastedPercent", wastedShare <= highestUserWastedPercent,
                        String.format(Locale.ROOT, "%.4f <= %s", wastedShare, highestUserWastedPercent));
                out.println(pass ? "Result: PASS" : "Result: FAIL");
                out.flush();
                return pass ? 0 : GantryCli.EXIT_FAILURE;
            }
        }
        return 0;
    }

    /** How many of {@code changes} are of each {@link ChangeKind}, by ordinal: one pass, not one per kind. */
    private static long[] countByKind(List<FileChange> changes) {
        long[] counts = new long[ChangeKind.values().length];
        for (FileChange change : changes) {
            counts[change.kind().ordinal()]++;
        }
        return counts;
    }

    /**
     * One line a change ({@code "  A       1.2kB  usr/bin/env"}), gathered as bytes and written 64
     * KiB at a time ({@link TerminalSafeWriter#writeAscii}), not a printf a path: the CLI's writer
     * flushes on every printf, a system call a line (100,000 of them for a layer of 100,000 files),
     * and text passes a character encoder and the filter's scan a character besides.
     */
    private static void printChanges(java.io.PrintWriter out, List<FileChange> changes) {
        AsciiLines lines = new AsciiLines(out);
        byte[] newline = System.lineSeparator().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (FileChange change : changes) {
            appendChange(lines, change, newline);
        }
        lines.flush();
    }

    /**
     * Appends one change's line. A method of its own, and not the body of the loop above, because
     * the JVM compiles a method after a few hundred calls but a loop in a method called once only
     * after tens of thousands of iterations (on-stack replacement): until then each line ran in the
     * interpreter, a third of the listing's time for 100,000 paths.
     */
    private static void appendChange(AsciiLines lines, FileChange change, byte[] newline) {
        lines.line(change.kind().name().charAt(0), ImageTable.humanSize(change.bytes()),
                io.gantry.core.PeerText.clean(change.path()), newline);
    }

    /**
     * The change lines as bytes: each line's characters are ASCII (most paths are), copied a byte
     * each; a line with any other character is written as text in its turn.
     */
    private static final class AsciiLines {
        private static final int CHUNK = 65_536;

        private final java.io.PrintWriter out;
        private final byte[] buffer = new byte[CHUNK + 8_192];
        private int length;

        AsciiLines(java.io.PrintWriter out) {
            this.out = out;
        }

        /** {@code "  K  SIZE  PATH"}: the kind's letter, the size right-aligned in ten columns, the path. */
        void line(char kind, String size, String path, byte[] newline) {
            int needed = 4 + Math.max(10, size.length()) + 2 + path.length() + newline.length;
            if (length + needed > buffer.length) {
                flush();
            }
            int start = length;
            if (needed <= buffer.length && kind < 0x80) {
                buffer[length++] = ' ';
                buffer[length++] = ' ';
                buffer[length++] = (byte) kind;
                buffer[length++] = ' ';
                for (int pad = size.length(); pad < 10; pad++) {
                    buffer[length++] = ' ';
                }
                if (copy(size)) {
                    buffer[length++] = ' ';
                    buffer[length++] = ' ';
                    if (copy(path)) {
                        System.arraycopy(newline, 0, buffer, length, newline.length);
                        length += newline.length;
                        if (length >= CHUNK) {
                            flush();
                        }
                        return;
                    }
                }
            }
            // not ASCII: the line as text, after the lines before it
            length = start;
            flush();
            StringBuilder text = new StringBuilder("  ").append(kind).append(' ');
            for (int pad = size.length(); pad < 10; pad++) {
                text.append(' ');
            }
            text.append(size).append("  ").append(path).append(new String(newline, java.nio.charset.StandardCharsets.ISO_8859_1));
            out.print(text);
        }

        /** Copies {@code text} if it is all ASCII; {@code false} (and a partial copy) at the first other character. */
        private boolean copy(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    return false;
                }
                buffer[length++] = (byte) c;
            }
            return true;
        }

        void flush() {
            if (length > 0) {
                TerminalSafeWriter.writeAscii(out, buffer, 0, length);
                length = 0;
            }
        }
    }

    private static boolean check(java.io.PrintWriter out, String rule, boolean ok, String detail) {
        out.println((ok ? "  PASS: " : "  FAIL: ") + rule + " (" + detail + ")");
        return ok;
    }
}
