package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file of registries that answered over plain HTTP: what is noted is found again, in this process and the next. */
class KnownPlainHttpTest {

    @TempDir
    Path dir;

    @Test
    void aNotedRegistryIsKnownToTheNextReaderOfTheFileUntilItAnswersOverHttps() throws IOException {
        Path file = dir.resolve("home/plain-http-registries");
        KnownPlainHttp first = KnownPlainHttp.in(file);
        assertThat(first.contains("127.0.0.1:5000")).isFalse();
        assertThat(file).doesNotExist();

        first.note("127.0.0.1:5000", true);
        first.note("LocalHost:5001", true);

        assertThat(first.contains("127.0.0.1:5000")).isTrue();
        KnownPlainHttp next = KnownPlainHttp.in(file);
        assertThat(next.contains("127.0.0.1:5000")).isTrue();
        assertThat(next.contains("localhost:5001")).isTrue();
        assertThat(next.contains("127.0.0.1:5002")).isFalse();
        assertThat(Files.readAllLines(file)).containsExactly("127.0.0.1:5000", "localhost:5001");

        next.note("127.0.0.1:5000", false);

        assertThat(KnownPlainHttp.in(file).contains("127.0.0.1:5000")).isFalse();
        assertThat(KnownPlainHttp.in(file).contains("localhost:5001")).isTrue();
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
    }

    @Test
    void nothingIsKeptWithoutAFileAndAnOversizedFileIsIgnored() throws IOException {
        KnownPlainHttp none = KnownPlainHttp.none();
        none.note("127.0.0.1:5000", true);
        assertThat(none.contains("127.0.0.1:5000")).isFalse();

        Path file = dir.resolve("plain-http-registries");
        Files.writeString(file, "127.0.0.1:5000\n" + "x".repeat(70 * 1024) + "\n");
        assertThat(KnownPlainHttp.in(file).contains("127.0.0.1:5000")).isFalse();
    }
}
