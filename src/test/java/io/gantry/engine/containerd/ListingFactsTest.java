package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The containerd listing file on its own: what one process writes the next reads, and nothing else. */
class ListingFactsTest {

    @TempDir
    Path dir;

    private static Digest digest(String text) {
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ListingFacts.Facts facts(String name, Optional<Instant> created) {
        return new ListingFacts.Facts(digest(name + "-manifest"), new ListingFacts.Blob(digest(name + "-config"), 321),
                List.of(new ListingFacts.Blob(digest(name + "-l0"), 1000), new ListingFacts.Blob(digest(name + "-l1"), 7)),
                List.of(digest(name + "-d0"), digest(name + "-d1")), created);
    }

    @Test
    void theNextProcessReadsWhatOneWroteKeepingOnlyWhatWasListed() {
        Path file = dir.resolve("sub/listing");
        ListingFacts first = new ListingFacts(Optional.of(file), "linux/amd64");
        ListingFacts.Facts a = facts("a", Optional.of(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
        ListingFacts.Facts b = facts("b", Optional.empty());
        first.put(digest("a"), a);
        first.put(digest("b"), b);
        first.put(digest("gone"), facts("gone", Optional.empty()));
        first.save(Set.of(digest("a"), digest("b")));
        assertThat(file).exists();

        ListingFacts next = new ListingFacts(Optional.of(file), "linux/amd64");
        assertThat(next.get(digest("a"))).contains(a);
        assertThat(next.get(digest("b"))).contains(b);
        assertThat(next.get(digest("gone"))).isEmpty();
        assertThat(a.layerSizes().stream().mapToLong(Long::longValue).sum()).isEqualTo(1007);
    }

    @Test
    void anotherPlatformsOrADamagedFileIsIgnoredAndAMismatchedEntryNotKept() throws IOException {
        Path file = dir.resolve("listing");
        ListingFacts first = new ListingFacts(Optional.of(file), "linux/amd64");
        first.put(digest("a"), facts("a", Optional.empty()));
        first.put(digest("odd"), new ListingFacts.Facts(digest("m"), new ListingFacts.Blob(digest("c"), 1),
                List.of(new ListingFacts.Blob(digest("l"), 1)), List.of(), Optional.empty()));
        first.save(Set.of(digest("a"), digest("odd")));

        assertThat(new ListingFacts(Optional.of(file), "linux/arm64").get(digest("a"))).as("another platform").isEmpty();
        assertThat(new ListingFacts(Optional.of(file), "linux/amd64").get(digest("odd")))
                .as("layers and diff IDs that do not pair up are not kept").isEmpty();

        Files.writeString(file, Files.readString(file) + "sha256:zz\tbroken\n");
        assertThat(new ListingFacts(Optional.of(file), "linux/amd64").get(digest("a"))).as("a damaged file").isEmpty();
        assertThat(new ListingFacts(Optional.empty(), "linux/amd64").get(digest("a"))).as("no file").isEmpty();
    }
}
