package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-system failures reach the user as words and a path, never as a Java class name. */
class IoProblemTest {

    @Test
    void theReasonThatJavaKeepsInTheClassNameIsSaid() {
        assertThat(IoProblem.describe(new NoSuchFileException("/s/index.json")))
                .isEqualTo("no such file or directory: /s/index.json");
        assertThat(IoProblem.describe(new AccessDeniedException("/s/blobs")))
                .isEqualTo("permission denied: /s/blobs");
        assertThat(IoProblem.describe(new DirectoryNotEmptyException("/s")))
                .isEqualTo("the directory is not empty: /s");
        assertThat(IoProblem.describe(new FileSystemException("/s/a", "/s/b", "Read-only file system")))
                .isEqualTo("Read-only file system: /s/a -> /s/b");
    }

    @Test
    void streamsAndPlainFailuresSayWhatHappened() {
        assertThat(IoProblem.describe(new EOFException())).isEqualTo("the file ended early");
        assertThat(IoProblem.describe(new ZipException("invalid block type")))
                .isEqualTo("the compressed data is corrupt (invalid block type)");
        assertThat(IoProblem.describe(new IOException())).isEqualTo("input/output error");
        assertThat(IoProblem.describe(new IOException("bad\u001b[31m disk"))).doesNotContain("\u001b");
    }

    @Test
    void aRealFailureOfTheFileSystemCarriesNoClassName(@TempDir Path dir) throws IOException {
        Path full = Files.createDirectory(dir.resolve("blobs"));
        Files.writeString(full.resolve("a"), "a");
        try {
            Files.delete(full);
            throw new AssertionError("deleting a directory that is not empty should fail");
        } catch (IOException e) {
            GantryException error = IoProblem.storage("delete the store", e);
            assertThat(error.kind()).isEqualTo(ErrorKind.STORAGE);
            assertThat(error.describe()).isEqualTo("delete the store: the directory is not empty: " + full)
                    .doesNotContain("Exception", "java.");
        }
        Path notAFile = Files.createDirectory(dir.resolve("index.json"));
        try {
            Files.readAllBytes(notAFile);
            throw new AssertionError("reading a directory as a file should fail");
        } catch (IOException e) {
            assertThat(IoProblem.describe(e)).isNotBlank().doesNotContain("Exception", "java.");
        }
    }
}
