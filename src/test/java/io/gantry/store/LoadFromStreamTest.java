package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gantry.core.GantryException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry load} from standard input: the archive is spooled to a file of the store's own,
 * whose path is nothing the user gave; a bad archive is reported as the stream's, never by that path.
 */
class LoadFromStreamTest {

    @TempDir
    Path dir;

    @Test
    void aBadArchiveFromAStreamIsNamedAsTheStreamNotByItsSpoolFile() {
        Path root = dir.resolve("store");
        try (OciLayoutStore store = OciLayoutStore.open(root)) {
            GantryException e = catchThrowableOfType(() -> store.load(
                    new ByteArrayInputStream("this is no tar archive at all".getBytes(StandardCharsets.UTF_8))),
                    GantryException.class);
            assertThat(e).isNotNull();
            assertThat(e.describe()).contains("the archive read from the stream")
                    .doesNotContain(root.toString()).doesNotContain("load-");
            assertThat(store.listImages()).isEmpty();
        }
    }
}
