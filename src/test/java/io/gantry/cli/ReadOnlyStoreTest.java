package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.testing.CommandResult;
import io.gantry.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8: reading commands work on a store Gantry cannot write to, and changes are
 * refused with one clear line. The tests run as root, where {@code chmod a-w} stops no write (and
 * {@code Files.isWritable} says so truly), so the store is a read-only bind mount, which stops root
 * as well. Needs root ({@code mount}).
 */
@Tag("peer")
class ReadOnlyStoreTest {

    @TempDir
    Path dir;

    private Path mounted;

    private static CommandResult sh(String... command) {
        return Commands.run(List.of(command), Map.of(), Duration.ofSeconds(30));
    }

    @AfterEach
    void unmount() {
        if (mounted != null) {
            sh("umount", mounted.toString());
        }
    }

    @Test
    void readingCommandsWorkOnAReadOnlyMount() throws Exception {
        Path source = dir.resolve("store");
        try (OciLayoutStore store = OciLayoutStore.open(source)) {
            StoreFixtures.store(store, StoreFixtures.image("ro", 5, 6), "example.com/ro:1");
        }
        Path readOnly = Files.createDirectories(dir.resolve("ro-store"));
        CommandResult bind = sh("mount", "--bind", source.toString(), readOnly.toString());
        assertThat(bind.exitCode()).as("mount --bind (needs root): " + bind.stderr()).isZero();
        mounted = readOnly;
        CommandResult ro = sh("mount", "-o", "remount,ro,bind", readOnly.toString());
        assertThat(ro.exitCode()).as("remount ro: " + ro.stderr()).isZero();
        assertThat(Files.isWritable(readOnly)).isFalse();

        for (String[] command : List.of(new String[] {"images"}, new String[] {"inspect", "example.com/ro:1"},
                new String[] {"history", "example.com/ro:1"}, new String[] {"layers", "example.com/ro:1"},
                new String[] {"verify"}, new String[] {"df"},
                new String[] {"save", "-o", dir.resolve("ro.tar").toString(), "example.com/ro:1"},
                new String[] {"save", "-t", "oci", "-o", dir.resolve("ro-oci.tar").toString(), "example.com/ro:1"})) {
            StorePathTest.Run run = StorePathTest.gantry(readOnly, command);
            assertThat(run.code()).as(String.join(" ", command) + ": " + run.err()).isZero();
        }
        assertThat(StorePathTest.gantry(readOnly, "images").out()).contains("example.com/ro");
        assertThat(dir.resolve("ro.tar")).isNotEmptyFile();
        assertThat(dir.resolve("ro-oci.tar")).isNotEmptyFile();

        StorePathTest.Run tag = StorePathTest.gantry(readOnly, "tag", "example.com/ro:1", "example.com/ro:2");
        assertThat(tag.code()).isNotZero();
        assertThat(tag.err()).contains("read-only").doesNotContain("Exception");
        StorePathTest.Run rm = StorePathTest.gantry(readOnly, "rm", "example.com/ro:1");
        assertThat(rm.code()).isNotZero();
        assertThat(rm.err()).contains("read-only");
        assertThat(StorePathTest.gantry(readOnly, "images").out()).contains("example.com/ro");
    }
}
