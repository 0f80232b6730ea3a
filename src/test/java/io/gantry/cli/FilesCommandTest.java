package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry files IMAGE --changes} over an embedded store, compared line by line: the table's
 * counts, each change's line (kind, size right-aligned in ten columns, path), names with escape
 * sequences, tabs and non-ASCII characters, whiteouts and an opaque directory.
 */
class FilesCommandTest {

    @TempDir
    Path dir;

    @Test
    void listsEveryChangeOfEveryLayerWithItsSizeAndACleanPath() {
        String reference = "example.com/" + FixtureImages.unique("files") + ":1";
        Path storeDir = storeWithImage(reference);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow()))),
                new PrintWriter(out), new PrintWriter(err), "--store", storeDir.toString(), "files", reference, "--changes");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(EXPECTED);
    }

    /**
     * As the CLI runs ({@code Main}): standard output a byte stream under its writer, where the plain
     * change lines go as bytes and the rest (the table, lines with escapes or non-ASCII characters,
     * the summary) as text through the filter: the same output, in the same order.
     */
    @Test
    void theSameOutputWhenPlainLinesGoToTheByteStreamBeneath() {
        String reference = "example.com/" + FixtureImages.unique("files") + ":1";
        Path storeDir = storeWithImage(reference);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PrintWriter rawOut = new PrintWriter(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();

        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow()))),
                rawOut, bytes, new PrintWriter(err), "--store", storeDir.toString(), "files", reference, "--changes");

        assertThat(code).as(err.toString()).isZero();
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
    }

    /**
     * The common forms are read without picocli ({@link FilesCommand#parseSimple}) and give the same
     * output, exit code and error messages as picocli's parse of the same command ({@code --} before
     * the image sends it to picocli): the listing, {@code --ci} with its defaults and with given
     * thresholds, {@code --layer}, a missing image and a layer out of range.
     */
    @Test
    void theCommonFormsReadWithoutPicocliGiveWhatPicocliGives() {
        String reference = "example.com/" + FixtureImages.unique("files") + ":1";
        Path storeDir = storeWithImage(reference);
        String store = storeDir.toString();
        List<List<String>> cases = List.of(
                List.of("--changes"), List.of("--ci"), List.of("--ci", "--changes"),
                List.of("--ci", "--lowestEfficiency", "0.99", "--highestUserWastedPercent=0.01", "--highestWastedBytes", "100"),
                List.of("--ci", "--lowestEfficiency=0.5", "--highestWastedBytes=5000"),
                List.of("--layer", "1"), List.of("--layer=0", "--ci"), List.of("--layer", "2"), List.of());
        for (String image : List.of(reference, "example.com/missing:1")) {
            for (List<String> options : cases) {
                List<String> simple = new java.util.ArrayList<>(List.of("--store", store, "files", image));
                simple.addAll(options);
                List<String> viaPicocli = new java.util.ArrayList<>(List.of("--store", store, "files"));
                viaPicocli.addAll(options);
                viaPicocli.addAll(List.of("--", image));
                assertThat(FilesCommand.parseSimple(new GantryCli(null), simple.toArray(String[]::new)))
                        .as("%s", simple).isNotNull();
                assertThat(FilesCommand.parseSimple(new GantryCli(null), viaPicocli.toArray(String[]::new)))
                        .as("%s", viaPicocli).isNull();
                assertThat(run(simple)).as("%s", simple).isEqualTo(run(viaPicocli));
            }
        }
        assertThat(run(List.of("--store", store, "files", reference, "--changes")).get(1)).isEqualTo(EXPECTED);
    }

    /** What picocli must read (help, other options, repeated or unusual values) is not read without it. */
    @Test
    void anythingButTheCommonFormsIsLeftToPicocli() {
        for (List<String> args : List.of(List.of("files"), List.of("files", "-h"), List.of("files", "a:1", "--help"),
                List.of("files", "a:1", "b:1"), List.of("files", "a:1", "--changes", "--changes"),
                List.of("files", "a:1", "--changes=true"), List.of("files", "a:1", "--layer"),
                List.of("files", "a:1", "--layer", "-1"), List.of("files", "a:1", "--layer", "07"),
                List.of("files", "a:1", "--layer", "x"), List.of("files", "a:1", "--layer", "9999999999"),
                List.of("files", "a:1", "--lowestEfficiency", "1e-1"), List.of("files", "a:1", "--lowestEfficiency", ".5"),
                List.of("files", "a:1", "--unknown"), List.of("files", "@args"), List.of("files", ""),
                List.of("files", "--", "a:1"), List.of("--store", "s", "--store", "s", "files", "a:1"),
                List.of("--store=", "files", "a:1"), List.of("--store", "-x", "files", "a:1"),
                List.of("--endpoint", "embedded", "files", "a:1"), List.of("-n", "x", "files", "a:1"),
                List.of("files", "--store", "s", "a:1"), List.of("images"), List.of("images", "files"))) {
            assertThat(FilesCommand.parseSimple(new GantryCli(null), args.toArray(String[]::new))).as("%s", args).isNull();
        }
        GantryCli root = new GantryCli(null);
        FilesCommand read = FilesCommand.parseSimple(root, "--store=s", "files", "--layer=3", "a:1", "--ci",
                "--highestWastedBytes", "0", "--lowestEfficiency", "0.25", "--changes");
        assertThat(read).isNotNull();
        assertThat(root.store).isEqualTo(Path.of("s"));
        assertThat(read.parent).isSameAs(root);
        assertThat(read.image).isEqualTo("a:1");
        assertThat(read.layer).isEqualTo(3);
        assertThat(read.changes).isTrue();
        assertThat(read.ci).isTrue();
        assertThat(read.highestWastedBytes).isZero();
        assertThat(read.lowestEfficiency).isEqualTo(0.25);
        assertThat(read.highestUserWastedPercent).isEqualTo(0.1);
    }

    /** The exit code, standard output and standard error of {@code gantry ARGS} on an embedded store. */
    private static List<String> run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow()))),
                new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        return List.of(String.valueOf(code), out.toString(), err.toString());
    }

    private Path storeWithImage(String reference) {
        FixtureImage image = new FixtureImages().image("files")
                .layer("ADD base", l -> l
                        .file("etc/passwd", "r".repeat(1234))
                        .file("usr/share/doc/readme", "hello")
                        .randomFile("opt/app/data.bin", 150_000, 7)
                        .file("opt/app/old.txt", "o".repeat(999))
                        .file("names/esc-\u001b[31mred\u001b[0m", "r")
                        .file("names/tab\tname", "t")
                        .file("names/bidi-\u202egnp.exe", "b")
                        .file("names/ünïcødé", "u"))
                .layer("RUN update", l -> l
                        .whiteout("opt/app/old.txt")
                        .opaque("usr/share/doc")
                        .file("usr/share/doc/new", "n")
                        .file("etc/passwd", "s".repeat(1300)));
        Path storeDir = dir.resolve("store");
        try (OciLayoutStore store = OciLayoutStore.open(storeDir)) {
            StoreFixtures.store(store, image, reference);
        }
        return storeDir;
    }

    private static final String EXPECTED = """
                #   SIZE    ADDED   MODIFIED   DELETED   CREATED BY
                0   151kB   15      0          0         ADD base
                1   281B    1       1          2         RUN update

                Layer 0:
                  A         0B  etc
                  A     1.23kB  etc/passwd
                  A         0B  usr
                  A         0B  usr/share
                  A         0B  usr/share/doc
                  A         5B  usr/share/doc/readme
                  A         0B  opt
                  A         0B  opt/app
                  A      150kB  opt/app/data.bin
                  A       999B  opt/app/old.txt
                  A         0B  names
                  A         1B  names/esc-red
                  A         1B  names/tab name
                  A         1B  names/bidi-gnp.exe
                  A         1B  names/ünïcødé

                Layer 1:
                  D       999B  opt/app/old.txt
                  D         5B  usr/share/doc/readme
                  A         1B  usr/share/doc/new
                  M      1.3kB  etc/passwd

                Efficiency:       98.5424 %
                Wasted bytes:     2238 (2.24kB, 1.4576 % of the file bytes)
                COUNT   WASTED   PATH
                2       1.23kB   etc/passwd
                1       999B     opt/app/old.txt (removed)
                1       5B       usr/share/doc/readme (removed)
                """;
}
