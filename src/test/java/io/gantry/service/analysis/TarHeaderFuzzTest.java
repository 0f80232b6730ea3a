package io.gantry.service.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 9: tar headers fuzzed (seeded, bounded time) against the layer analysis's own
 * header reader: only {@link IOException}s (corrupt, truncated, too large) may come out of it, and
 * {@link LayerScanner#scan} never throws at all (its contract: a failure is part of the result).
 */
class TarHeaderFuzzTest {

    private static final long BUDGET_MS = Long.getLong("gantry.fuzz.ms", 1500);

    private static byte[] seedTar(boolean gnu) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(gnu ? TarArchiveOutputStream.LONGFILE_GNU : TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(new TarArchiveEntry("dir/", TarArchiveEntry.LF_DIR));
            tar.closeArchiveEntry();
            TarArchiveEntry file = new TarArchiveEntry("dir/" + "long-name-".repeat(20) + "file");
            byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
            file.setSize(content.length);
            file.addPaxHeader("SCHILY.xattr.user.x", "y");
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("dir/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../" + "t".repeat(120));
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            tar.putArchiveEntry(new TarArchiveEntry("dir/.wh.gone"));
            tar.closeArchiveEntry();
            tar.finish();
        }
        return bytes.toByteArray();
    }

    @Test
    void onlyIoErrorsComeOutOfTheHeaderReaderAndScanNeverThrows() throws IOException {
        byte[][] seeds = {seedTar(false), seedTar(true)};
        Random seedsOfSeeds = new Random(1409);
        long end = System.nanoTime() + BUDGET_MS * 1_000_000;
        int rounds = 0;
        LayerScanner scanner = new LayerScanner();
        while (System.nanoTime() < end) {
            long seed = seedsOfSeeds.nextLong();
            Random random = new Random(seed);
            byte[] bytes = seeds[random.nextInt(seeds.length)].clone();
            for (int k = random.nextInt(8); k >= 0; k--) {
                int block = random.nextInt(bytes.length / 512);
                int at = block * 512 + (random.nextInt(3) == 0 ? random.nextInt(512)
                        : new int[] {0, 100, 124, 136, 148, 156, 157, 257, 263, 345}[random.nextInt(10)] + random.nextInt(12));
                bytes[Math.min(at, bytes.length - 1)] = (byte) (random.nextBoolean() ? random.nextInt(256)
                        : " 0123456789=\n/\u0000xLKgS7".charAt(random.nextInt(20)));
            }
            if (random.nextInt(6) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            try {
                TarHeaderReader reader = new TarHeaderReader(new ByteArrayInputStream(bytes), 1 << 20);
                for (int i = 0; i < 10_000 && reader.next() != null; i++) {
                    // read every header
                }
            } catch (IOException expected) {
                // corrupt, truncated or too large: a typed failure
            } catch (Throwable t) {
                fail("the tar header reader threw " + t + " for seed " + seed, t);
            }
            try {
                LayerScan scan = scanner.scan(new ByteArrayInputStream(bytes));
                assertThat(scan).isNotNull();
            } catch (Throwable t) {
                fail("LayerScanner.scan threw " + t + " for seed " + seed, t);
            }
            rounds++;
        }
        assertThat(rounds).isGreaterThan(10);
        assertThat(Map.of()).isEmpty();
    }
}
