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
